/**
 * Bidirectional: one recurrent layer reads the sequence forwards, a copy
 * reads it backwards, and their outputs are merged. docs/equations.md#bidirectional
 *
 *   y_t = merge(→y_t, ←y_t)   with ←y re-reversed to forward time order
 *   merge: concat [→y ; ←y] | sum →y + ←y | mul →y ⊙ ←y | ave (→y + ←y)/2 | null [→y, ←y]
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../errors';
import { Kwargs, Layer, LayerArgs, NS, Shape, baseArgs, checkWeights, first, firstShape, kerasClassName } from './base';
import type { RecurrentLayer } from './rnn';
import { RNN } from './rnn_layer';
import { applyWithInitialState, callInputs } from './initial_state';
import { ActivityArgs, activityRegularizerOf, penaltyConfig, recordActivity, setActivityRegularizer } from './penalties';

/** How Bidirectional combines →y and ←y: concatenated, summed, multiplied, averaged, or (null) both returned. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;
const MERGE_MODES = ['concat', 'sum', 'mul', 'ave', null] as const;

/** Options of {@link Bidirectional}. */
export interface BidirectionalArgs<L extends RNN = RNN> extends LayerArgs, ActivityArgs {
  /** The forward layer: a SimpleRNN, LSTM, GRU or RNN (it is copied, as Keras does). */
  layer: L;
  /** How the two directions are combined (default 'concat'); null returns both. */
  mergeMode?: MergeMode;
  /** A layer to use for the backward direction instead of a copy of `layer` (it must have goBackwards: true). */
  backwardLayer?: L;
}

/**
 * Rebuilds a layer from its config, with overrides (Keras's `_recreate_layer_from_config`);
 * an RNN's cell is rebuilt from its config too, so it must be one tfjs can rebuild.
 */
function recreate<L extends RNN>(layer: L, overrides: Record<string, unknown>): L {
  const cfg = { ...layer.getConfig(), ...overrides } as Record<string, unknown>;
  delete cfg.batchInputShape;
  const Ctor = layer.constructor as tf.serialization.SerializableConstructor<L> & typeof RNN;
  return Ctor.fromConfig(Ctor, cfg as tf.serialization.ConfigDict) as L;
}

/** `recreate`, its errors saying that Bidirectional copies the layer. */
function copied<L extends RNN>(layer: L, overrides: Record<string, unknown>): L {
  try {
    return recreate(layer, overrides);
  } catch (e) {
    if (e instanceof RecurrentConfigError) {
      throw new RecurrentConfigError(`Bidirectional: copies each direction's layer from its config, and cannot copy layer '${layer.name}': ${e.message}`);
    }
    throw e;
  }
}

/** The Keras class and size of a wrapped layer, for messages: `LSTM with 3 units`, `RNN with states [8, 8, 4]`. */
function describe(layer: RNN): string {
  return `${kerasClassName(layer)} with ${layer.stateSize.length === 1 || layer.stateSize.every((n) => n === layer.stateSize[0]) ? `${layer.outputSize} units` : `states [${layer.stateSize.join(', ')}]`}`;
}

/**
 * Wraps a recurrent layer to read the sequence in both directions.
 * Weights: the forward layer's, then the backward layer's. With the wrapped
 * layer's `returnState`, returns [output(s), ...forward states, ...backward states].
 *
 * @example
 * ```ts
 * import { Sequential, Bidirectional, SimpleRNN } from 'tfjs-recurrent';
 * const model = new Sequential();
 * model.add(new Bidirectional({ layer: new SimpleRNN({ units: 128, returnSequences: true }), inputShape: [10, 5] }));
 * model.summary(); // (None, 10, 256), 34,304 params
 * ```
 */
export class Bidirectional<L extends RNN = RecurrentLayer> extends Layer {
  static className = NS + 'Bidirectional';
  readonly forwardLayer: L;
  readonly backwardLayer: L;
  readonly mergeMode: MergeMode;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  private readonly customBackward: boolean;

  constructor(args: BidirectionalArgs<L>) {
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`Bidirectional: expects an options object such as { layer: new LSTM({ units: 32 }) }, got ${fmtValue(args)}`);
    }
    const layer = args.layer;
    if (!(layer instanceof RNN)) {
      throw new RecurrentConfigError(
        `Bidirectional: layer must be a SimpleRNN, LSTM, GRU or RNN of tfjs-recurrent, got ${
          (layer as unknown) instanceof tf.layers.Layer ? kerasClassName(layer as unknown as tf.layers.Layer) : fmtValue(layer)
        }`,
      );
    }
    const base = baseArgs('Bidirectional', args, false, ['layer', 'mergeMode', 'backwardLayer', 'activityRegularizer']);
    if (base.inputShape == null && base.batchInputShape == null && layer.batchInputShape != null) {
      base.batchInputShape = layer.batchInputShape;
    }
    super(base);
    const mode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!(MERGE_MODES as readonly unknown[]).includes(mode)) {
      throw new RecurrentConfigError(
        `Bidirectional: mergeMode must be one of 'concat', 'sum', 'mul', 'ave' or null, got ${fmtValue(args.mergeMode)}`,
      );
    }
    this.mergeMode = mode;
    this.forwardLayer = copied(layer, { name: `forward_${layer.name}` });
    const back = args.backwardLayer;
    if (back != null) {
      if (!(back instanceof RNN)) {
        throw new RecurrentConfigError(`Bidirectional: backwardLayer must be a SimpleRNN, LSTM, GRU or RNN of tfjs-recurrent, got ${fmtValue(back)}`);
      }
      if (back.goBackwards === layer.goBackwards) {
        throw new RecurrentConfigError(
          `Bidirectional: backwardLayer must have goBackwards opposite to layer's (${!layer.goBackwards}), got ${back.goBackwards}`,
        );
      }
      if (back.outputSize !== layer.outputSize || back.stateSize.join() !== layer.stateSize.join()) {
        throw new RecurrentConfigError(
          `Bidirectional: backwardLayer must have the same units and state as layer (${describe(layer)}), got ${describe(back)}`,
        );
      }
      if (back.returnSequences !== layer.returnSequences || back.returnState !== layer.returnState || back.stateful !== layer.stateful) {
        throw new RecurrentConfigError(
          `Bidirectional: backwardLayer must match layer in returnSequences, returnState and stateful, got ` +
            `${back.returnSequences}/${back.returnState}/${back.stateful} vs ${layer.returnSequences}/${layer.returnState}/${layer.stateful}`,
        );
      }
      this.backwardLayer = copied(back, { name: `backward_${back.name}` });
    } else {
      this.backwardLayer = copied(layer, { name: `backward_${layer.name}`, goBackwards: !layer.goBackwards });
    }
    this.customBackward = back != null;
    this.returnSequences = layer.returnSequences;
    this.returnState = layer.returnState;
    // As Keras: with returnSequences, masked steps output zeros in both directions.
    this.forwardLayer.zeroOutputForMask = this.returnSequences;
    this.backwardLayer.zeroOutputForMask = this.returnSequences;
    this.forwardLayer.weightScope = `${this.forwardLayer.name}/`;
    this.backwardLayer.weightScope = `${this.backwardLayer.name}/`;
    this._stateful = layer.stateful;
    setActivityRegularizer('Bidirectional', this, args.activityRegularizer); // on the merged output; each direction's own stays its own
    this.supportsMasking = true;
  }

  /** Checks the input before either direction sees it, so errors name this layer. */
  private checkShape(shape: Shape, dtype?: string): void {
    if (shape.length !== 3 || (dtype !== undefined && dtype === 'string')) {
      throw new RecurrentInputError(
        `Bidirectional expects input of rank 3 [batch, time, features], got ${dtype === 'string' ? 'dtype string' : `shape ${fmtShape(shape)}`} (layer '${this.name}')`,
      );
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = firstShape(inputShape);
    this.checkShape(shape);
    this.forwardLayer.build(shape);
    this.backwardLayer.build(shape);
    this.built = true;
  }

  override get trainableWeights(): tf.LayerVariable[] {
    return this.trainable ? [...this.forwardLayer.trainableWeights, ...this.backwardLayer.trainableWeights] : [];
  }
  override set trainableWeights(_w: tf.LayerVariable[]) {
    throw new RecurrentConfigError('Bidirectional: trainableWeights is read-only');
  }
  override get nonTrainableWeights(): tf.LayerVariable[] {
    const fw = [...this.forwardLayer.nonTrainableWeights, ...this.backwardLayer.nonTrainableWeights];
    return this.trainable ? fw : [...this.forwardLayer.weights, ...this.backwardLayer.weights];
  }
  override set nonTrainableWeights(_w: tf.LayerVariable[]) {
    throw new RecurrentConfigError('Bidirectional: nonTrainableWeights is read-only');
  }

  override getWeights(trainableOnly = false): tf.Tensor[] {
    return [...this.forwardLayer.getWeights(trainableOnly), ...this.backwardLayer.getWeights(trainableOnly)];
  }

  override setWeights(weights: tf.Tensor[]): void {
    if (!this.built) {
      throw new RecurrentInputError(`Bidirectional (layer '${this.name}'): setWeights needs a built layer; call it on an input or add it to a model first`);
    }
    const fw = this.forwardLayer.getWeights();
    const bw = this.backwardLayer.getWeights();
    const labels = [
      ...this.forwardLayer.weightLabels().map((l) => `forward ${l}`),
      ...this.backwardLayer.weightLabels().map((l) => `backward ${l}`),
    ];
    checkWeights(`Bidirectional (layer '${this.name}')`, labels, [...fw, ...bw].map((w) => w.shape), weights);
    this.forwardLayer.setWeights(weights.slice(0, fw.length));
    this.backwardLayer.setWeights(weights.slice(fw.length));
  }

  override countParams(): number {
    return this.forwardLayer.countParams() + this.backwardLayer.countParams();
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = firstShape(inputShape);
    this.checkShape(shape);
    const f = this.forwardLayer.computeOutputShape(shape);
    const fOut = (this.returnState ? (f as Shape[])[0] : f) as Shape;
    const states = this.returnState ? (f as Shape[]).slice(1) : [];
    let outs: Shape[];
    if (this.mergeMode === 'concat') {
      const last = fOut[fOut.length - 1];
      outs = [[...fOut.slice(0, -1), last == null ? null : 2 * last]];
    } else if (this.mergeMode === null) {
      outs = [fOut, fOut.slice()];
    } else {
      outs = [fOut];
    }
    if (!this.returnState) return outs.length === 1 ? outs[0] : outs;
    return [...outs, ...states, ...states.map((s) => s.slice())];
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    void inputs;
    const m = mask == null ? null : first(mask);
    const out = this.returnSequences ? m : null;
    const nOut = this.mergeMode === null ? 2 : 1;
    const nStates = this.returnState ? 2 * this.forwardLayer.stateSize.length : 0;
    if (nOut === 1 && nStates === 0) return out as tf.Tensor;
    return [...Array.from({ length: nOut }, () => out), ...Array.from({ length: nStates }, () => null)] as unknown as tf.Tensor[];
  }

  /**
   * `apply(x, { initialState: [...forward states, ...backward states] })` also works; `x` may be
   * a nested array of numbers [batch, time, features], as Keras takes a list.
   */
  override apply(
    inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] | number[][][],
    kwargs?: Kwargs,
  ): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    const sizes = this.forwardLayer.stateSize;
    const n = 2 * sizes.length;
    const what = `${n} tensors (forward states, then backward states)`;
    const units = sizes.every((s) => s === sizes[0]) ? sizes[0] : [...sizes, ...sizes].map((s) => `[batch, ${s}]`).join(', ');
    return applyWithInitialState(this, inputs, kwargs, { count: n, units, what }, (i, k) => super.apply(i, k));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const { x, initialState: init, mask, training } = callInputs(inputs, kwargs);
    this.checkShape(x.shape, x.dtype);
    const n = this.forwardLayer.stateSize.length;
    const merged = tf.tidy(() => {
      const f = this.forwardLayer.run(x, { mask, training, initialState: init?.slice(0, n) });
      const b = this.backwardLayer.run(x, { mask, training, initialState: init?.slice(n) });
      const [yF, ...sF] = this.returnState ? (f as tf.Tensor[]) : [f as tf.Tensor];
      let [yB, ...sB] = this.returnState ? (b as tf.Tensor[]) : [b as tf.Tensor];
      if (this.returnSequences) yB = tf.reverse(yB, 1); // ←y back in forward time order
      let outs: tf.Tensor[];
      switch (this.mergeMode) {
        case 'concat': outs = [tf.concat([yF, yB], -1)]; break; //   [→y ; ←y]
        case 'sum': outs = [tf.add(yF, yB)]; break; //               →y + ←y
        case 'mul': outs = [tf.mul(yF, yB)]; break; //               →y ⊙ ←y
        case 'ave': outs = [tf.mul(tf.add(yF, yB), 0.5)]; break; //   (→y + ←y) / 2
        default: outs = [yF, yB];
      }
      const all = [...outs, ...(this.returnState ? [...sF, ...sB] : [])];
      return all.length === 1 ? all[0] : all;
    });
    return recordActivity(this, merged); // R(y) / B of each output, in a model's step
  }

  override resetStates(states?: tf.Tensor | tf.Tensor[]): void {
    const list = states == null ? undefined : Array.isArray(states) ? states : [states];
    const n = this.forwardLayer.stateSize.length;
    this.forwardLayer.resetStates(list?.slice(0, n));
    this.backwardLayer.resetStates(list?.slice(n));
  }

  /** Frees both directions' weights and states. */
  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    this.forwardLayer.disposeStates();
    this.backwardLayer.disposeStates();
    return super.dispose(); // this.weights holds both directions' weights
  }

  override getConfig(): tf.serialization.ConfigDict {
    const ser = (l: RNN) => {
      const cfg = l.getConfig();
      return { className: l.getClassName(), config: { ...cfg, name: String(cfg.name).replace(/^(forward|backward)_/, '') } };
    };
    const cfg: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      layer: ser(this.forwardLayer) as unknown as tf.serialization.ConfigDict,
      mergeMode: this.mergeMode,
      ...penaltyConfig({ activityRegularizer: activityRegularizerOf(this) }),
    };
    if (this.customBackward) cfg.backwardLayer = ser(this.backwardLayer) as unknown as tf.serialization.ConfigDict;
    return cfg;
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const make = (c: unknown) => deserializeRecurrent(c, 'Bidirectional');
    const args = { ...config, layer: make(config.layer) } as Record<string, unknown>;
    if (config.backwardLayer != null) args.backwardLayer = make(config.backwardLayer);
    return new cls(args as never);
  }
}
tf.serialization.registerClass(Bidirectional);

/** Builds one of our recurrent layers (an RNN, SimpleRNN, LSTM or GRU) from `{ className, config }`. */
function deserializeRecurrent(spec: unknown, owner: string): RNN {
  const s = spec as { className?: string; config?: Record<string, unknown> } | null;
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  const entry = typeof s?.className === 'string' && Object.prototype.hasOwnProperty.call(map, s.className) ? map[s.className] : undefined;
  if (!entry) {
    throw new RecurrentConfigError(`${owner}: cannot rebuild the wrapped layer: unknown class ${fmtValue(s?.className)}`);
  }
  const [cls, fromConfig] = entry;
  const layer = fromConfig(cls, (s!.config ?? {}) as tf.serialization.ConfigDict);
  if (!(layer instanceof RNN)) {
    throw new RecurrentConfigError(`${owner}: the wrapped layer must be a SimpleRNN, LSTM, GRU or RNN, got ${kerasClassName(layer as unknown as tf.layers.Layer)}`);
  }
  return layer;
}
