/**
 * PyTorch `nn.RNN` / `nn.LSTM` / `nn.GRU` weights onto our layers. What moves
 * where (docs/interop.md), with G gates and H units:
 *
 *   weight_ih_l{k}  [G·H, D]  →  kernel W            [D, G·H]   transposed
 *   weight_hh_l{k}  [G·H, H]  →  recurrentKernel U   [H, G·H]   transposed
 *   bias_ih_l{k}, bias_hh_l{k} [G·H]
 *       SimpleRNN, LSTM: bias b = b_ih + b_hh        [G·H]      (the two always add up)
 *       GRU (resetAfter): bias = [b_ih; b_hh]        [2, G·H]   (b_hh sits inside r ⊙ (·))
 *   gate blocks: LSTM i,f,g,o = Keras i,f,c,o (as is); GRU r,z,n → Keras z,r,h
 *   `_reverse` suffix: the backward direction of a bidirectional module.
 *
 * Every shape is asserted before anything is written.
 */
import { tf } from '../../tf';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../../errors';
import { nestedShape } from '../../nested_array';
import { RecurrentLayer } from '../../layers/rnn';
import { Bidirectional } from '../../layers/bidirectional';
import { permuteGates, recurrentSpec } from '../recurrent';

/** A `state_dict` as JSON: parameter name → nested arrays (or tensors). */
export type TorchStateDict = Record<string, unknown>;

/** Options of {@link fromTorchStateDict}. */
export interface FromTorchOptions {
  /** Which layer of a multi-layer module: reads `..._l{layer}` (default 0). */
  layer?: number;
  /** A prefix before the parameter names, e.g. `'encoder.rnn.'` for a submodule of a bigger model's state_dict. */
  prefix?: string;
}

/**
 * Copies the weights of a PyTorch `nn.RNN`, `nn.LSTM` or `nn.GRU` (one of its
 * layers, one or both directions) into a SimpleRNN, LSTM, GRU or
 * Bidirectional layer with the same units. The layer must compute what the
 * module computes: same `activation` as `nonlinearity` for SimpleRNN,
 * `resetAfter: true` (the default) for GRU, a Bidirectional for
 * `bidirectional=True`. Torch's batch_first=False only changes the input
 * layout, not the weights: feed our layers [batch, time, features].
 *
 * In Python, `json.dump({k: v.tolist() for k, v in module.state_dict().items()}, f)`
 * writes the JSON this reads (docs/interop.md).
 *
 * @example
 * ```ts
 * import { LSTM, fromTorchStateDict } from 'tfjs-recurrent';
 * import { readFileSync } from 'fs';
 * const lstm = new LSTM({ units: 64, returnSequences: true });
 * lstm.build([null, null, 16]);   // or pass the layer built inside a model
 * fromTorchStateDict(lstm, JSON.parse(readFileSync('lstm_state.json', 'utf8')));
 * ```
 */
export function fromTorchStateDict(layer: RecurrentLayer | Bidirectional, stateDict: TorchStateDict, options: FromTorchOptions = {}): void {
  if (stateDict == null || typeof stateDict !== 'object' || Array.isArray(stateDict)) {
    throw new RecurrentInputError(`fromTorchStateDict: stateDict must be an object of parameter name → array, got ${fmtValue(stateDict)}`);
  }
  const k = options.layer ?? 0;
  if (!Number.isInteger(k) || k < 0) throw new RecurrentConfigError(`fromTorchStateDict: layer must be an integer >= 0, got ${fmtValue(options.layer)}`);
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string') throw new RecurrentConfigError(`fromTorchStateDict: prefix must be a string, got ${fmtValue(prefix)}`);
  const reverseKey = `${prefix}weight_ih_l${k}_reverse`;
  if (layer instanceof Bidirectional) {
    if (!(reverseKey in stateDict)) {
      throw new RecurrentInputError(`fromTorchStateDict: Bidirectional '${layer.name}' needs a bidirectional module (no ${reverseKey} in the state dict)`);
    }
    const D = inputDim(stateDict, `${prefix}weight_ih_l${k}`);
    if (!layer.built) layer.build([null, null, D]);
    const fw = weightsFor(layer.forwardLayer, stateDict, `${prefix}`, `_l${k}`);
    const bw = weightsFor(layer.backwardLayer, stateDict, `${prefix}`, `_l${k}_reverse`);
    try {
      layer.setWeights([...fw, ...bw]);
    } finally {
      tf.dispose([...fw, ...bw]);
    }
    return;
  }
  if (!(layer instanceof RecurrentLayer)) {
    throw new RecurrentConfigError(`fromTorchStateDict: layer must be a SimpleRNN, LSTM, GRU or Bidirectional, got ${fmtValue(layer)}`);
  }
  if (reverseKey in stateDict) {
    throw new RecurrentInputError(
      `fromTorchStateDict: the state dict is of a bidirectional module (it has ${reverseKey}); load it into a Bidirectional layer`,
    );
  }
  if (!layer.built) layer.build([null, null, inputDim(stateDict, `${prefix}weight_ih_l${k}`)]);
  const ws = weightsFor(layer, stateDict, prefix, `_l${k}`);
  try {
    layer.setWeights(ws);
  } finally {
    tf.dispose(ws);
  }
}

function inputDim(sd: TorchStateDict, key: string): number {
  const shape = shapeOf(sd, key);
  if (shape.length !== 2) throw new RecurrentInputError(`fromTorchStateDict: ${key} must be a matrix [G·H, D], got shape ${fmtShape(shape)}`);
  return shape[1];
}

/** The shape of a nested array or tensor; a ragged or non-numeric array is an error naming the key and where. */
function shapeOf(sd: TorchStateDict, key: string): number[] {
  if (!Object.prototype.hasOwnProperty.call(sd, key)) {
    const names = Object.keys(sd);
    throw new RecurrentInputError(
      `fromTorchStateDict: no ${key} in the state dict (it has ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', ...' : ''})`,
    );
  }
  const v = sd[key];
  if (v instanceof tf.Tensor) return v.shape;
  // Every row must have the length of the first at its depth, down to numbers: a short row is not padded, a long one not cut.
  const { shape, irregular: bad } = nestedShape(v);
  if (bad?.kind === 'leaf') throw new RecurrentInputError(`fromTorchStateDict: ${key} must be a nested array of numbers, got ${fmtValue(bad.got)} at ${key}${bad.at}`);
  if (bad?.kind === 'row') {
    const got = Array.isArray(bad.got) ? `length ${bad.got.length}` : fmtValue(bad.got);
    throw new RecurrentInputError(`fromTorchStateDict: ${key} is ragged: ${key}${bad.at} has ${got}, expected ${bad.expected} (as ${key}${'[0]'.repeat(bad.depth)})`);
  }
  return shape;
}

/** A parameter as a float32 tensor of the expected shape. */
function param(sd: TorchStateDict, key: string, expected: number[], meaning: string): tf.Tensor {
  const shape = shapeOf(sd, key);
  if (shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
    throw new RecurrentInputError(`fromTorchStateDict: ${key} must have shape ${fmtShape(expected)} (${meaning}), got ${fmtShape(shape)}`);
  }
  const v = sd[key];
  if (v instanceof tf.Tensor) return tf.cast(v, 'float32');
  let t: tf.Tensor;
  try {
    t = tf.tensor(v as number[], expected, 'float32');
  } catch (e) {
    throw new RecurrentInputError(`fromTorchStateDict: ${key} is not a regular array of shape ${fmtShape(expected)} (${(e as Error).message})`);
  }
  if (!t.dataSync().every(Number.isFinite)) {
    throw new RecurrentInputError(`fromTorchStateDict: ${key} holds a non-finite value`);
  }
  return t;
}

/** [kernel, recurrentKernel, bias?] in Keras layout for one direction of one layer. */
function weightsFor(layer: RecurrentLayer, sd: TorchStateDict, prefix: string, suffix: string): tf.Tensor[] {
  const spec = recurrentSpec(layer);
  if (spec == null) throw new RecurrentConfigError(`fromTorchStateDict: layer must be a SimpleRNN, LSTM or GRU, got ${layer.getClassName()}`);
  const { kind, units: H, gates: G } = spec;
  const what = `${layer.getClassName().replace(/^.*>/, '')} '${layer.name}'`;
  if (kind === 'gru' && !spec.resetAfter) {
    throw new RecurrentConfigError(
      `fromTorchStateDict: ${what} has resetAfter: false, but torch.nn.GRU applies the reset gate after the recurrent product; use resetAfter: true (the default)`,
    );
  }
  if (`${prefix}weight_hr${suffix}` in sd) {
    throw new RecurrentInputError(`fromTorchStateDict: ${prefix}weight_hr${suffix} is an LSTM projection (proj_size > 0), which ${what} does not have`);
  }
  const D = layer.getWeights()[0].shape[0];
  const hasBias = `${prefix}bias_ih${suffix}` in sd || `${prefix}bias_hh${suffix}` in sd;
  if (hasBias && !layer.useBias) {
    throw new RecurrentConfigError(`fromTorchStateDict: the state dict has biases (${prefix}bias_ih${suffix}) but ${what} has useBias: false`);
  }
  return tf.tidy(() => {
    const wIh = param(sd, `${prefix}weight_ih${suffix}`, [G * H, D], `${G} gates × ${H} units, ${D} input features`);
    const wHh = param(sd, `${prefix}weight_hh${suffix}`, [G * H, H], `${G} gates × ${H} units, ${H} units`);
    const kerasOrder = (t: tf.Tensor, axis: number) => permuteGates(t, kind, 'torch', 'keras', axis);
    const W = kerasOrder(tf.transpose(wIh), 1); //                             [D, G·H]
    const U = kerasOrder(tf.transpose(wHh), 1); //                             [H, G·H]
    if (!layer.useBias) return [W, U];
    const zeros = () => tf.zeros([G * H]);
    const bIh = hasBias ? param(sd, `${prefix}bias_ih${suffix}`, [G * H], `${G} gates × ${H} units`) : zeros();
    const bHh = hasBias ? param(sd, `${prefix}bias_hh${suffix}`, [G * H], `${G} gates × ${H} units`) : zeros();
    const b = spec.resetAfter
      ? tf.stack([kerasOrder(bIh, 0), kerasOrder(bHh, 0)]) //                  [2, 3H]: input row, recurrent row
      : kerasOrder(tf.add(bIh, bHh), 0); //                                     [G·H]: b = b_ih + b_hh
    return [W, U, b];
  });
}
