/**
 * Global pooling over time: [B, T, F] → [B, F], honouring the mask (padded
 * steps take no part), as Keras's GlobalMaxPooling1D / GlobalAveragePooling1D.
 *
 *   max:      y = max_{t: m_t = 1} x_t
 *   average:  y = Σ_t m_t x_t / Σ_t m_t
 *
 * A sequence whose every step is masked (an empty text) pools to 0 with either.
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../errors';
import { Kwargs, Layer, LayerArgs, NS, Shape, baseArgs, first, firstShape, kerasNameOf } from './base';
import { maskFloats } from './loop';

abstract class GlobalPooling1D extends Layer {
  constructor(args: LayerArgs = {}) {
    const kerasName = kerasNameOf(new.target);
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`${kerasName}: expects an options object (or nothing), got ${fmtValue(args)}`);
    }
    super(baseArgs(kerasName, args));
    this.supportsMasking = true;
  }

  private check(shape: Shape): void {
    if (shape.length !== 3) {
      throw new RecurrentInputError(`${this.kerasName} expects input of rank 3 [batch, time, features], got shape ${fmtShape(shape)} (layer '${this.name}')`);
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = firstShape(inputShape);
    this.check(s);
    return [s[0], s[2]];
  }

  override computeMask(): tf.Tensor {
    return null as unknown as tf.Tensor;
  }

  protected abstract pool(x: tf.Tensor3D, m: tf.Tensor3D | null): tf.Tensor2D;

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = first(inputs) as tf.Tensor3D;
    this.check(x.shape);
    if (x.shape[1] === 0) {
      // max and mean over no steps have no value (NaN on cpu, stale memory on wasm): refused, alike on every backend.
      throw new RecurrentInputError(`${this.kerasName} expects at least one time step, got shape ${fmtShape(x.shape)} (layer '${this.name}')`);
    }
    const mask = kwargs.mask == null ? null : first(kwargs.mask as tf.Tensor | tf.Tensor[]);
    if (x.shape[0] === 0) return tf.zeros([0, x.shape[2]]); // no sequences: no rows (wasm's reductions divide by zero here)
    // int32 and bool inputs pool as float32 (TensorFlow's Max has no bool kernel).
    return tf.tidy(() => this.pool(x.dtype === 'float32' ? x : (tf.cast(x, 'float32') as tf.Tensor3D), mask ? maskFloats(mask) : null));
  }
}

/**
 * The largest value of each feature over the real (unmasked) steps; 0 for a
 * sequence with no real step (as GlobalAveragePooling1D gives), so that an
 * empty text does not pool to a huge negative value.
 * @example
 * ```ts
 * import { tf, GlobalMaxPooling1D } from 'tfjs-recurrent';
 * const y = new GlobalMaxPooling1D().apply(tf.randomNormal([2, 5, 8])) as tf.Tensor; // [2, 8]
 * ```
 */
export class GlobalMaxPooling1D extends GlobalPooling1D {
  static className = NS + 'GlobalMaxPooling1D';
  protected pool(x: tf.Tensor3D, m: tf.Tensor3D | null): tf.Tensor2D {
    if (!m) return tf.max(x, 1) as tf.Tensor2D;
    const real = tf.broadcastTo(tf.greater(m, 0), x.shape); //            [B, T, F]
    const y = tf.max(tf.where(real, x, tf.fill(x.shape, -Infinity)), 1); // y = max_{t: m_t = 1} x_t   [B, F]
    const any = tf.broadcastTo(tf.greater(tf.sum(m, 1), 0), y.shape); //   Σ_t m_t > 0   [B, F]
    return tf.where(any, y, tf.zerosLike(y)) as tf.Tensor2D; //             0 where no step is real
  }
}
tf.serialization.registerClass(GlobalMaxPooling1D);

/**
 * The mean of each feature over the real (unmasked) steps.
 * @example
 * ```ts
 * import { tf, GlobalAveragePooling1D } from 'tfjs-recurrent';
 * const y = new GlobalAveragePooling1D().apply(tf.ones([2, 5, 8])) as tf.Tensor; // [2, 8] of ones
 * ```
 */
export class GlobalAveragePooling1D extends GlobalPooling1D {
  static className = NS + 'GlobalAveragePooling1D';
  protected pool(x: tf.Tensor3D, m: tf.Tensor3D | null): tf.Tensor2D {
    if (!m) return tf.mean(x, 1) as tf.Tensor2D;
    // y = Σ_t m_t x_t / max(Σ_t m_t, 1)
    return tf.div(tf.sum(tf.mul(x, m), 1), tf.maximum(tf.sum(m, 1), 1)) as tf.Tensor2D;
  }
}
tf.serialization.registerClass(GlobalAveragePooling1D);
