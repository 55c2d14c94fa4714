/**
 * What every format needs to know of a recurrent layer, worked out once: its
 * kind, gates, activations and weights in Keras's layout; and the one table
 * of the gate orders of Keras (ours), PyTorch and ONNX, with the one
 * function that reorders gate blocks between them.
 *
 *   Keras   LSTM i, f, c, o    GRU z, r, h    SimpleRNN h
 *   PyTorch LSTM i, f, g, o    GRU r, z, n    RNN h
 *   ONNX    LSTM i, o, f, c    GRU z, r, h    RNN h
 *
 * (PyTorch's g and n are Keras's c and h: the candidate.)
 */
import { tf } from '../tf';
import { RecurrentLayer } from '../layers/rnn';
import { SimpleRNN } from '../layers/simple_rnn';
import { LSTM } from '../layers/lstm';
import { GRU } from '../layers/gru';
import { GatedRecurrentLayer } from '../layers/gated';

/** Which recurrence: SimpleRNN (Keras; PyTorch's and ONNX's RNN), LSTM or GRU. */
export type RecurrentKind = 'simpleRNN' | 'lstm' | 'gru';
/** Whose gate order: Keras's (ours), PyTorch's or ONNX's. */
export type GateFormat = 'keras' | 'torch' | 'onnx';

/** The gate blocks of each kind in each format's order, named by Keras's symbols (c and h: the candidate). */
export const GATE_ORDER: Record<GateFormat, Record<RecurrentKind, readonly string[]>> = {
  keras: { simpleRNN: ['h'], lstm: ['i', 'f', 'c', 'o'], gru: ['z', 'r', 'h'] },
  torch: { simpleRNN: ['h'], lstm: ['i', 'f', 'c', 'o'], gru: ['r', 'z', 'h'] },
  onnx: { simpleRNN: ['h'], lstm: ['i', 'o', 'f', 'c'], gru: ['z', 'r', 'h'] },
};

/** One recurrent layer (one direction), as the formats see it. */
export interface RecurrentSpec {
  kind: RecurrentKind;
  /** H. */
  units: number;
  /** G, gate blocks: 1, 4 or 3. */
  gates: number;
  activation: string;
  /** σ of the gates; null for SimpleRNN. */
  recurrentActivation: string | null;
  /** GRU: the reset gate applied after the recurrent product (and b = [b_input; b_recurrent], [2, 3H]). False elsewhere. */
  resetAfter: boolean;
  useBias: boolean;
}

/** The spec of `layer` if it is one of our SimpleRNN, LSTM or GRU; else null. */
export function recurrentSpec(layer: unknown): RecurrentSpec | null {
  if (!(layer instanceof RecurrentLayer)) return null;
  const kind: RecurrentKind | null = layer instanceof LSTM ? 'lstm' : layer instanceof GRU ? 'gru' : layer instanceof SimpleRNN ? 'simpleRNN' : null;
  if (kind == null) return null;
  return {
    kind,
    units: layer.units,
    gates: GATE_ORDER.keras[kind].length,
    activation: layer.activationName,
    recurrentActivation: layer instanceof GatedRecurrentLayer ? layer.recurrentActivationName : null,
    resetAfter: layer instanceof GRU && layer.resetAfter,
    useBias: layer.useBias,
  };
}

/** The layer's weights in Keras's layout: W [D, G·H], U [H, G·H], b [G·H] ([2, 3H] for GRU with resetAfter) or null. */
export function kerasWeights(layer: RecurrentLayer): { W: tf.Tensor2D; U: tf.Tensor2D; b: tf.Tensor | null } {
  const [W, U, b] = layer.getWeights();
  return { W: W as tf.Tensor2D, U: U as tf.Tensor2D, b: b ?? null };
}

/**
 * `t`'s gate blocks along `axis` (G equal blocks), reordered from format
 * `from`'s order to `to`'s. A new tensor; SimpleRNN's one block is copied as is.
 */
export function permuteGates(t: tf.Tensor, kind: RecurrentKind, from: GateFormat, to: GateFormat, axis: number): tf.Tensor {
  const source = GATE_ORDER[from][kind];
  const target = GATE_ORDER[to][kind];
  if (source.length === 1) return t.clone();
  return tf.tidy(() => {
    const blocks = tf.split(t, source.length, axis);
    return tf.concat(target.map((g) => blocks[source.indexOf(g)]), axis);
  });
}
