/**
 * TimeDistributed: one layer applied to every time step of a sequence, with
 * the same weights (Keras's TimeDistributed).
 *
 *   y[b, t] = layer(x[b, t])        x [batch, time, ...] → y [batch, time, ...]
 *
 * The steps are folded into the batch ([batch · time, ...]), the layer runs
 * once on them, and the result is unfolded: one call, not one per step. As in
 * Keras 3, the output carries no mask (a sequence tagger leaves padding out
 * of its loss with per-step sample weights).
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../errors';
import { Kwargs, Layer, LayerArgs, NS, Shape, baseArgs, first, firstShape, kerasClassName } from './base';
import { ActivityArgs, activityRegularizerOf, penaltyConfig, recordActivity, setActivityRegularizer } from './penalties';

/** Options of {@link TimeDistributed}. */
export interface TimeDistributedArgs extends LayerArgs, ActivityArgs {
  /** The layer applied to each step: any layer of this package or of tfjs-layers. */
  layer: tf.layers.Layer;
}

/**
 * Applies `layer` to every time step of [batch, time, ...] inputs.
 *
 * @example
 * ```ts
 * import { tf, Sequential, Embedding, LSTM, TimeDistributed, Dense } from 'tfjs-recurrent';
 * const tagger = new Sequential();
 * tagger.add(new Embedding({ inputDim: 100, outputDim: 8, maskZero: true, inputShape: [6] }));
 * tagger.add(new LSTM({ units: 16, returnSequences: true }));
 * tagger.add(new TimeDistributed({ layer: new Dense({ units: 5, activation: 'softmax' }) })); // a tag per word
 * const tags = tagger.predict(tf.tensor2d([[0, 0, 4, 9, 2, 7]], [1, 6], 'int32')) as tf.Tensor; // [1, 6, 5]
 * ```
 */
export class TimeDistributed extends Layer {
  static className = NS + 'TimeDistributed';
  readonly layer: tf.layers.Layer;

  constructor(args: TimeDistributedArgs) {
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`TimeDistributed: expects an options object such as { layer: new Dense({ units: 5 }) }, got ${fmtValue(args)}`);
    }
    if (!(args.layer instanceof tf.layers.Layer)) {
      throw new RecurrentConfigError(`TimeDistributed: layer must be a layer (such as new Dense({ units: 5 })), got ${fmtValue(args.layer)}`);
    }
    if (activityRegularizerOf(args.layer) != null) {
      throw new RecurrentConfigError(
        `TimeDistributed: its layer '${args.layer.name}' (${kerasClassName(args.layer)}) has an activityRegularizer, which Keras 3's TimeDistributed never applies ` +
          '(it calls the layer without its activity penalty); give it to TimeDistributed instead: new TimeDistributed({ layer, activityRegularizer })',
      );
    }
    super(baseArgs('TimeDistributed', { ...args, layer: undefined } as LayerArgs, false, ['activityRegularizer']));
    this.layer = args.layer;
    setActivityRegularizer('TimeDistributed', this, args.activityRegularizer);
    this.supportsMasking = true;
  }

  /** The shape one step has: [batch, ...] without the time axis. */
  private stepShape(inputShape: Shape): Shape {
    if (inputShape.length < 3) {
      throw new RecurrentInputError(`TimeDistributed (layer '${this.name}') expects inputs of at least 3 dimensions [batch, time, ...], got shape ${fmtShape(inputShape)}`);
    }
    return [inputShape[0], ...inputShape.slice(2)];
  }

  override build(inputShape: Shape | Shape[]): void {
    const step = this.stepShape(firstShape(inputShape));
    if (!this.layer.built) this.layer.build(step);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = firstShape(inputShape);
    const out = this.layer.computeOutputShape(this.stepShape(shape)) as Shape;
    return [out[0], shape[1], ...out.slice(1)];
  }

  /** The input's mask goes on, as in Keras 3. */
  override computeMask(inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor {
    void inputs;
    return (mask == null ? null : first(mask)) as tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = first(inputs);
    const [B, T, ...rest] = x.shape;
    if (x.rank < 3) this.stepShape(x.shape);
    const out = tf.tidy(() => {
      const steps = tf.reshape(x, [B * T, ...rest]); //                          [B·T, ...]: every step a row
      const y = this.layer.apply(steps, { training: kwargs.training }) as tf.Tensor; // layer(x[b, t])
      return tf.reshape(y, [B, T, ...y.shape.slice(1)]); //                       [B, T, ...]
    });
    return recordActivity(this, out); // R(y) / B, in a model's step
  }

  override get trainableWeights(): tf.LayerVariable[] {
    return this.trainable ? this.layer.trainableWeights : [];
  }

  override get nonTrainableWeights(): tf.LayerVariable[] {
    return this.trainable ? this.layer.nonTrainableWeights : [...this.layer.trainableWeights, ...this.layer.nonTrainableWeights];
  }

  override getWeights(trainableOnly = false): tf.Tensor[] {
    return this.layer.getWeights(trainableOnly);
  }

  override setWeights(weights: tf.Tensor[]): void {
    this.layer.setWeights(weights);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const inner = { className: this.layer.getClassName(), config: this.layer.getConfig() };
    return { ...super.getConfig(), layer: inner as unknown as tf.serialization.ConfigDict, ...penaltyConfig({ activityRegularizer: activityRegularizerOf(this) }) };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const s = config.layer as { className?: string; config?: tf.serialization.ConfigDict } | undefined;
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    const entry = typeof s?.className === 'string' && Object.prototype.hasOwnProperty.call(map, s.className) ? map[s.className] : undefined;
    if (!entry) throw new RecurrentConfigError(`TimeDistributed: cannot rebuild the wrapped layer: unknown class ${fmtValue(s?.className)}`);
    const layer = entry[1](entry[0], s!.config ?? {}) as unknown as tf.layers.Layer;
    return new cls({ ...config, layer } as never);
  }
}
tf.serialization.registerClass(TimeDistributed);
