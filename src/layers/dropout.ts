/**
 * Dropout: while training, zero each input with probability `rate` and scale
 * the rest by 1/(1 − rate); at inference, the identity.
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { rate } from '../validate';
import { Kwargs, LayerArgs, NS, Shape, baseArgs, first, firstShape } from './base';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  seed?: number;
}

/**
 * @example
 * ```ts
 * import { Sequential, Dense, Dropout } from 'tfjs-recurrent';
 * const model = new Sequential();
 * model.add(new Dense({ units: 16, inputShape: [8], activation: 'relu' }));
 * model.add(new Dropout({ rate: 0.5 }));
 * ```
 */
export class Dropout extends tf.layers.Layer {
  static className = NS + 'Dropout';
  readonly rate: number;
  readonly seed?: number;

  constructor(args: DropoutArgs) {
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`Dropout: expects an options object such as { rate: 0.5 }, got ${fmtValue(args)}`);
    }
    super(baseArgs('Dropout', args));
    if (args.rate == null) throw new RecurrentConfigError(`Dropout: rate must be a number in [0, 1), got ${fmtValue(args.rate)}`);
    this.rate = rate('Dropout', 'rate', args.rate);
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return firstShape(inputShape);
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor {
    void inputs;
    return (mask == null ? null : first(mask)) as tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = first(inputs);
    if (kwargs.training !== true || this.rate === 0) return tf.clone(x);
    return tf.tidy(() => tf.dropout(x, this.rate, undefined, this.seed));
  }

  /** Frees the weights, also of a layer only ever called eagerly (tfjs refuses those). */
  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    if (this._refCount === null) this._refCount = 1;
    return super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    const cfg: tf.serialization.ConfigDict = { ...super.getConfig(), rate: this.rate };
    if (this.seed != null) cfg.seed = this.seed;
    return cfg;
  }
}
tf.serialization.registerClass(Dropout);
