/**
 * What SimpleRNNCell, LSTMCell and GRUCell share: one time step of a
 * recurrence as a layer, holding its weights in Keras layout (kernel W
 * [D, G·H], recurrentKernel U [H, G·H], bias), as Keras 3's cells do. The
 * equations are in src/cells/ (the step objects this layer makes); the loop
 * over time is `RNN`'s (src/layers/rnn.ts), which runs our cells through
 * src/placement.ts's paths (the kernels for a whole sequence).
 * docs/equations.md
 */
import { tf } from '../tf';
import type { Cell } from '../cells/cell';
import type { KernelCell } from '../kernels/sequence';
import { ActivationFn, activationsFromFile, getActivation } from '../activations';
import { InitializerSpec, ResolvedInitializer, resolveInitializer } from '../initializers';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../errors';
import { bool, positiveInt, rate } from '../validate';
import { matMul } from '../matmul';
import { announceDefaultBackend } from '../backend';
import { dropoutMask } from './dropout';
import type { CellCallArgs } from './recurrent_cell';
import { Kwargs, Layer, LayerArgs, Shape, baseArgs, checkWeights, firstShape, isShapeList, kerasNameOf, unitsConfig } from './base';
import type { RegularizerSpec } from '../regularizers';
import type { ConstraintSpec } from '../constraints';
import { WeightPenalty, penaltyConfig, setWeightPenalty, weightPenalty } from './penalties';

/** Options of SimpleRNNCell, LSTMCell and GRUCell, with Keras 3's names (camelCase) and defaults. */
export interface CellArgs extends LayerArgs {
  /** H, the size of the state and of the output. */
  units: number;
  /** φ, applied to the candidate and the output (default 'tanh'). */
  activation?: string;
  /** Whether the cell has a bias (default true). */
  useBias?: boolean;
  /** Initializer of W (default 'glorotUniform'). */
  kernelInitializer?: InitializerSpec;
  /** Initializer of U (default 'orthogonal'). */
  recurrentInitializer?: InitializerSpec;
  /** Initializer of the bias (default 'zeros'). */
  biasInitializer?: InitializerSpec;
  /** Fraction of the inputs x_t dropped while training; inside `RNN` one mask for all steps. */
  dropout?: number;
  /** Fraction of h_{t-1} dropped in the recurrent product while training; inside `RNN` one mask for all steps. */
  recurrentDropout?: number;
  /** Seed of the dropout masks: draw k uses seed + 2k, so training is repeatable. */
  seed?: number;
  /** Penalty on W added to the loss (Keras's `kernel_regularizer`): `'l2'`, `regularizers.l2(0.01)`, ... */
  kernelRegularizer?: RegularizerSpec | null;
  /** Penalty on U (Keras's `recurrent_regularizer`). */
  recurrentRegularizer?: RegularizerSpec | null;
  /** Penalty on the bias (Keras's `bias_regularizer`). */
  biasRegularizer?: RegularizerSpec | null;
  /** Projection of W after each optimizer step (Keras's `kernel_constraint`): `'max_norm'`, `constraints.maxNorm({ maxValue: 3 })`, ... */
  kernelConstraint?: ConstraintSpec | null;
  /** Projection of U after each optimizer step (Keras's `recurrent_constraint`). */
  recurrentConstraint?: ConstraintSpec | null;
  /** Projection of the bias after each optimizer step (Keras's `bias_constraint`). */
  biasConstraint?: ConstraintSpec | null;
}

/** The options every cell takes (LSTMCell and GRUCell add theirs). */
export const CELL_KEYS = [
  'units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'dropout', 'recurrentDropout', 'seed',
  'kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint',
] as const;

/**
 * Base class of SimpleRNNCell, LSTMCell and GRUCell. A subclass says how many
 * gate blocks G its kernel has, its state sizes, and how to make its step from
 * the current weights; what the loop over time needs of it (the step, the
 * kernels' name for it, the biases it adds where) is read by src/layers/recurrence.ts.
 *
 * Called alone, as Keras's cells: `cell.call(x_t, [h, c])` returns
 * `[y_t, [h_t, c_t]]` (x_t [B, D], each state [B, H]); `cell.apply([x_t, h, c])`
 * returns the flat list `[y_t, h_t, c_t]`, as tfjs's cells do.
 *
 * @example
 * ```ts
 * import { tf, CellLayer, LSTMCell, GRUCell } from 'tfjs-recurrent';
 * const cells: CellLayer[] = [new LSTMCell({ units: 3 }), new GRUCell({ units: 3 })];
 * for (const cell of cells) {
 *   const states = cell.getInitialState(2); // [h] or [h, c], zeros [2, 3]
 *   const [y, next] = cell.call(tf.ones([2, 5]), states); // y [2, 3]; next: the new states
 * }
 * ```
 */
export abstract class CellLayer extends Layer {
  readonly units: number;
  readonly activationName: string;
  protected readonly activationFn: ActivationFn;
  readonly useBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed?: number;
  protected readonly kernelInit: ResolvedInitializer;
  protected readonly recurrentInit: ResolvedInitializer;
  protected readonly biasInit: ResolvedInitializer;
  /** The regularizer and constraint of W, U and the bias (src/layers/penalties.ts). */
  protected readonly penalties: { kernel: WeightPenalty; recurrentKernel: WeightPenalty; bias: WeightPenalty };
  /** Who speaks in errors: the cell's class, or the layer that made it (`LSTM` for an LSTM layer's cell). */
  protected readonly owner: string;

  protected kernel: tf.LayerVariable | null = null;
  protected recurrentKernel: tf.LayerVariable | null = null;
  protected bias: tf.LayerVariable | null = null;
  /** D, fixed at build. */
  inputDim: number | null = null;
  /** Prefix of the weight names, set by the layer that runs the cell (`lstm_cell/` inside an RNN). */
  weightScope = '';
  private draws = 0;
  /** Dropout masks fixed for a whole sequence by a loop that calls the cell step by step (see `fixDropoutMasks`). */
  private fixedMasks: { x?: tf.Tensor2D; h?: tf.Tensor2D } | null = null;

  /** G, gate blocks in the kernel's columns: SimpleRNN 1, LSTM 4, GRU 3. */
  abstract readonly gates: number;
  /** The size of each state, as Keras says it: H (one state, h) or [H, H] (h and c). */
  abstract readonly stateSize: number | number[];
  /** The step over the current weights (src/cells/); `rdm` is the recurrent dropout mask. @internal */
  abstract makeStep(rdm: tf.Tensor2D | undefined): Cell;
  /** Whether this configuration's step has a hand-written backward (else autodiff). */
  abstract hasBPTT(): boolean;
  /** This cell as the kernels know it (src/kernels/); null where they do not compute it. @internal */
  abstract kernelCell(): KernelCell | null;

  /**
   * @param owner who speaks in errors (a layer that makes its own cell, `LSTM`, passes its class name);
   *   the cell's class by default.
   */
  constructor(args: CellArgs, extraKeys: readonly string[] = [], owner?: string) {
    const kerasName = owner ?? kerasNameOf(new.target);
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`${kerasName}: expects an options object such as { units: 32 }, got ${fmtValue(args)}`);
    }
    if ((args as { activityRegularizer?: unknown }).activityRegularizer != null && owner == null) {
      throw new RecurrentConfigError(
        `${kerasName}: activityRegularizer goes on the RNN that runs the cell (new RNN({ cell, activityRegularizer })): a cell is called at each step, where Keras 3 cannot apply one either`,
      );
    }
    super(baseArgs(kerasNameOf(new.target), args, false, [...CELL_KEYS, ...extraKeys]));
    this.owner = kerasName;
    this.units = positiveInt(kerasName, 'units', args.units);
    [this.activationName, this.activationFn] = getActivation(kerasName, 'activation', args.activation, 'tanh');
    this.useBias = bool(kerasName, 'useBias', args.useBias, true);
    this.dropout = rate(kerasName, 'dropout', args.dropout);
    this.recurrentDropout = rate(kerasName, 'recurrentDropout', args.recurrentDropout);
    if (args.seed != null && !Number.isInteger(args.seed)) {
      throw new RecurrentConfigError(`${kerasName}: seed must be an integer, got ${fmtValue(args.seed)}`);
    }
    this.seed = args.seed ?? undefined;
    this.kernelInit = resolveInitializer(kerasName, 'kernelInitializer', args.kernelInitializer, 'glorotUniform');
    this.recurrentInit = resolveInitializer(kerasName, 'recurrentInitializer', args.recurrentInitializer, 'orthogonal');
    this.biasInit = resolveInitializer(kerasName, 'biasInitializer', args.biasInitializer, 'zeros');
    const a = args as unknown as Record<string, unknown>;
    this.penalties = { kernel: weightPenalty(kerasName, 'kernel', a), recurrentKernel: weightPenalty(kerasName, 'recurrent', a), bias: weightPenalty(kerasName, 'bias', a) };
  }

  /** The size of the output y_t: H. */
  get outputSize(): number {
    return this.units;
  }

  /** The state sizes as a list: [H] or [H, H]. */
  get stateSizes(): number[] {
    return typeof this.stateSize === 'number' ? [this.stateSize] : this.stateSize;
  }

  /** Who is speaking in an error message: `LSTMCell (layer 'lstm_cell')`. */
  protected get who(): string {
    return `${this.owner} (layer '${this.name}')`;
  }

  /** The bias's shape: [G·H] (GRU with resetAfter: [2, 3H]). */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  /** The value the bias starts with (LSTM's unitForgetBias overrides it). */
  protected initialBias(shape: number[]): tf.Tensor {
    return this.biasInit.make(shape);
  }

  /**
   * Makes W [D, G·H], U [H, G·H] and the bias. `inputShape` is a step's,
   * [batch, features] (a sequence's [batch, time, features] is taken too:
   * its last dimension is D).
   */
  override build(inputShape: Shape | Shape[]): void {
    announceDefaultBackend();
    const shape = firstShape(inputShape);
    const D = shape[shape.length - 1];
    if (shape.length < 2 || D == null || !(D > 0)) {
      throw new RecurrentInputError(`${this.who}: needs a known number of input features (the last dimension), got shape ${fmtShape(shape)}`);
    }
    if (this.inputDim != null && D !== this.inputDim) {
      throw new RecurrentInputError(`${this.who}: was built for ${this.inputDim} input features, got shape ${fmtShape(shape)}`);
    }
    if (this.built) return;
    this.inputDim = D;
    const GH = this.gates * this.units;
    this.kernel = this.addVar('kernel', [D, GH], () => this.kernelInit.make([D, GH]), this.penalties.kernel);
    this.recurrentKernel = this.addVar('recurrent_kernel', [this.units, GH], () => this.recurrentInit.make([this.units, GH]), this.penalties.recurrentKernel);
    if (this.useBias) {
      const bs = this.biasShape();
      this.bias = this.addVar('bias', bs, () => this.initialBias(bs), this.penalties.bias);
    }
    this.built = true;
  }

  /** addWeight, then its value computed here (the initializers live in src/initializers.ts), its regularizer and constraint attached. */
  private addVar(name: string, shape: number[], init: () => tf.Tensor, penalty: WeightPenalty): tf.LayerVariable {
    const v = this.addWeight(this.weightScope + name, shape, 'float32', tf.initializers.zeros());
    setWeightPenalty(this.owner, v, penalty);
    const value = init();
    v.write(value);
    value.dispose();
    return v;
  }

  /** The weight labels of `getWeights()`/`setWeights()`, in order. */
  weightLabels(): string[] {
    return this.useBias ? ['kernel', 'recurrentKernel', 'bias'] : ['kernel', 'recurrentKernel'];
  }

  /** [W, U, b]: checked for count and shapes first; nothing is written on error. */
  override setWeights(weights: tf.Tensor[]): void {
    this.checkWeights(weights);
    super.setWeights(weights);
  }

  /** Throws, naming the weight, unless `weights` fit this built cell. */
  checkWeights(weights: tf.Tensor[], who = this.who): void {
    if (!this.built || this.inputDim == null) {
      throw new RecurrentInputError(`${who}: setWeights needs a built layer; call it on an input or add it to a model first`);
    }
    const GH = this.gates * this.units;
    const shapes = [[this.inputDim, GH], [this.units, GH], ...(this.useBias ? [this.biasShape()] : [])];
    checkWeights(who, this.weightLabels(), shapes, weights);
  }

  // ---- what the loop over time reads (src/layers/recurrence.ts) ----------------------------

  /** W, [D, G·H]. */
  kernelValue(): tf.Tensor2D {
    return this.kernel!.read() as tf.Tensor2D;
  }

  /** U, [H, G·H]. */
  recurrentKernelValue(): tf.Tensor2D {
    return this.recurrentKernel!.read() as tf.Tensor2D;
  }

  /** The bias added to x W before the loop: all of b, or for GRU(resetAfter) its input-side row; null without a bias. */
  inputBias(): tf.Tensor | null {
    return this.bias ? this.bias.read() : null;
  }

  /** GRU(resetAfter)'s recurrent-side bias b_r, which the step adds after h_{t-1} U; undefined elsewhere. */
  recurrentBias(): tf.Tensor1D | undefined {
    return undefined;
  }

  /** The seed of the next dropout mask (seed + 2k for draw k), or undefined without a seed. */
  nextSeed(): number | undefined {
    return this.seed == null ? undefined : this.seed + 2 * this.draws++;
  }

  /** Zero states, [B, size] each, as Keras's `get_initial_state`. */
  getInitialState(batchSize: number): tf.Tensor2D[] {
    return this.stateSizes.map((n) => tf.zeros([batchSize, n]) as tf.Tensor2D);
  }

  /**
   * Fixes the dropout masks for the steps of one sequence (Gal & Ghahramani:
   * one mask for all steps), as Keras's RNN does before its loop; `release`
   * forgets them. For a loop that calls `call` step by step (a stack holding
   * a user's cell); our own loops draw their masks themselves.
   */
  fixDropoutMasks(batch: number, training: boolean): void {
    this.fixedMasks = {
      x: training && this.dropout > 0 ? dropoutMask([batch, this.inputDim!], this.dropout, this.nextSeed()) : undefined,
      h: training && this.recurrentDropout > 0 ? dropoutMask([batch, this.units], this.recurrentDropout, this.nextSeed()) : undefined,
    };
  }

  /** Forgets the masks of `fixDropoutMasks`. */
  releaseDropoutMasks(): void {
    this.fixedMasks = null;
  }

  // ---- one step, as Keras's cells are called ----------------------------------------------

  /** tfjs's `apply([x_t, ...states])`: the list is checked before the cell builds. */
  override apply(
    inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] | number[][] | number[][][],
    kwargs?: Kwargs,
  ): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    const n = 1 + this.stateSizes.length;
    if (!Array.isArray(inputs) || inputs.length !== n || !inputs.every((t) => t instanceof tf.Tensor || t instanceof tf.SymbolicTensor)) {
      throw new RecurrentInputError(
        `${this.who}: call takes (x_t, states), e.g. cell.call(x, [h, c]), or apply([x_t, ...states]) with ${n} tensors; got ${
          Array.isArray(inputs) ? `a list of ${inputs.length}` : inputs instanceof tf.Tensor ? 'one tensor' : fmtValue(inputs)
        }`,
      );
    }
    return super.apply(inputs as tf.Tensor[], kwargs);
  }

  /**
   * One step: `call(x_t, states)` returns `[y_t, newStates]` (Keras's
   * convention; x_t [B, D], states [h] or [h, c], each [B, H]). Called by
   * tfjs's `apply([x_t, ...states])`, it returns the flat list `[y_t, ...newStates]`.
   * Builds the cell on first use. With `training`, dropout applies (fresh
   * masks at each call, unless a loop fixed them for its sequence).
   */
  override call(input: tf.Tensor, states: tf.Tensor[], kwargs?: CellCallArgs): [tf.Tensor2D, tf.Tensor2D[]];
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor[];
  override call(
    inputs: tf.Tensor | tf.Tensor[],
    statesOrKwargs?: tf.Tensor[] | Kwargs,
    kwargs?: CellCallArgs,
  ): [tf.Tensor2D, tf.Tensor2D[]] | tf.Tensor[] {
    if (Array.isArray(statesOrKwargs)) {
      return this.step(inputs as tf.Tensor, statesOrKwargs, kwargs?.training === true);
    }
    if (!Array.isArray(inputs) || inputs.length < 2) {
      throw new RecurrentInputError(`${this.who}: call takes (x_t, states), e.g. cell.call(x, [h, c]), or apply([x_t, ...states]); got no states`);
    }
    const [x, ...states] = inputs;
    const [y, next] = this.step(x, states, (statesOrKwargs as Kwargs | undefined)?.training === true);
    return [y, ...next];
  }

  /** Checks x_t and the states before any tensor work, builds if needed, then steps. */
  private step(x: tf.Tensor, states: tf.Tensor[], training: boolean): [tf.Tensor2D, tf.Tensor2D[]] {
    if (!(x instanceof tf.Tensor) || x.rank !== 2) {
      throw new RecurrentInputError(
        `${this.who}: expects an input step of rank 2 [batch, features], got ${x instanceof tf.Tensor ? `shape ${fmtShape(x.shape)}` : fmtValue(x)}`,
      );
    }
    const [B, D] = x.shape;
    const sizes = this.stateSizes;
    if (!Array.isArray(states) || states.length !== sizes.length) {
      throw new RecurrentInputError(
        `${this.who}: states must be a list of ${sizes.length} tensor(s) ${sizes.length === 2 ? '[h, c]' : '[h]'} of shape [batch, ${this.units}], got ${
          Array.isArray(states) ? `${states.length}` : fmtValue(states)
        }`,
      );
    }
    states.forEach((s, i) => {
      if (!(s instanceof tf.Tensor) || s.rank !== 2 || s.shape[0] !== B || s.shape[1] !== sizes[i]) {
        throw new RecurrentInputError(
          `${this.who}: states[${i}] must have shape ${fmtShape([B, sizes[i]])}, got ${s instanceof tf.Tensor ? `shape ${fmtShape(s.shape)}` : fmtValue(s)}`,
        );
      }
    });
    if (!this.built) this.build(x.shape);
    if (D !== this.inputDim) {
      throw new RecurrentInputError(`${this.who}: was built for ${this.inputDim} input features, got an input step of shape ${fmtShape(x.shape)}`);
    }
    return tf.tidy(() => {
      const masks = this.fixedMasks;
      const mx = masks ? masks.x : training && this.dropout > 0 ? dropoutMask([B, D], this.dropout, this.nextSeed()) : undefined;
      const mh = masks ? masks.h : training && this.recurrentDropout > 0 ? dropoutMask([B, this.units], this.recurrentDropout, this.nextSeed()) : undefined;
      const xIn = tf.cast(mx ? tf.mul(x, mx) : x, 'float32') as tf.Tensor2D; //     x_t ⊙ m_x
      let xW: tf.Tensor = matMul(xIn, this.kernelValue()); //                   x_t W   [B, G·H]
      const bIn = this.inputBias();
      if (bIn) xW = tf.add(xW, bIn); //                                        x_t W + b
      const next = this.makeStep(mh).step(xW as tf.Tensor2D, states as tf.Tensor2D[]);
      return [next[0], next] as [tf.Tensor2D, tf.Tensor2D[]];
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const B = firstShape(inputShape)[0];
    const y: Shape = [B, this.units];
    return isShapeList(inputShape) ? [y, ...this.stateSizes.map((n) => [B, n] as Shape)] : y;
  }

  /** From a config (its activation names as tfjs's format gives them back, see `activationsFromFile`). */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(activationsFromFile(config) as never);
  }

  /** Keras's cell config: units, activation, useBias, the initializers, dropout, recurrentDropout, seed, and the regularizers and constraints set. */
  override getConfig(): tf.serialization.ConfigDict {
    const { kernel, recurrentKernel, bias } = this.penalties;
    return {
      ...super.getConfig(),
      ...unitsConfig(this, { kernelInitializer: this.kernelInit, recurrentInitializer: this.recurrentInit, biasInitializer: this.biasInit }),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      ...(this.seed != null ? { seed: this.seed } : {}),
      ...penaltyConfig({
        kernelRegularizer: kernel.regularizer, recurrentRegularizer: recurrentKernel.regularizer, biasRegularizer: bias.regularizer,
        kernelConstraint: kernel.constraint, recurrentConstraint: recurrentKernel.constraint, biasConstraint: bias.constraint,
      }),
    };
  }
}
