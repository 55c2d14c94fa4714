/**
 * Masking: marks the time steps whose features all equal `maskValue` as
 * padding, for the layers after it, and sets them to 0 (Keras's Masking).
 *
 *   m_t = [∃ f: x[b, t, f] ≠ maskValue]          (the mask [batch, time])
 *   y[b, t] = m_t · x[b, t]
 *
 * A recurrent layer after it keeps its state over the masked steps, and a
 * global pooling leaves them out, as after `Embedding({ maskZero: true })`.
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { Kwargs, Layer, LayerArgs, NS, Shape, baseArgs, first, firstShape } from './base';

/** Options of {@link Masking}. */
export interface MaskingArgs extends LayerArgs {
  /** The value that marks padding: a step is masked where every feature equals it. Default 0. */
  maskValue?: number;
}

/**
 * Masks the steps of a float sequence [batch, time, features] whose features
 * all equal `maskValue`; the output is the input with those steps set to 0.
 *
 * @example
 * ```ts
 * import { tf, Sequential, Masking, LSTM, Dense } from 'tfjs-recurrent';
 * const model = new Sequential();
 * model.add(new Masking({ maskValue: 0, inputShape: [5, 3] }));  // padded series: rows of 0 are padding
 * model.add(new LSTM({ units: 8 }));                              // skips the padded steps
 * model.add(new Dense({ units: 1 }));
 * const y = model.predict(tf.tensor3d([[[0, 0, 0], [0, 0, 0], [1, 2, 3], [4, 5, 6], [7, 8, 9]]])) as tf.Tensor; // [1, 1]
 * ```
 */
export class Masking extends Layer {
  static className = NS + 'Masking';
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    if (args == null || typeof args !== 'object') throw new RecurrentConfigError(`Masking: expects an options object such as { maskValue: 0 }, got ${fmtValue(args)}`);
    super(baseArgs('Masking', args, false, ['maskValue']));
    const v = args.maskValue ?? 0;
    if (typeof v !== 'number' || Number.isNaN(v)) throw new RecurrentConfigError(`Masking: maskValue must be a number, got ${fmtValue(args.maskValue)}`);
    this.maskValue = v;
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return firstShape(inputShape);
  }

  /** m = any(x ≠ maskValue) over the features: [batch, time]. Any mask coming in is replaced, as in Keras. */
  override computeMask(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.any(tf.notEqual(first(inputs), this.maskValue), -1));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    void kwargs;
    const x = first(inputs);
    return tf.tidy(() => {
      const m = tf.any(tf.notEqual(x, this.maskValue), -1, true); //  [B, T, 1]: m_t
      return tf.mul(x, tf.cast(m, x.dtype)); //                      y = m_t · x_t
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
tf.serialization.registerClass(Masking);
