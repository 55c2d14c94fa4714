/**
 * The "wide" path of the classifier: a logistic regression on word counts
 * inside the network, whose logit is added to that of the recurrent part.
 *
 *   s = Σ_t m_t w[ids_t]        m_t = [ids_t ≠ 0]   (padding takes no part)
 *   w = c · v                    v: the trained weights, c: `scale`
 *
 * With the sigmoid after the sum of logits, the classifier contains a
 * bag-of-words logistic regression, and the recurrent features only have to
 * add what word order (negation, "not bad") changes.
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../errors';
import { embeddingLookup } from '../layers/embedding';
import { maskFloats } from '../layers/loop';
import { Kwargs, Layer, LayerArgs, NS, Shape, baseArgs, first, firstShape } from '../layers/base';

/** Options of {@link WordCountLogit}. */
export interface WordCountLogitArgs extends LayerArgs {
  /** V, the vocabulary size: ids are in [0, V); id 0 is padding. */
  inputDim: number;
  /** L2 penalty λ Σ_v w[v]² on the word weights, added to the training loss (0: none). */
  l2?: number;
  /**
   * c in w = c · v: the layer trains v and uses w. Adam's step is about the
   * same size whatever the gradient's scale, so w learns c times as fast as
   * the rest of the model (a learning-rate multiplier for this layer). Default 1.
   */
  scale?: number;
}

/**
 * Integer ids [batch, time] → one logit per text [batch, 1]: the sum of a
 * learned weight per word over the real (non-zero) ids. Weights:
 * `[kernel [inputDim, 1]]` (v; w = scale · v), initialised to zeros, so the
 * untrained path adds nothing.
 */
export class WordCountLogit extends Layer {
  static className = NS + 'WordCountLogit';
  readonly inputDim: number;
  readonly l2: number;
  readonly scale: number;
  private kernel: tf.LayerVariable | null = null;

  constructor(args: WordCountLogitArgs) {
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`WordCountLogit: expects an options object such as { inputDim: 3000 }, got ${fmtValue(args)}`);
    }
    super(baseArgs('WordCountLogit', args, false, ['inputDim', 'l2', 'scale']));
    if (!Number.isInteger(args.inputDim) || args.inputDim < 1) {
      throw new RecurrentConfigError(`Received an invalid value for argument \`inputDim\` of WordCountLogit, expected a positive integer, got ${fmtValue(args.inputDim)}`);
    }
    const l2 = args.l2 ?? 0;
    if (typeof l2 !== 'number' || !Number.isFinite(l2) || l2 < 0) {
      throw new RecurrentConfigError(`Received an invalid value for argument \`l2\` of WordCountLogit, expected a number >= 0, got ${fmtValue(args.l2)}`);
    }
    const scale = args.scale ?? 1;
    if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
      throw new RecurrentConfigError(`Received an invalid value for argument \`scale\` of WordCountLogit, expected a number > 0, got ${fmtValue(args.scale)}`);
    }
    this.inputDim = args.inputDim;
    this.l2 = l2;
    this.scale = scale;
  }

  override build(inputShape: Shape | Shape[]): void {
    void inputShape;
    // λ Σ w² = λ c² Σ v²: the penalty is on the weights the layer uses.
    const reg = this.l2 > 0 ? tf.regularizers.l2({ l2: this.l2 * this.scale * this.scale }) : undefined;
    this.kernel = this.addWeight('kernel', [this.inputDim, 1], 'float32', tf.initializers.zeros(), reg);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [firstShape(inputShape)[0], 1];
  }

  override computeMask(): tf.Tensor {
    return null as unknown as tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    void kwargs;
    const ids = first(inputs);
    if (!(ids instanceof tf.Tensor) || ids.rank !== 2) {
      throw new RecurrentInputError(
        `WordCountLogit expects integer ids of shape [batch, time], got ${ids instanceof tf.Tensor ? `shape ${fmtShape(ids.shape)}` : fmtValue(ids)} (layer '${this.name}')`,
      );
    }
    return tf.tidy(() => {
      const i = ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'); //                 [B, T]
      const vt = embeddingLookup(this.kernel!.read() as tf.Tensor2D, i); //              [B, T, 1]: v[ids_t]
      const m = maskFloats(i); //                                                       [B, T, 1]: m_t, 0 at the padding
      const s = tf.sum(tf.mul(vt, m), 1); //                                             [B, 1]: Σ_t m_t v[ids_t]
      return this.scale === 1 ? s : tf.mul(s, this.scale); //                            [B, 1]: s = Σ_t m_t w[ids_t]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), inputDim: this.inputDim, l2: this.l2, scale: this.scale };
  }
}
tf.serialization.registerClass(WordCountLogit);
