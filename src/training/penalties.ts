/**
 * A model's regularization losses and weight constraints, as Keras 3 has
 * them (keras/src/layers/layer.py `losses`, keras/src/trainers/trainer.py
 * `compute_loss`, keras/src/optimizers/base_optimizer.py `apply`):
 *
 *   loss = compiled loss + Σ_{w trainable} R_w(w) + Σ_{calls} Σ_{outputs y} R_a(y) / B
 *
 * each trainable weight's penalty once (a shared layer's too), a frozen
 * weight's none, an activity penalty per call of its layer (the layer's
 * outputs, collected while the step runs: src/layers/penalties.ts). The same
 * total is the training loss and the loss fit and evaluate report (Keras's
 * test step computes it too). After each optimizer step every trained weight
 * with a constraint takes its projection, w ← c(w), on whatever optimizer made the step.
 */
import { tf } from '../tf';
import { activityRegularizerOf, allLayers, constraintOf, regularizerOf, takeActivityLosses } from '../layers/penalties';

/** The model's trainable weights, each once. */
function trainableWeights(model: tf.LayersModel): tf.LayerVariable[] {
  return [...new Set(model.trainableWeights)];
}

/**
 * The penalties to add to the loss now: each trainable weight's regularizer
 * (once), the losses tfjs's own layers hold (`tf.layers.dense({ kernelRegularizer })`,
 * a layer that passed a tfjs regularizer to `addWeight`), unless frozen, and
 * the activity penalties recorded since the last call in the running step.
 */
export function modelPenalties(model: tf.LayersModel): tf.Scalar[] {
  const out: tf.Scalar[] = [];
  for (const v of trainableWeights(model)) {
    const r = regularizerOf(v);
    if (r) out.push(r.apply(v.read())); //                                  R_w(w)
  }
  for (const { layer, trainable } of allLayers(model.layers)) {
    if (trainable) out.push(...layer.losses.map((f) => f()));
  }
  out.push(...takeActivityLosses()); //                                    R_a(y) / B
  return out;
}

/** Whether the model has anything to add to its loss: a weight or activity regularizer, or a tfjs layer's own losses. */
export function hasPenalties(model: tf.LayersModel): boolean {
  if (trainableWeights(model).some((v) => regularizerOf(v) != null)) return true;
  return allLayers(model.layers).some(({ layer, trainable }) => activityRegularizerOf(layer) != null || (trainable && layer.losses.length > 0));
}

/** w ← c(w) for each weight the optimizer trains that has a constraint (ours, or a tfjs layer's own). */
export function applyConstraints(model: tf.LayersModel): void {
  const trained = (model as unknown as { collectedTrainableWeights?: tf.LayerVariable[] }).collectedTrainableWeights ?? model.trainableWeights;
  for (const v of new Set(trained)) {
    const c = constraintOf(v);
    if (c == null) continue;
    tf.tidy(() => {
      const w = v.read() as tf.Variable;
      w.assign(c.apply(w)); // not v.write: that would apply a tfjs constraint a second time
    });
  }
}
