/**
 * `apply(x, { initialState })`, written once for the recurrent layers and
 * Bidirectional: the states move from the options into the inputs,
 * [x, ...states], so tfjs tracks them as inputs (eagerly or symbolically)
 * and `call` finds them there, after x.
 */
import { tf } from '../tf';
import { RecurrentInputError, fmtValue } from '../errors';
import { Kwargs, Layer, first, isPlainArray, kerasClassName, withArrayInput } from './base';

type Inputs = tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] | number[][][];
type Outputs = tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[];

/** What `initialState` must hold: `count` tensors [batch, units], described for the error as `what`. */
export interface InitialStateSpec {
  count: number;
  /** The states' size (`3`), or their shapes when they differ (`[batch, 8], [batch, 4]`). */
  units: number | string;
  /** e.g. "a list of 2 tensor(s) [h, c] of shape [batch, 3]". */
  what: string;
}

/**
 * Calls `apply` (the layer's base apply) with `initialState` taken out of `kwargs`
 * and put after x in the inputs, once it is checked: `spec.count` tensors. A nested
 * array x is taken as Keras takes a list, through the layer's own apply.
 */
export function applyWithInitialState(
  layer: Layer,
  inputs: Inputs,
  kwargs: Kwargs | undefined,
  spec: InitialStateSpec,
  apply: (inputs: tf.Tensor | tf.Tensor[], kwargs?: Kwargs) => Outputs,
): Outputs {
  if (isPlainArray(inputs)) return withArrayInput(layer, inputs, (x) => layer.apply(x, kwargs) as Outputs); // as Keras takes a nested list
  const init = kwargs?.initialState;
  if (init == null) return apply(inputs as tf.Tensor | tf.Tensor[], kwargs);
  const who = `${kerasClassName(layer)} (layer '${layer.name}')`;
  const states = (Array.isArray(init) ? init : [init]) as Array<tf.Tensor | tf.SymbolicTensor>;
  if (states.length !== spec.count) {
    throw new RecurrentInputError(`${who}: initialState must be ${spec.what}, got ${states.length}`);
  }
  if (!states.every((t) => t instanceof tf.Tensor || t instanceof tf.SymbolicTensor)) {
    const shapes = typeof spec.units === 'number' || !spec.units.startsWith('[') ? `[batch, ${spec.units}]` : spec.units;
    throw new RecurrentInputError(`${who}: initialState must hold tensors ${shapes}, got ${fmtValue(states.map((t) => (t instanceof tf.Tensor ? 'Tensor' : typeof t)))}`);
  }
  const rest = { ...kwargs };
  delete rest.initialState;
  const x = first(inputs as unknown as Array<tf.Tensor | tf.SymbolicTensor>);
  return apply([x, ...states] as tf.Tensor[], rest);
}

/** The other side, in `call`: x, the initial states after it (or still in the options), the mask and the training flag. */
export function callInputs(
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Kwargs,
): { x: tf.Tensor; initialState?: tf.Tensor[]; mask?: tf.Tensor; training: boolean } {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  return {
    x: list[0],
    initialState: list.length > 1 ? list.slice(1) : (kwargs.initialState as tf.Tensor[] | undefined),
    mask: kwargs.mask == null ? undefined : first(kwargs.mask as tf.Tensor | tf.Tensor[]),
    training: kwargs.training === true,
  };
}
