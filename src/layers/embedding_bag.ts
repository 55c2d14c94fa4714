/**
 * EmbeddingBag: a bag of K ids per time step → the mean of their rows of a
 * trainable table E [V, E_dim]; id 0 is an empty slot. docs/equations.md#embeddingbag
 *
 *   m_{b,t,k} = [ids[b, t, k] ≠ 0]
 *   y[b, t]   = Σ_k m_{b,t,k} E[ids[b, t, k]] / max(1, Σ_k m_{b,t,k})
 *
 * As PyTorch's `nn.EmbeddingBag(mode='mean', padding_idx=0)`, one bag per
 * time step. With a word id and the ids of its hashed character n-grams in
 * each bag (`subwordBags`), each word's vector is the fastText subword
 * average, so words the tokenizer never saw still get a vector from their
 * spelling. The lookup and its scatter-add gradient are Embedding's.
 */
import { tf } from '../tf';
import { RecurrentInputError, fmtShape, fmtValue } from '../errors';
import { Embedding, EmbeddingArgs, embeddingLookup } from './embedding';
import { Kwargs, NS, Shape, first, firstShape } from './base';
import { recordActivity } from './penalties';

/** Options of {@link EmbeddingBag}: those of {@link Embedding}; `inputLength` is the number of time steps. */
export type EmbeddingBagArgs = EmbeddingArgs;

/**
 * Turns bags of integer ids [batch, time, bag] into vectors [batch, time,
 * outputDim], the mean of the rows of the non-zero ids of each bag (zeros
 * for an empty bag). With `maskZero`, a step whose bag is empty is masked.
 * Weights: `[embeddings [inputDim, outputDim]]`.
 *
 * @example
 * ```ts
 * import { tf, EmbeddingBag } from 'tfjs-recurrent';
 * const emb = new EmbeddingBag({ inputDim: 100, outputDim: 8, maskZero: true });
 * // Two steps: the mean of rows 5 and 9, then an empty (masked) step.
 * const y = emb.apply(tf.tensor3d([[[5, 9, 0], [0, 0, 0]]], [1, 2, 3], 'int32')) as tf.Tensor; // [1, 2, 8]
 * ```
 */
export class EmbeddingBag extends Embedding {
  static override className = NS + 'EmbeddingBag';

  protected static override defaultInputShape(inputLength?: number): Shape {
    return [inputLength ?? null, null];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...firstShape(inputShape).slice(0, -1), this.outputDim];
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!this.maskZero) return null as unknown as tf.Tensor;
    return tf.tidy(() => tf.any(tf.notEqual(first(inputs), 0), -1)); // [B, T]: a step is real if its bag is not empty
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    void kwargs;
    const ids = first(inputs);
    if (!(ids instanceof tf.Tensor) || ids.rank !== 3) {
      throw new RecurrentInputError(
        `EmbeddingBag expects integer ids of shape [batch, time, bag], got ${ids instanceof tf.Tensor ? `shape ${fmtShape(ids.shape)}` : fmtValue(ids)} (layer '${this.name}')`,
      );
    }
    this.checkIds(ids);
    // No bags (an empty batch or no steps) or empty bags: zeros of the output's shape, on every backend (wasm divides by zero otherwise).
    if (ids.size === 0) return tf.zeros([...ids.shape.slice(0, 2), this.outputDim]);
    const y = tf.tidy(() => {
      const i = ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'); //                  [B, T, K]
      const rows = embeddingLookup(this.embeddings!.read() as tf.Tensor2D, i); //          [B, T, K, E]: E[ids_k]
      const m = tf.expandDims(tf.cast(tf.notEqual(i, 0), 'float32'), -1); //                [B, T, K, 1]: m_k
      const n = tf.maximum(tf.sum(m, 2), 1); //                                            [B, T, 1]: max(1, Σ_k m_k)
      return tf.div(tf.sum(tf.mul(rows, m), 2), n); //                                     [B, T, E]: y = Σ_k m_k E[ids_k] / n
    });
    return recordActivity(this, y); // R(y) / B, in a model's step
  }
}
tf.serialization.registerClass(EmbeddingBag);
