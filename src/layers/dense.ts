/**
 * Dense: y = φ(x W + b) on the last axis. docs/equations.md#dense
 */
import { tf } from '../tf';
import { matMul } from '../matmul';
import { ActivationFn, getActivation, activationsFromFile } from '../activations';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../errors';
import { InitializerSpec, ResolvedInitializer, resolveInitializer } from '../initializers';
import { bool, positiveInt } from '../validate';
import { Kwargs, Layer, LayerArgs, NS, Shape, baseArgs, checkWeights, first, firstShape, unitsConfig } from './base';
import type { RegularizerSpec } from '../regularizers';
import type { ConstraintSpec } from '../constraints';
import { ActivityArgs, WeightPenalty, activityRegularizerOf, penaltyConfig, recordActivity, setActivityRegularizer, setWeightPenalty, weightPenalty } from './penalties';

/** Options of {@link Dense}. */
export interface DenseArgs extends LayerArgs, ActivityArgs {
  units: number;
  /** φ (default 'linear'). */
  activation?: string;
  useBias?: boolean;
  kernelInitializer?: InitializerSpec;
  biasInitializer?: InitializerSpec;
  /** Penalty on W added to the loss (Keras's `kernel_regularizer`). */
  kernelRegularizer?: RegularizerSpec | null;
  /** Penalty on b (Keras's `bias_regularizer`). */
  biasRegularizer?: RegularizerSpec | null;
  /** Projection of W after each optimizer step (Keras's `kernel_constraint`). */
  kernelConstraint?: ConstraintSpec | null;
  /** Projection of b after each optimizer step (Keras's `bias_constraint`). */
  biasConstraint?: ConstraintSpec | null;
  /** Legacy shorthand for inputShape [inputDim]. */
  inputDim?: number;
}

/**
 * Densely-connected layer: y = φ(x W + b), W [D, units], b [units]. On an
 * input of rank > 2 it applies to the last axis, as Keras's Dense.
 *
 * @example
 * ```ts
 * import { tf, Dense } from 'tfjs-recurrent';
 * const dense = new Dense({ units: 1, activation: 'sigmoid' });
 * const p = dense.apply(tf.randomNormal([4, 32])) as tf.Tensor; // [4, 1]
 * ```
 */
export class Dense extends Layer {
  static className = NS + 'Dense';
  readonly units: number;
  readonly activationName: string;
  private readonly activationFn: ActivationFn;
  readonly useBias: boolean;
  private readonly kernelInit: ResolvedInitializer;
  private readonly biasInit: ResolvedInitializer;
  private readonly penalties: { kernel: WeightPenalty; bias: WeightPenalty };
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;
  private inputDim: number | null = null;

  constructor(args: DenseArgs) {
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`Dense: expects an options object such as { units: 1 }, got ${fmtValue(args)}`);
    }
    const base = baseArgs('Dense', args, false, [
      'units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'inputDim',
      'kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint', 'activityRegularizer',
    ]);
    if (base.inputShape == null && base.batchInputShape == null && args.inputDim != null) {
      base.inputShape = [positiveInt('Dense', 'inputDim', args.inputDim)];
    }
    super(base);
    this.units = positiveInt('Dense', 'units', args.units);
    [this.activationName, this.activationFn] = getActivation('Dense', 'activation', args.activation, 'linear');
    this.useBias = bool('Dense', 'useBias', args.useBias, true);
    this.kernelInit = resolveInitializer('Dense', 'kernelInitializer', args.kernelInitializer, 'glorotUniform');
    this.biasInit = resolveInitializer('Dense', 'biasInitializer', args.biasInitializer, 'zeros');
    const a = args as unknown as Record<string, unknown>;
    this.penalties = { kernel: weightPenalty('Dense', 'kernel', a), bias: weightPenalty('Dense', 'bias', a) };
    setActivityRegularizer('Dense', this, args.activityRegularizer);
    this.supportsMasking = true;
  }

  private checkShape(shape: Shape): number {
    const D = shape[shape.length - 1];
    if (shape.length < 2 || D == null) {
      throw new RecurrentInputError(
        `Dense expects input of rank >= 2 [batch, ..., features] with known features, got shape ${fmtShape(shape)} (layer '${this.name}')`,
      );
    }
    if (this.inputDim != null && D !== this.inputDim) {
      throw new RecurrentInputError(
        `Dense was built for ${this.inputDim} input features, got shape ${fmtShape(shape)} (layer '${this.name}')`,
      );
    }
    return D;
  }

  override build(inputShape: Shape | Shape[]): void {
    const D = this.checkShape(firstShape(inputShape));
    this.inputDim = D;
    this.kernel = this.addVar('kernel', [D, this.units], this.kernelInit, this.penalties.kernel);
    if (this.useBias) this.bias = this.addVar('bias', [this.units], this.biasInit, this.penalties.bias);
    this.built = true;
  }

  private addVar(name: string, shape: number[], init: ResolvedInitializer, penalty: WeightPenalty): tf.LayerVariable {
    const v = this.addWeight(name, shape, 'float32', tf.initializers.zeros());
    setWeightPenalty(`Dense (layer '${this.name}')`, v, penalty);
    const value = init.make(shape);
    v.write(value);
    value.dispose();
    return v;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = firstShape(inputShape);
    this.checkShape(shape);
    return [...shape.slice(0, -1), this.units];
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor {
    void inputs;
    return (mask == null ? null : first(mask)) as tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    void kwargs;
    const x = first(inputs);
    const D = this.checkShape(x.shape);
    const out = tf.tidy(() => {
      const x2 = tf.reshape(x.dtype === 'float32' ? x : tf.cast(x, 'float32'), [-1, D]); // [N, D]
      let y: tf.Tensor = matMul(x2 as tf.Tensor2D, this.kernel!.read() as tf.Tensor2D); //              x W       [N, units]
      if (this.bias) y = tf.add(y, this.bias.read()); //                                       x W + b
      return tf.reshape(this.activationFn(y), [...x.shape.slice(0, -1), this.units]); //    φ(x W + b)
    });
    return recordActivity(this, out); // R(y) / B, in a model's step
  }

  /** The weight labels of `getWeights()`/`setWeights()`: `['kernel', 'bias']`, or `['kernel']` without a bias. */
  weightLabels(): string[] {
    return this.useBias ? ['kernel', 'bias'] : ['kernel'];
  }

  override setWeights(weights: tf.Tensor[]): void {
    if (!this.built || this.inputDim == null) {
      throw new RecurrentInputError(`Dense (layer '${this.name}'): setWeights needs a built layer; call it on an input or add it to a model first`);
    }
    const shapes = [[this.inputDim, this.units], ...(this.useBias ? [[this.units]] : [])];
    checkWeights(`Dense (layer '${this.name}')`, this.weightLabels(), shapes, weights);
    super.setWeights(weights);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { kernel, bias } = this.penalties;
    return {
      ...super.getConfig(),
      ...unitsConfig(this, { kernelInitializer: this.kernelInit, biasInitializer: this.biasInit }),
      ...penaltyConfig({
        kernelRegularizer: kernel.regularizer, biasRegularizer: bias.regularizer, activityRegularizer: activityRegularizerOf(this),
        kernelConstraint: kernel.constraint, biasConstraint: bias.constraint,
      }),
    };
  }

  /** From a config (its activation name as tfjs's format gives it back: see `activationsFromFile`). */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(activationsFromFile(config) as never);
  }
}
tf.serialization.registerClass(Dense);
