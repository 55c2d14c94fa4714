/**
 * The model the user called `fit` on. tfjs's Sequential trains the
 * functional model it wraps, so its callbacks are handed that inner model;
 * our Sequential records itself as the owner of its inner model, so that a
 * callback that saves (ModelCheckpoint) saves the user's Sequential, with
 * its class and name, not the wrapped graph.
 */
import { tf } from '../tf';

const owners = new WeakMap<object, tf.LayersModel>();

/** Records `outer` as the model that trains through `inner`. */
export function setOwnerModel(inner: tf.LayersModel | undefined, outer: tf.LayersModel): void {
  if (inner != null && inner !== outer) owners.set(inner, outer);
}

/** The model the user trains: the owner of `model` if one was recorded, else `model` itself. */
export function userModel(model: tf.LayersModel): tf.LayersModel {
  return owners.get(model) ?? model;
}
