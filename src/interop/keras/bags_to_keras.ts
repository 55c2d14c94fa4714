/**
 * Layers Keras 3 does not ship, written as small graphs of layers it does
 * ship, so that `keras.saving.load_model` needs no custom code: the
 * EmbeddingBag of the demo's subword bags, the demo's WordCountLogit, and a
 * masked mean over time that gives 0, not Keras's 0/0, for a sequence of
 * padding only. The helper layers hold constants and are frozen
 * (`trainable: false`); the tables of ours stay trainable, and a padding id
 * gets no gradient, as here.
 *
 * EmbeddingBag over ids [B, T, K] (V rows, E columns), y = Σ_k m_k E[ids_k] / max(1, Σ_k m_k):
 *
 *   e  = Embedding(V, E)(ids)                 [B, T, K, E]     E[ids_k]          (the trainable table)
 *   m  = Embedding(V, 1)(ids)                 [B, T, K, 1]     m_k = [ids_k ≠ 0]  (rows 0, 1, 1, ...)
 *   s  = Reshape(Dense(1)(Permute(Concatenate([e ⊙ m, m]))))
 *                                             [B, T, E + 1]    [Σ_k m_k e_k | c], c = Σ_k m_k  (Dense of ones over k)
 *   r  = Reshape(Embedding(K + 1, 1)(Dense(1)(s)))
 *                                             [B, T, 1]        1 / max(1, c)     (c picked out, then a table over c)
 *   p  = s ⊙ r                                [B, T, E + 1]    [y | [c > 0]]     (unmasked: the padded form)
 *   y  = Dense(E)(Masking(0)(p))              [B, T, E]        y, masked where c = 0  ([I; 0]: the last column dropped)
 *
 * WordCountLogit over ids [B, T], s = c Σ_t m_t v[ids_t]: Flatten(Embedding(V, 1)(ids) ⊙ Embedding(V, 1)(ids)) then Dense(1) of c's.
 *
 * Masked mean over time of p (above; T known), Σ_t y_t / max(1, n) with n = Σ_t [c_t > 0]:
 *
 *   a = GlobalAveragePooling1D(p)             [B, E + 1]       [Σ_t y_t / T | n / T]   (p has no mask)
 *   q = Reshape(Embedding(T + 1, 1)(Dense(1)(a)))
 *                                             [B, 1]           T / max(1, n)           (n + 0.5 picked out, then a table over n)
 *   mean = Dense(E)(a ⊙ q)                    [B, E]
 */
import type { EmbeddingBag } from '../../layers/embedding_bag';
import type { WordCountLogit } from '../../sentiment/wide';
import { DTYPE_POLICY, HostArray, KerasJson, kerasInitializer, wrap } from './keras_json';
import { KerasGraph, KerasTensor } from './graph';
import { RecurrentConfigError } from '../../errors';
import { kerasPenalties } from './penalties_to_keras';

type Shape = Array<number | null>;
const host = (shape: number[], data: ArrayLike<number>): HostArray => ({ shape, data: Float32Array.from(data) });

/** The base config of a frozen layer (of constants), and of a layer without weights. */
const frozen = (name: string): KerasJson => ({ name, trainable: false, dtype: DTYPE_POLICY });
const plain = (name: string): KerasJson => ({ name, trainable: true, dtype: DTYPE_POLICY });
const ZEROS = kerasInitializer(undefined, 'Zeros');

/** A frozen lookup table [rows, 1] of the given values. */
function table(g: KerasGraph, name: string, values: number[], x: KerasTensor): KerasTensor {
  const config = wrap('Embedding', { ...frozen(g.fresh(name)), input_dim: values.length, output_dim: 1, embeddings_initializer: ZEROS, mask_zero: false });
  return g.add1(config, { vars: [host([values.length, 1], values)] }, x, [...x.shape, 1]);
}

/** A frozen Dense without bias (or with `bias`) whose kernel [D, U] is `kernel`; `extra` adds to its config. */
function constantDense(g: KerasGraph, name: string, kernel: number[][], x: KerasTensor, bias?: number[], extra: KerasJson = {}): KerasTensor {
  const [D, U] = [kernel.length, kernel[0].length];
  const config = wrap('Dense', { ...frozen(g.fresh(name)), units: U, activation: 'linear', use_bias: bias != null, kernel_initializer: ZEROS, bias_initializer: ZEROS, ...extra });
  const vars = [host([D, U], kernel.flat()), ...(bias != null ? [host([U], bias)] : [])];
  return g.add1(config, { vars }, x, [...x.shape.slice(0, -1), U]);
}

const merge = (g: KerasGraph, className: string, name: string, xs: KerasTensor[], shape: Shape, extra: KerasJson = {}) =>
  g.add1(wrap(className, { ...plain(g.fresh(name)), ...extra }), { vars: [] }, xs, shape);
const reshape = (g: KerasGraph, name: string, x: KerasTensor, target: number[], shape: Shape) =>
  g.add1(wrap('Reshape', { ...plain(g.fresh(name)), target_shape: target }), { vars: [] }, x, shape);
const ones = (rows: number, value = 1) => Array.from({ length: rows }, () => [value]);
/** [I; 0]: [n + 1, n], keeps the first n columns. */
const dropLast = (n: number) => Array.from({ length: n + 1 }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

/** What an EmbeddingBag becomes: its masked output, and the same values unmasked with the column [c > 0] beside them. */
export interface KerasBag {
  value: KerasTensor;
  padded: KerasTensor;
}

export function embeddingBagToKeras(g: KerasGraph, layer: EmbeddingBag, ids: KerasTensor): KerasBag {
  const n = layer.name;
  const [B, T, K] = ids.shape;
  if (K == null) throw new RecurrentConfigError(`saveKeras: EmbeddingBag '${n}' has bags of no fixed size (input shape ${JSON.stringify(ids.shape)}); Keras's form of it needs one: give the layer an inputShape [time, bag]`);
  const E = layer.outputDim;
  const V = layer.inputDim;
  const cfg = layer.getConfig();
  const emb = wrap('Embedding', {
    name: n, trainable: layer.trainable, dtype: DTYPE_POLICY, input_dim: V, output_dim: E, mask_zero: false,
    embeddings_initializer: kerasInitializer(cfg.embeddingsInitializer, 'RandomUniform'),
    ...kerasPenalties(cfg, ['embeddingsRegularizer', 'embeddingsConstraint'], 'saveKeras', n),
  });
  const e = g.add1(emb, { vars: layer.getWeights() }, ids, [B, T, K, E]); //                       [B, T, K, E]
  const m = table(g, `${n}_real`, Array.from({ length: V }, (_, i) => (i === 0 ? 0 : 1)), ids); //  [B, T, K, 1]
  const em = merge(g, 'Multiply', `${n}_real_rows`, [e, m], [B, T, K, E]); //                     m_k E[ids_k]
  const both = merge(g, 'Concatenate', `${n}_with_real`, [em, m], [B, T, K, E + 1], { axis: -1 }); // [B, T, K, E + 1]
  const byBag = g.add1(wrap('Permute', { ...plain(g.fresh(`${n}_bag_last`)), dims: [1, 3, 2] }), { vars: [] }, both, [B, T, E + 1, K]);
  const sums = reshape(g, `${n}_sums`, constantDense(g, `${n}_sum`, ones(K), byBag), [-1, E + 1], [B, T, E + 1]); // [Σ m e | c]
  const count = constantDense(g, `${n}_count`, [...ones(E, 0), [1]], sums); //                     [B, T, 1]: c
  const recip = table(g, `${n}_reciprocal`, Array.from({ length: K + 1 }, (_, c) => 1 / Math.max(1, c)), count); // [B, T, 1, 1]
  const r = reshape(g, `${n}_reciprocals`, recip, [-1, 1], [B, T, 1]);
  const padded = merge(g, 'Multiply', `${n}_means`, [sums, r], [B, T, E + 1]); //                 [y | [c > 0]]
  const masked = g.add1(wrap('Masking', { ...plain(g.fresh(`${n}_mask`)), mask_value: 0 }), { vars: [] }, padded, [B, T, E + 1]);
  // The bag's activity penalty on the layer whose output is the bag's (frozen layers keep theirs, in Keras too).
  const activity = kerasPenalties(cfg, ['activityRegularizer'], 'saveKeras', n, true);
  return { value: constantDense(g, `${n}_values`, dropLast(E), masked, undefined, activity), padded };
}

export function wordCountLogitToKeras(g: KerasGraph, layer: WordCountLogit, ids: KerasTensor): KerasTensor {
  const n = layer.name;
  const [B, T] = ids.shape;
  if (T == null) throw new RecurrentConfigError(`saveKeras: WordCountLogit '${n}' reads texts of no fixed length (input shape ${JSON.stringify(ids.shape)}); Keras's form of it needs one: give the model's input a shape [time]`);
  const V = layer.inputDim;
  const reg = layer.l2 > 0 ? { module: 'keras.regularizers', class_name: 'L2', config: { l2: layer.l2 * layer.scale * layer.scale }, registered_name: null } : null;
  const emb = wrap('Embedding', {
    name: n, trainable: layer.trainable, dtype: DTYPE_POLICY, input_dim: V, output_dim: 1, mask_zero: false,
    embeddings_initializer: ZEROS, embeddings_regularizer: reg,
  });
  const v = g.add1(emb, { vars: layer.getWeights() }, ids, [B, T, 1]); //                              v[ids_t]
  const m = table(g, `${n}_real`, Array.from({ length: V }, (_, i) => (i === 0 ? 0 : 1)), ids); //   m_t
  const vm = g.add1(wrap('Flatten', { ...plain(g.fresh(`${n}_steps`)), data_format: 'channels_last' }), { vars: [] },
    merge(g, 'Multiply', `${n}_real_weights`, [v, m], [B, T, 1]), [B, T]);
  return constantDense(g, `${n}_sum`, ones(T, layer.scale), vm); //                          [B, 1]: c Σ_t m_t v[ids_t]
}

/** GlobalAveragePooling1D over a bag's output, as ours computes it: 0 for a text of padding only. `T` must be known. */
export function maskedMeanToKeras(g: KerasGraph, name: string, padded: KerasTensor): KerasTensor {
  const [B, T, F1] = padded.shape as [number | null, number, number];
  const a = g.add1(wrap('GlobalAveragePooling1D', { ...plain(name), data_format: 'channels_last', keepdims: false }), { vars: [] }, padded, [B, F1]);
  const count = constantDense(g, `${name}_count`, [...ones(F1 - 1, 0), [T]], a, [0.5]); //                [B, 1]: n + 0.5
  const q = reshape(g, `${name}_scales`, table(g, `${name}_scale`, Array.from({ length: T + 1 }, (_, k) => T / Math.max(1, k)), count), [1], [B, 1]);
  return constantDense(g, `${name}_values`, dropLast(F1 - 1), merge(g, 'Multiply', `${name}_means`, [a, q], [B, F1]));
}
