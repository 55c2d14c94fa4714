/**
 * Embedding: integer ids → rows of a trainable table E [V, E_dim], with its
 * own gradient. docs/equations.md#embedding
 *
 *   y[b, t] = E[ids[b, t]]         ∂L/∂E[v] = Σ_{(b,t): ids[b,t] = v} ∂L/∂y[b, t]
 *
 * The stock gradient of `gather` goes through `unsortedSegmentSum`, which
 * the wasm backend lacks and which loops over all V rows on cpu; here the
 * gradient is one scatter-add of the rows that occur. The lookup runs in our
 * kernels on cpu and wasm, the scatter-add on cpu; elsewhere `tf.gather` and
 * `scatterND` (src/kernels/embedding.ts).
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../errors';
import { InitializerSpec, ResolvedInitializer, resolveInitializer } from '../initializers';
import { bool, optionalPositiveInt, positiveInt } from '../validate';
import { announceDefaultBackend } from '../backend';
import { lookupRows, scatterAddRows } from '../kernels/embedding';
import { Kwargs, Layer, LayerArgs, NS, Shape, baseArgs, checkWeights, first, firstShape, kerasNameOf } from './base';
import type { RegularizerSpec } from '../regularizers';
import type { ConstraintSpec } from '../constraints';
import { ActivityArgs, WeightPenalty, activityRegularizerOf, penaltyConfig, recordActivity, setActivityRegularizer, setWeightPenalty, weightPenalty } from './penalties';

/** Options of {@link Embedding}. */
export interface EmbeddingArgs extends LayerArgs, ActivityArgs {
  /** V, the vocabulary size: ids are in [0, V). */
  inputDim: number;
  /** The size of each embedding vector. */
  outputDim: number;
  embeddingsInitializer?: InitializerSpec;
  /** Penalty on E added to the loss (Keras's `embeddings_regularizer`). */
  embeddingsRegularizer?: RegularizerSpec | null;
  /** Projection of E after each optimizer step (Keras's `embeddings_constraint`). */
  embeddingsConstraint?: ConstraintSpec | null;
  /** Id 0 is padding: emit a mask that the recurrent layers after this one honour. */
  maskZero?: boolean;
  /** Fixed sequence length; omit it for variable-length sequences (output (None, None, outputDim)). */
  inputLength?: number;
}

/** y = E[ids], with a scatter-add gradient for E (and none for the ids). */
export function embeddingLookup(E: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const [V, Edim] = E.shape;
  const lookup = (table: tf.Tensor, idx: tf.Tensor, save: tf.GradSaveFunc) => {
    // The backward may run after `idx` is disposed (a cast made inside the forward's tidy): keep its shape, not the tensor.
    const [idxShape, idxDtype] = [idx.shape, idx.dtype];
    const flat = tf.reshape(idx, [-1]); //                                         [N]
    save([flat]);
    return {
      value: tf.reshape(lookupRows(table as tf.Tensor2D, flat as tf.Tensor1D), [...idx.shape, Edim]), // y = E[ids]   [..., E]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const dRows = tf.reshape(dy, [-1, Edim]) as tf.Tensor2D; //                  [N, E]
        const dTable = scatterAddRows(saved[0] as tf.Tensor1D, dRows, V); //          ∂L/∂E[v] = Σ_{ids = v} ∂L/∂y
        return [dTable, tf.zeros(idxShape, idxDtype)];
      },
    };
  };
  return tf.customGrad(lookup as unknown as Parameters<typeof tf.customGrad>[0])(E, ids) as tf.Tensor;
}

/**
 * Turns integer ids [batch, time] into vectors [batch, time, outputDim].
 * Weights: `[embeddings [inputDim, outputDim]]`.
 *
 * @example
 * ```ts
 * import { tf, Embedding } from 'tfjs-recurrent';
 * const emb = new Embedding({ inputDim: 100, outputDim: 8, maskZero: true });
 * const y = emb.apply(tf.tensor2d([[0, 0, 5, 9]], [1, 4], 'int32')) as tf.Tensor; // [1, 4, 8]
 * ```
 */
export class Embedding extends Layer {
  static className = NS + 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly inputLength?: number;
  private readonly embeddingsInit: ResolvedInitializer;
  private readonly penalty: WeightPenalty;
  protected embeddings: tf.LayerVariable | null = null;

  /** The input shape (without the batch) when none is given: sequences of any length. */
  protected static defaultInputShape(inputLength?: number): Shape {
    return [inputLength ?? null];
  }

  constructor(args: EmbeddingArgs) {
    // The Keras name of the class being built (a subclass's, in its messages).
    const kind = kerasNameOf(new.target);
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(
        `${kind}: expects an options object such as { inputDim: 10000, outputDim: 32 }, got ${fmtValue(args)}`,
      );
    }
    const inputLength = optionalPositiveInt(kind, 'inputLength', args.inputLength);
    const base = baseArgs(kind, args, false, [
      'inputDim', 'outputDim', 'embeddingsInitializer', 'maskZero', 'inputLength', 'embeddingsRegularizer', 'embeddingsConstraint', 'activityRegularizer',
    ]);
    // As Keras: with no input shape, accept sequences of any length.
    if (base.inputShape == null && base.batchInputShape == null) {
      base.inputShape = (new.target as typeof Embedding).defaultInputShape(inputLength);
    }
    super(base);
    this.inputDim = positiveInt(kind, 'inputDim', args.inputDim);
    this.outputDim = positiveInt(kind, 'outputDim', args.outputDim);
    this.maskZero = bool(kind, 'maskZero', args.maskZero, false);
    this.inputLength = inputLength;
    this.embeddingsInit = resolveInitializer(kind, 'embeddingsInitializer', args.embeddingsInitializer, 'uniform');
    this.penalty = weightPenalty(kind, 'embeddings', args as unknown as Record<string, unknown>);
    setActivityRegularizer(kind, this, args.activityRegularizer);
    this.supportsMasking = this.maskZero;
  }

  override build(inputShape: Shape | Shape[]): void {
    void inputShape;
    announceDefaultBackend();
    const v = this.addWeight('embeddings', [this.inputDim, this.outputDim], 'float32', tf.initializers.zeros());
    setWeightPenalty(`${this.kerasName} (layer '${this.name}')`, v, this.penalty);
    const init = this.embeddingsInit.make([this.inputDim, this.outputDim]);
    v.write(init);
    init.dispose();
    this.embeddings = v;
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...firstShape(inputShape), this.outputDim];
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!this.maskZero) return null as unknown as tf.Tensor;
    return tf.notEqual(first(inputs), 0);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    void kwargs;
    const ids = first(inputs);
    if (!(ids instanceof tf.Tensor) || ids.rank < 1) {
      throw new RecurrentInputError(
        `Embedding expects integer ids of shape [batch, time], got ${ids instanceof tf.Tensor ? `shape ${fmtShape(ids.shape)}` : fmtValue(ids)} (layer '${this.name}')`,
      );
    }
    this.checkIds(ids);
    const y = tf.tidy(() => embeddingLookup(this.embeddings!.read() as tf.Tensor2D, ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32')));
    return recordActivity(this, y); // R(y) / B, in a model's step
  }

  /** Ids outside [0, inputDim) are an error here, not a crash in gather (or zeros, on some backends). */
  protected checkIds(ids: tf.Tensor): void {
    if (ids.dtype === 'string') {
      throw new RecurrentInputError(`${this.kerasName} expects integer ids, got dtype string (layer '${this.name}')`);
    }
    const v = ids.dataSync();
    for (let k = 0; k < v.length; k++) {
      const id = v[k];
      if (!(id >= 0 && id < this.inputDim)) {
        throw new RecurrentInputError(
          `${this.kerasName} expects ids in [0, inputDim) = [0, ${this.inputDim}), got ${id} (layer '${this.name}')`,
        );
      }
    }
  }

  /** The weight labels of `getWeights()`/`setWeights()`: `['embeddings']`. */
  weightLabels(): string[] {
    return ['embeddings'];
  }

  override setWeights(weights: tf.Tensor[]): void {
    checkWeights(`${this.kerasName} (layer '${this.name}')`, ['embeddings'], [[this.inputDim, this.outputDim]], weights);
    if (!this.built) this.build([null, null]);
    super.setWeights(weights);
  }


  override getConfig(): tf.serialization.ConfigDict {
    const cfg: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: this.embeddingsInit.serialize() as unknown as tf.serialization.ConfigDict,
      maskZero: this.maskZero,
      ...penaltyConfig({ embeddingsRegularizer: this.penalty.regularizer, activityRegularizer: activityRegularizerOf(this), embeddingsConstraint: this.penalty.constraint }),
    };
    if (this.inputLength != null) cfg.inputLength = this.inputLength;
    return cfg;
  }
}
tf.serialization.registerClass(Embedding);
