/**
 * The layer base class that SimpleRNN, LSTM and GRU share: weights in Keras
 * layout, masking, initial and carried (`stateful`) state, dropout,
 * `goBackwards`, `returnSequences` and `returnState`, and the three paths of
 * a call, which src/placement.ts chooses: the kernels (src/kernels/), or the
 * tf-op cells with the loop of bptt.ts (hand-written backward) or loop.ts
 * (autodiff). docs/equations.md#the-loop
 */
import { tf } from '../tf';
import { matMul } from '../matmul';
import { kernelsProject, sequencePath } from '../placement';
import { BPTTCell, Cell, State } from '../cells/cell';
import { runLoopBPTT } from './bptt';
import { KernelCell, runSequence } from '../kernels/sequence';
import { LoopOptions, runLoop } from './loop';
import { dropoutMask } from './dropout';
import { RNNLayerArgs, RNN_KEYS } from './rnn_args';

export type { RNNLayerArgs } from './rnn_args';
import { ActivationFn, getActivation } from '../activations';
import { ResolvedInitializer, resolveInitializer } from '../initializers';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../errors';
import { bool, positiveInt, rate } from '../validate';
import { announceDefaultBackend } from '../backend';
import { Kwargs, Layer, Shape, baseArgs, kerasNameOf, checkWeights, first, firstShape, unitsConfig } from './base';
import { applyWithInitialState, callInputs } from './initial_state';

/**
 * Base class of SimpleRNN, LSTM and GRU. A subclass says how many gate
 * blocks G its kernel has, how many state tensors it carries, and how to
 * make its cell from the current weights. Everything the three share lives
 * here: the options of {@link RNNLayerArgs}, masking, initial and stateful
 * state, dropout, and the hoisted input projection.
 *
 * @example
 * ```ts
 * import { tf, RecurrentLayer, LSTM, GRU } from 'tfjs-recurrent';
 * const layers: RecurrentLayer[] = [new LSTM({ units: 3, returnState: true }), new GRU({ units: 3, returnState: true })];
 * for (const l of layers) {
 *   const [y, ...states] = l.apply(tf.ones([2, 4, 5])) as tf.Tensor[]; // y [2, 3]; states [h] or [h, c]
 * }
 * ```
 */
export abstract class RecurrentLayer extends Layer {
  readonly units: number;
  readonly activationName: string;
  protected readonly activationFn: ActivationFn;
  readonly useBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  zeroOutputForMask: boolean;
  readonly seed?: number;
  private dropoutCalls = 0;
  protected readonly kernelInit: ResolvedInitializer;
  protected readonly recurrentInit: ResolvedInitializer;
  protected readonly biasInit: ResolvedInitializer;

  protected kernel: tf.LayerVariable | null = null;
  protected recurrentKernel: tf.LayerVariable | null = null;
  protected bias: tf.LayerVariable | null = null;
  /** D, fixed at build. */
  protected inputDim: number | null = null;
  /** Prefix of the weight names, set by a wrapper (Bidirectional) so forward and backward weights differ. */
  weightScope = '';

  /** Carried state of a stateful layer, and the previous one (still needed by the last step's gradient). */
  private carried: tf.Tensor2D[] | null = null;
  private retired: tf.Tensor2D[] = [];

  /** G, gate blocks in the kernel's columns. */
  protected abstract readonly gates: number;
  /** Number of state tensors: 1 (h) or 2 (h, c). */
  abstract readonly stateSize: number;
  /** A cell over the current weights; `rdm` is the recurrent dropout mask. */
  protected abstract makeCell(rdm: tf.Tensor2D | undefined): Cell;
  /** Whether this configuration has a hand-written backward step (else autodiff through `runLoop`). */
  protected abstract hasBPTT(): boolean;
  /** Force the autodiff loop (the reference the hand-written backward is tested against). */
  useAutodiff = false;
  /** Run the sequence in our WebAssembly kernels when they compute this cell (src/kernels); false: the tf-op cells. */
  useKernels = true;
  /** This layer's cell as the kernels know it; null where they do not compute it. */
  protected kernelCell(): KernelCell | null {
    return null;
  }
  /** GRU(resetAfter)'s recurrent-side bias b_r, which the kernels add after h_{t-1} U; undefined elsewhere. */
  protected recurrentBias(): tf.Tensor1D | undefined {
    return undefined;
  }

  constructor(args: RNNLayerArgs, extraKeys: readonly string[] = []) {
    const kerasName = kerasNameOf(new.target);
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`${kerasName}: expects an options object such as { units: 32 }, got ${fmtValue(args)}`);
    }
    super(baseArgs(kerasName, args, true, [...RNN_KEYS, ...extraKeys]));
    this.units = positiveInt(kerasName, 'units', args.units);
    [this.activationName, this.activationFn] = getActivation(kerasName, 'activation', args.activation, 'tanh');
    this.useBias = bool(kerasName, 'useBias', args.useBias, true);
    this.dropout = rate(kerasName, 'dropout', args.dropout);
    this.recurrentDropout = rate(kerasName, 'recurrentDropout', args.recurrentDropout);
    this.returnSequences = bool(kerasName, 'returnSequences', args.returnSequences, false);
    this.returnState = bool(kerasName, 'returnState', args.returnState, false);
    this.goBackwards = bool(kerasName, 'goBackwards', args.goBackwards, false);
    this._stateful = bool(kerasName, 'stateful', args.stateful, false);
    this.zeroOutputForMask = bool(kerasName, 'zeroOutputForMask', args.zeroOutputForMask, false);
    if (args.seed != null && !Number.isInteger(args.seed)) {
      throw new RecurrentConfigError(`${kerasName}: seed must be an integer, got ${fmtValue(args.seed)}`);
    }
    this.seed = args.seed ?? undefined;
    this.kernelInit = resolveInitializer(kerasName, 'kernelInitializer', args.kernelInitializer, 'glorotUniform');
    this.recurrentInit = resolveInitializer(kerasName, 'recurrentInitializer', args.recurrentInitializer, 'orthogonal');
    this.biasInit = resolveInitializer(kerasName, 'biasInitializer', args.biasInitializer, 'zeros');
    this.supportsMasking = true;
  }

  /** Who is speaking in an error message: `LSTM` and, where it helps, the layer's name. */
  protected get who(): string {
    return `${this.kerasName} (layer '${this.name}')`;
  }

  /** Shapes of the weights, in Keras order: kernel [D, G·H], recurrentKernel [H, G·H], bias. */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  /** The value the bias starts with (LSTM overrides it for unitForgetBias). */
  protected initialBias(shape: number[]): tf.Tensor {
    return this.biasInit.make(shape);
  }

  private checkInputShape(shape: Shape, dtype?: string): number {
    if (dtype !== undefined && dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
      throw new RecurrentInputError(`${this.kerasName} expects a numeric input, got dtype ${dtype} (layer '${this.name}')`);
    }
    if (shape.length !== 3) {
      throw new RecurrentInputError(
        `${this.kerasName} expects input of rank 3 [batch, time, features], got shape ${fmtShape(shape)} (layer '${this.name}')`,
      );
    }
    const D = shape[2];
    if (shape[1] === 0 || shape[0] === 0) {
      throw new RecurrentInputError(
        `${this.kerasName} expects at least one sequence of at least one time step, got shape ${fmtShape(shape)} (layer '${this.name}')`,
      );
    }
    if (D == null) {
      throw new RecurrentInputError(
        `${this.kerasName} needs a known number of features (the last input dimension), got shape ${fmtShape(shape)} (layer '${this.name}')`,
      );
    }
    if (this.inputDim != null && D !== this.inputDim) {
      throw new RecurrentInputError(
        `${this.kerasName} was built for ${this.inputDim} input features, got shape ${fmtShape(shape)} (layer '${this.name}')`,
      );
    }
    return D;
  }

  override build(inputShape: Shape | Shape[]): void {
    announceDefaultBackend();
    const shape = firstShape(inputShape);
    const D = this.checkInputShape(shape);
    const GH = this.gates * this.units;
    if (this.stateful) {
      const B = shape[0] ?? this.batchInputShape?.[0];
      if (B == null) {
        throw new RecurrentConfigError(
          `${this.who}: stateful requires a fixed batch size: give batchInputShape (e.g. [32, 10, ${D}]) or batchSize, got batch dimension null`,
        );
      }
    }
    this.inputDim = D;
    this.kernel = this.addVar('kernel', [D, GH], () => this.kernelInit.make([D, GH]));
    this.recurrentKernel = this.addVar('recurrent_kernel', [this.units, GH], () => this.recurrentInit.make([this.units, GH]));
    if (this.useBias) {
      const bs = this.biasShape();
      this.bias = this.addVar('bias', bs, () => this.initialBias(bs));
    }
    this.built = true;
  }

  /** addWeight, then its value computed here (the initializers live in src/initializers.ts). */
  private addVar(name: string, shape: number[], init: () => tf.Tensor): tf.LayerVariable {
    const v = this.addWeight(this.weightScope + name, shape, 'float32', tf.initializers.zeros());
    const value = init();
    v.write(value);
    value.dispose();
    return v;
  }

  /** The weight labels of `getWeights()`/`setWeights()`, in order. */
  weightLabels(): string[] {
    return this.useBias ? ['kernel', 'recurrentKernel', 'bias'] : ['kernel', 'recurrentKernel'];
  }

  override setWeights(weights: tf.Tensor[]): void {
    if (!this.built || this.inputDim == null) {
      throw new RecurrentInputError(`${this.who}: setWeights needs a built layer; call it on an input or add it to a model first`);
    }
    const GH = this.gates * this.units;
    const shapes = [[this.inputDim, GH], [this.units, GH], ...(this.useBias ? [this.biasShape()] : [])];
    checkWeights(this.who, this.weightLabels(), shapes, weights);
    super.setWeights(weights);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = firstShape(inputShape);
    this.checkInputShape(shape);
    const [B, T] = shape;
    const out: Shape = this.returnSequences ? [B, T, this.units] : [B, this.units];
    if (!this.returnState) return out;
    return [out, ...Array.from({ length: this.stateSize }, () => [B, this.units] as Shape)];
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const m = mask == null ? null : first(mask);
    const out = this.returnSequences ? m : null;
    if (!this.returnState) return out as tf.Tensor;
    return [out, ...Array.from({ length: this.stateSize }, () => null)] as unknown as tf.Tensor[];
  }

  /**
   * Call with an initial state: `layer.apply(x, { initialState: [h0] })`
   * (`[h0, c0]` for LSTM), eagerly or on symbolic tensors. `x` may also be a
   * nested array of numbers [batch, time, features], as Keras takes a list.
   */
  override apply(
    inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] | number[][][],
    kwargs?: Kwargs,
  ): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    const n = this.stateSize;
    const what = `a list of ${n} tensor(s) ${n === 2 ? '[h, c]' : '[h]'} of shape [batch, ${this.units}]`;
    return applyWithInitialState(this, inputs, kwargs, { count: n, units: this.units, what }, (i, k) => super.apply(i, k));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const { x, ...opts } = callInputs(inputs, kwargs); // opts: mask, training, initialState
    return this.run(x, opts);
  }

  /** The forward pass, also used directly by Bidirectional. */
  run(x: tf.Tensor, opts: { mask?: tf.Tensor; training?: boolean; initialState?: tf.Tensor[] }): tf.Tensor | tf.Tensor[] {
    if (!(x instanceof tf.Tensor)) {
      throw new RecurrentInputError(`${this.kerasName} expects a Tensor [batch, time, features], got ${fmtValue(x)} (layer '${this.name}')`);
    }
    this.checkInputShape(x.shape, x.dtype);
    const [B, T, D] = x.shape as [number, number, number];
    if (opts.mask != null && (opts.mask.rank !== 2 || opts.mask.shape[0] !== B || opts.mask.shape[1] !== T)) {
      throw new RecurrentInputError(
        `${this.kerasName} expects a mask of shape [batch, time] = ${fmtShape([B, T])}, got shape ${fmtShape(opts.mask.shape)} (layer '${this.name}')`,
      );
    }
    if (opts.initialState != null) this.checkStates(opts.initialState, B, 'initialState');
    const declared = this.batchInputShape?.[0];
    if (this.stateful && this.carried == null && declared != null && declared !== B) {
      throw new RecurrentInputError(`${this.who}: a stateful layer declared for batch ${declared} (batchInputShape) got a batch of ${B}`);
    }
    if (this.stateful && this.carried != null && this.carried[0].shape[0] !== B) {
      throw new RecurrentInputError(
        `${this.who}: a stateful layer keeps the batch size it was built with (${this.carried[0].shape[0]}), got a batch of ${B}`,
      );
    }
    tf.dispose(this.retired);
    this.retired = [];
    const result = tf.tidy(() => {
      const training = opts.training === true;
      let xIn: tf.Tensor = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
      if (training && this.dropout > 0) {
        xIn = tf.mul(xIn, tf.expandDims(dropoutMask([B, D], this.dropout, this.nextSeed()), 1)); // x_t ⊙ m_x, one mask for every t
      }
      const rdm = training && this.recurrentDropout > 0 ? dropoutMask([B, this.units], this.recurrentDropout, this.nextSeed()) : undefined;
      const initial = (opts.initialState as tf.Tensor2D[] | undefined) ??
        this.carried ?? Array.from({ length: this.stateSize }, () => tf.zeros([B, this.units]) as tf.Tensor2D);
      const loopOpts = {
        mask: opts.mask,
        goBackwards: this.goBackwards,
        returnSequences: this.returnSequences,
        zeroOutputForMask: this.zeroOutputForMask,
      };
      const kc = this.kernelCell();
      const path = sequencePath({
        useKernels: this.useKernels, useAutodiff: this.useAutodiff, hasBPTT: this.hasBPTT(),
        kernelActivations: kc && [kc.activation, kc.recurrentActivation],
      });
      const { output, state } =
        path === 'kernels' ? this.runKernels(kc!, xIn as tf.Tensor3D, initial, rdm, loopOpts)
        : path === 'bptt' ? this.runBPTT(xIn, initial, rdm, loopOpts)
        : this.runAutodiff(xIn, initial, rdm, loopOpts);
      if (this.stateful) {
        const kept = state.map((s) => tf.keep(s.clone()));
        if (this.carried) this.retired = this.carried;
        this.carried = kept;
      }
      return this.returnState ? [output, ...state] : output;
    });
    return result;
  }

  /** Hoisted input projection: x_t W + b for all t in one matMul.   [B·T, D] × [D, G·H] → [B, T, G·H] */
  private projection(xIn: tf.Tensor, B: number, T: number, D: number): tf.Tensor3D {
    let xW: tf.Tensor = matMul(tf.reshape(xIn, [B * T, D]) as tf.Tensor2D, this.kernel!.read() as tf.Tensor2D);
    const bIn = this.inputBias();
    if (bIn) xW = tf.add(xW, bIn);
    return tf.reshape(xW, [B, T, this.gates * this.units]) as tf.Tensor3D;
  }

  /** The whole sequence, forward and backward, in one call of our kernels each (src/kernels/sequence.ts). */
  private runKernels(kc: KernelCell, xIn: tf.Tensor3D, initial: tf.Tensor2D[], rdm: tf.Tensor2D | undefined, loopOpts: LoopOptions): { output: tf.Tensor; state: tf.Tensor2D[] } {
    const [B, T, D] = xIn.shape;
    return runSequence(kc, {
      ...(kernelsProject()
        ? { x: xIn, W: this.kernel!.read() as tf.Tensor2D, bias: (this.inputBias() ?? undefined) as tf.Tensor1D | undefined }
        : { xW: this.projection(xIn, B, T, D) }),
      U: this.recurrentKernel!.read() as tf.Tensor2D, recurrentBias: this.recurrentBias(), initial, recurrentDropoutMask: rdm, who: this.who,
    }, loopOpts);
  }

  /** The tf-op cells of src/cells/ step by step, with their hand-written backward through time (bptt.ts). */
  private runBPTT(xIn: tf.Tensor, initial: tf.Tensor2D[], rdm: tf.Tensor2D | undefined, loopOpts: LoopOptions): { output: tf.Tensor; state: State } {
    const [B, T, D] = xIn.shape;
    return runLoopBPTT(this.makeCell(rdm) as BPTTCell, this.projection(xIn, B, T, D), initial, loopOpts);
  }

  /** The tf-op cells of src/cells/ step by step (loop.ts); tfjs's autodiff differentiates them where a tape records. */
  private runAutodiff(xIn: tf.Tensor, initial: tf.Tensor2D[], rdm: tf.Tensor2D | undefined, loopOpts: LoopOptions): { output: tf.Tensor; state: State } {
    const [B, T, D] = xIn.shape;
    return runLoop(this.makeCell(rdm), this.projection(xIn, B, T, D), initial, loopOpts);
  }

  private nextSeed(): number | undefined {
    return this.seed == null ? undefined : this.seed + 2 * this.dropoutCalls++;
  }

  /** The bias added to x W before the loop: all of b, or for GRU(resetAfter) its input-side row. */
  protected inputBias(): tf.Tensor | null {
    return this.bias ? this.bias.read() : null;
  }

  private checkStates(states: tf.Tensor[], B: number, what: string): void {
    if (!Array.isArray(states) || states.length !== this.stateSize) {
      throw new RecurrentInputError(
        `${this.who}: ${what} must be ${this.stateSize} tensor(s) of shape [batch, ${this.units}], got ${
          Array.isArray(states) ? states.length : fmtValue(states)
        }`,
      );
    }
    states.forEach((s, i) => {
      if (!(s instanceof tf.Tensor) || s.rank !== 2 || s.shape[0] !== B || s.shape[1] !== this.units) {
        throw new RecurrentInputError(
          `${this.who}: ${what}[${i}] must have shape ${fmtShape([B, this.units])}, got ${
            s instanceof tf.Tensor ? `shape ${fmtShape(s.shape)}` : fmtValue(s)
          }`,
        );
      }
    });
  }

  /** The state carried by a stateful layer (null before the first call). */
  getStates(): tf.Tensor[] | null {
    return this.carried ? this.carried.slice() : null;
  }

  /**
   * Reset the carried state of a stateful layer: to zeros, or to `states`
   * ([h] or [h, c], each [batch, units]).
   */
  override resetStates(states?: tf.Tensor | tf.Tensor[]): void {
    if (!this.stateful) {
      throw new RecurrentConfigError(`${this.who}: resetStates needs a stateful layer; construct it with stateful: true`);
    }
    const B = this.batchInputShape?.[0] ?? this.carried?.[0].shape[0] ?? null;
    let next: tf.Tensor2D[] | null = null;
    if (states != null) {
      const list = Array.isArray(states) ? states : [states];
      this.checkStates(list, B ?? list[0]?.shape?.[0], 'resetStates states');
      next = list.map((s) => tf.keep(s.clone() as tf.Tensor2D));
    } else if (B != null) {
      next = Array.from({ length: this.stateSize }, () => tf.keep(tf.zeros([B, this.units]) as tf.Tensor2D));
    }
    tf.dispose(this.retired);
    this.retired = [];
    if (this.carried) tf.dispose(this.carried);
    this.carried = next;
  }

  /** Frees the carried states (dispose() does it too). */
  disposeStates(): void {
    tf.dispose(this.retired);
    if (this.carried) tf.dispose(this.carried);
    this.retired = [];
    this.carried = null;
  }

  /** Frees the weights and any carried state. */
  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    this.disposeStates();
    return super.dispose();
  }

  /** Keras-style config: every option under its camelCase name. */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      ...unitsConfig(this, { kernelInitializer: this.kernelInit, recurrentInitializer: this.recurrentInit, biasInitializer: this.biasInit }),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      zeroOutputForMask: this.zeroOutputForMask,
      ...(this.seed != null ? { seed: this.seed } : {}),
    };
  }
}
