/**
 * Dropout: while training, zero each input with probability `rate` and scale
 * the rest by 1/(1 − rate); at inference, the identity.
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { rate } from '../validate';
import { Kwargs, Layer, LayerArgs, NS, Shape, baseArgs, first, firstShape } from './base';

/** Options of {@link Dropout}. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /** Shape of the binary mask, broadcast over the input (e.g. [batch, 1, features] drops whole features). */
  noiseShape?: number[];
  /** Seed of the first call's mask; call k uses seed + k, so batches get different masks. */
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
export class Dropout extends Layer {
  static className = NS + 'Dropout';
  readonly rate: number;
  readonly seed?: number;
  readonly noiseShape?: number[];
  private calls = 0;

  constructor(args: DropoutArgs) {
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`Dropout: expects an options object such as { rate: 0.5 }, got ${fmtValue(args)}`);
    }
    super(baseArgs('Dropout', args, false, ['rate', 'seed', 'noiseShape']));
    if (args.rate == null) throw new RecurrentConfigError(`Dropout: rate must be a number in [0, 1), got ${fmtValue(args.rate)}`);
    this.rate = rate('Dropout', 'rate', args.rate);
    if (args.seed != null && !Number.isInteger(args.seed)) {
      throw new RecurrentConfigError(`Dropout: seed must be an integer, got ${fmtValue(args.seed)}`);
    }
    this.seed = args.seed;
    if (args.noiseShape != null && (!Array.isArray(args.noiseShape) || args.noiseShape.some((d) => !Number.isInteger(d) || d <= 0))) {
      throw new RecurrentConfigError(`Dropout: noiseShape must be a list of positive integers, got ${fmtValue(args.noiseShape)}`);
    }
    this.noiseShape = args.noiseShape;
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
    const seed = this.seed == null ? undefined : this.seed + this.calls++;
    return tf.tidy(() => tf.dropout(x, this.rate, this.noiseShape, seed));
  }


  override getConfig(): tf.serialization.ConfigDict {
    const cfg: tf.serialization.ConfigDict = { ...super.getConfig(), rate: this.rate };
    if (this.seed != null) cfg.seed = this.seed;
    if (this.noiseShape != null) cfg.noiseShape = this.noiseShape;
    return cfg;
  }
}
tf.serialization.registerClass(Dropout);

/** An inverted-dropout mask: entries 0 with probability `rate`, else 1/(1 − rate). */
export function dropoutMask(shape: number[], rate: number, seed?: number): tf.Tensor2D {
  return tf.dropout(tf.ones(shape), rate, undefined, seed) as tf.Tensor2D;
}
