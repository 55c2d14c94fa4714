/**
 * RNN: the layer that runs a cell over time (Keras's keras/src/layers/rnn/
 * rnn.py). It holds what every recurrent layer shares: masking, the initial
 * and carried (`stateful`) state, `goBackwards`, `returnSequences`,
 * `returnState`; the cell says what one step computes. Our cells run through
 * recurrence.ts (the kernels where src/placement.ts says so), a stack of them
 * cell by cell, any other cell step by step in tf ops (cell_loop.ts).
 * SimpleRNN, LSTM and GRU are RNNs that make their own cell (rnn.ts).
 * docs/equations.md#the-loop
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../errors';
import { bool } from '../validate';
import { announceDefaultBackend } from '../backend';
import { Kwargs, Layer, LayerArgs, NS, Shape, baseArgs, checkWeights, first, firstShape, kerasNameOf } from './base';
import { applyWithInitialState, callInputs } from './initial_state';
import { CellLayer } from './cell_layer';
import { StackedRNNCells } from './stacked_rnn_cells';
import {
  RecurrentCell, buildCell, cellName, cellWeights, checkCell, deserializeCell, outputSizeOf, serializeCell, stateSizesOf,
} from './recurrent_cell';
import { PathFlags, SequenceOptions, runOwnCell, runOwnStack } from './recurrence';
import { runCellLoop } from './cell_loop';
import { ActivityArgs, activityRegularizerOf, penaltyConfig, recordActivity, setActivityRegularizer } from './penalties';

/** The options of the loop over time, which RNN, SimpleRNN, LSTM and GRU take (Keras's names and defaults). */
export interface RNNLoopArgs {
  /** Return the output at every step [B, T, H] rather than the last [B, H]. */
  returnSequences?: boolean;
  /** Also return the final states: [output, ...states]. */
  returnState?: boolean;
  /** Process the sequence from the last step to the first; the output sequence comes in that order. */
  goBackwards?: boolean;
  /** Carry the final state of each batch into the next call (needs a fixed batch size). */
  stateful?: boolean;
  /**
   * Accepted, stored and saved as Keras does; it changes nothing here: every
   * path computes the same numbers (Keras unrolls the loop into a graph).
   */
  unroll?: boolean;
  /** At masked steps output zeros instead of the previous output (Keras sets it inside Bidirectional). */
  zeroOutputForMask?: boolean;
}

/** The option names of {@link RNNLoopArgs}. */
export const LOOP_KEYS = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'zeroOutputForMask'] as const;

/** Options of {@link RNN}. */
export interface RNNArgs extends LayerArgs, RNNLoopArgs, ActivityArgs {
  /**
   * The cell: one of ours (SimpleRNNCell, LSTMCell, GRUCell), a StackedRNNCells,
   * a list of cells (stacked, as Keras stacks a list), or a user's cell (see {@link RecurrentCell}).
   */
  cell: RecurrentCell | RecurrentCell[];
}

/**
 * Runs a cell over a sequence [batch, time, features], as Keras's `RNN`.
 * `new RNN({ cell: new LSTMCell({ units }) })` computes what `LSTM` does, in
 * the same kernels and at the same speed; a list of cells is stacked; a
 * user's cell runs step by step in tf ops, trained by autodiff. With
 * `returnState`, returns `[output, ...states]` (a stack's states flattened,
 * cell after cell).
 *
 * @example
 * ```ts
 * import { tf, RNN, LSTMCell, GRUCell } from 'tfjs-recurrent';
 * const lstm = new RNN({ cell: new LSTMCell({ units: 8 }), returnSequences: true });
 * const y = lstm.apply(tf.ones([2, 5, 3])) as tf.Tensor; // [2, 5, 8]
 * const stacked = new RNN({ cell: [new LSTMCell({ units: 8 }), new GRUCell({ units: 4 })], returnState: true });
 * const [out, h1, c1, h2] = stacked.apply(tf.ones([2, 5, 3])) as tf.Tensor[]; // out, h2 [2, 4]; h1, c1 [2, 8]
 * ```
 */
export class RNN extends Layer {
  static className = NS + 'RNN';
  readonly cell: RecurrentCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly unroll: boolean;
  zeroOutputForMask: boolean;
  /** Prefix of the weight names, set by a wrapper (Bidirectional) so forward and backward weights differ. */
  weightScope = '';
  /** Force the autodiff loop for our cells (the reference the hand-written backward and the kernels are tested against). */
  useAutodiff = false;
  /** Run our cells' sequences in our WebAssembly kernels when they compute the cell (src/kernels); false: the tf-op steps. */
  useKernels = true;
  /** D, fixed at build. */
  protected inputDim: number | null = null;

  /** Carried state of a stateful layer, and the previous one (still needed by the last step's gradient). */
  private carried: tf.Tensor2D[] | null = null;
  private retired: tf.Tensor2D[] = [];

  /**
   * @param known the options a subclass takes besides the loop's (SimpleRNN, LSTM and GRU pass theirs)
   * @param foldInputDim whether the legacy `inputDim` / `inputLength` fold into inputShape (SimpleRNN, LSTM, GRU)
   */
  constructor(args: RNNArgs, known: readonly string[] = [], foldInputDim = false) {
    const kerasName = kerasNameOf(new.target);
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`${kerasName}: expects an options object such as { cell: new LSTMCell({ units: 32 }) }, got ${fmtValue(args)}`);
    }
    super(baseArgs(kerasName, args, foldInputDim, ['cell', ...LOOP_KEYS, 'activityRegularizer', ...known]));
    const cell = args.cell;
    if (cell == null) throw new RecurrentConfigError(`${kerasName}: cell must be a cell (such as new LSTMCell({ units: 32 })) or a list of cells, got ${fmtValue(cell)}`);
    this.cell = Array.isArray(cell) ? new StackedRNNCells({ cells: cell }) : checkCell(kerasName, cell);
    this.returnSequences = bool(kerasName, 'returnSequences', args.returnSequences, false);
    this.returnState = bool(kerasName, 'returnState', args.returnState, false);
    this.goBackwards = bool(kerasName, 'goBackwards', args.goBackwards, false);
    this._stateful = bool(kerasName, 'stateful', args.stateful, false);
    this.unroll = bool(kerasName, 'unroll', args.unroll, false);
    this.zeroOutputForMask = bool(kerasName, 'zeroOutputForMask', args.zeroOutputForMask, false);
    setActivityRegularizer(kerasName, this, args.activityRegularizer);
    this.supportsMasking = true;
  }

  /** The size of each state, in order (a stack's: every cell's, flattened); Keras's `state_size`. */
  get stateSize(): number[] {
    return stateSizesOf(this.cell);
  }

  /** The size of the output at each step: the cell's `outputSize`, else its first state's. */
  get outputSize(): number {
    return outputSizeOf(this.cell);
  }

  /** Who is speaking in an error message: `RNN` and the layer's name. */
  protected get who(): string {
    return `${this.kerasName} (layer '${this.name}')`;
  }

  /** The prefix of the cell's weight names: `rnn/lstm_cell/` (SimpleRNN, LSTM and GRU leave the cell's name out). */
  protected cellScope(): string {
    return `${this.weightScope}${cellName(this.cell)}/`;
  }

  private checkInputShape(shape: Shape, dtype?: string): number {
    if (dtype !== undefined && dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
      throw new RecurrentInputError(`${this.kerasName} expects a numeric input, got dtype ${dtype} (layer '${this.name}')`);
    }
    if (shape.length !== 3) {
      throw new RecurrentInputError(`${this.kerasName} expects input of rank 3 [batch, time, features], got shape ${fmtShape(shape)} (layer '${this.name}')`);
    }
    const D = shape[2];
    if (shape[1] === 0 || shape[0] === 0) {
      throw new RecurrentInputError(`${this.kerasName} expects at least one sequence of at least one time step, got shape ${fmtShape(shape)} (layer '${this.name}')`);
    }
    if (D == null) {
      throw new RecurrentInputError(`${this.kerasName} needs a known number of features (the last input dimension), got shape ${fmtShape(shape)} (layer '${this.name}')`);
    }
    if (this.inputDim != null && D !== this.inputDim) {
      throw new RecurrentInputError(`${this.kerasName} was built for ${this.inputDim} input features, got shape ${fmtShape(shape)} (layer '${this.name}')`);
    }
    return D;
  }

  override build(inputShape: Shape | Shape[]): void {
    announceDefaultBackend();
    const shape = firstShape(inputShape);
    const D = this.checkInputShape(shape);
    if (this.stateful && (shape[0] ?? this.batchInputShape?.[0]) == null) {
      throw new RecurrentConfigError(
        `${this.who}: stateful requires a fixed batch size: give batchInputShape (e.g. [32, 10, ${D}]) or batchSize, got batch dimension null`,
      );
    }
    if (this.cell instanceof CellLayer && this.cell.inputDim != null && this.cell.inputDim !== D) {
      throw new RecurrentInputError(`${this.who}: its cell '${cellName(this.cell)}' was built for ${this.cell.inputDim} input features, got shape ${fmtShape(shape)}`);
    }
    buildCell(this.cell, [shape[0], D], this.cellScope());
    this.inputDim = D;
    this.built = true;
  }

  override get trainableWeights(): tf.LayerVariable[] {
    return this.trainable ? cellWeights(this.cell).trainable : [];
  }
  override set trainableWeights(_w: tf.LayerVariable[]) {
    throw new RecurrentConfigError(`${this.kerasName}: trainableWeights is read-only`);
  }
  override get nonTrainableWeights(): tf.LayerVariable[] {
    const w = cellWeights(this.cell);
    return this.trainable ? w.nonTrainable : [...w.trainable, ...w.nonTrainable];
  }
  override set nonTrainableWeights(_w: tf.LayerVariable[]) {
    throw new RecurrentConfigError(`${this.kerasName}: nonTrainableWeights is read-only`);
  }

  /** The labels of `getWeights()`/`setWeights()`, in order: `kernel`, `recurrentKernel`, `bias` (in a stack, each with its cell's name). */
  weightLabels(): string[] {
    if (this.cell instanceof CellLayer) return this.cell.weightLabels();
    const cells = this.cell instanceof StackedRNNCells ? this.cell.cells : [this.cell];
    return cells.flatMap((c) => {
      const ws = cellWeights(c);
      const labels = c instanceof CellLayer ? c.weightLabels() : [...ws.trainable, ...ws.nonTrainable].map((w) => w.originalName.split('/').pop()!);
      return this.cell instanceof StackedRNNCells ? labels.map((l) => `${cellName(c)} ${l}`) : labels;
    });
  }

  /** The weights in `getWeights()` order, checked for count and shapes first: nothing is written on error. */
  override setWeights(weights: tf.Tensor[]): void {
    if (!this.built) {
      throw new RecurrentInputError(`${this.who}: setWeights needs a built layer; call it on an input or add it to a model first`);
    }
    if (this.cell instanceof CellLayer) this.cell.checkWeights(weights, this.who);
    else checkWeights(this.who, this.weightLabels(), this.weights.map((w) => w.shape as number[]), weights);
    super.setWeights(weights);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = firstShape(inputShape);
    this.checkInputShape(shape);
    const [B, T] = shape;
    const out: Shape = this.returnSequences ? [B, T, this.outputSize] : [B, this.outputSize];
    if (!this.returnState) return out;
    return [out, ...this.stateSize.map((n) => [B, n] as Shape)];
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    void inputs;
    const m = mask == null ? null : first(mask);
    const out = this.returnSequences ? m : null;
    if (!this.returnState) return out as tf.Tensor;
    return [out, ...this.stateSize.map(() => null)] as unknown as tf.Tensor[];
  }

  /** The initial states a message asks for: `a list of 2 tensor(s) [h, c] of shape [batch, 3]`. */
  protected statesWanted(): { what: string; shapes: string } {
    const sizes = this.stateSize;
    const n = sizes.length;
    const uniform = sizes.every((s) => s === sizes[0]);
    const shapes = uniform ? `[batch, ${sizes[0]}]` : sizes.map((s) => `[batch, ${s}]`).join(', ');
    const names = this.cell instanceof CellLayer ? (n === 2 ? ' [h, c]' : ' [h]') : '';
    return { what: `a list of ${n} tensor(s)${names} of shape ${shapes}`, shapes };
  }

  /**
   * Call with an initial state: `layer.apply(x, { initialState: [h0] })`
   * (`[h0, c0]` for an LSTM cell), eagerly or on symbolic tensors. `x` may also
   * be a nested array of numbers [batch, time, features], as Keras takes a list.
   */
  override apply(
    inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] | number[][][],
    kwargs?: Kwargs,
  ): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    const { what, shapes } = this.statesWanted();
    return applyWithInitialState(this, inputs, kwargs, { count: this.stateSize.length, units: shapes, what }, (i, k) => super.apply(i, k));
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
    const [B, T] = x.shape as [number, number, number];
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
      throw new RecurrentInputError(`${this.who}: a stateful layer keeps the batch size it was built with (${this.carried[0].shape[0]}), got a batch of ${B}`);
    }
    tf.dispose(this.retired);
    this.retired = [];
    return tf.tidy(() => {
      const xIn = (x.dtype === 'float32' ? x : tf.cast(x, 'float32')) as tf.Tensor3D;
      const initial = (opts.initialState as tf.Tensor2D[] | undefined) ?? this.carried ?? this.startStates(B);
      const o: SequenceOptions = {
        mask: opts.mask, goBackwards: this.goBackwards, returnSequences: this.returnSequences, zeroOutputForMask: this.zeroOutputForMask,
        training: opts.training === true, who: this.who,
      };
      const { output, state } = this.runCell(xIn, initial, o);
      if (this.stateful) {
        const kept = state.map((s) => tf.keep(s.clone()));
        if (this.carried) this.retired = this.carried;
        this.carried = kept;
      }
      return recordActivity(this, this.returnState ? [output, ...state] : output); // R(y) / B of each output, in a model's step
    });
  }

  /**
   * The cell over the sequence: our cell through recurrence.ts (the kernels,
   * or the tf-op steps, as src/placement.ts decides), a stack of our cells
   * cell by cell the same way, and any other cell step by step in tf ops.
   */
  private runCell(x: tf.Tensor3D, initial: tf.Tensor2D[], o: SequenceOptions): { output: tf.Tensor; state: tf.Tensor2D[] } {
    const flags: PathFlags = { useKernels: this.useKernels, useAutodiff: this.useAutodiff };
    const cell = this.cell;
    if (cell instanceof CellLayer) return runOwnCell(cell, x, initial, o, flags);
    if (cell instanceof StackedRNNCells && cell.cells.every((c) => c instanceof CellLayer)) {
      return runOwnStack(cell.cells as CellLayer[], x, initial, o, flags);
    }
    return runCellLoop(cell, x, initial, o);
  }

  /** The states a call starts from when none is given: the cell's `getInitialState`, else zeros. */
  private startStates(B: number): tf.Tensor2D[] {
    const made = this.cell.getInitialState?.(B);
    if (made == null) return this.stateSize.map((n) => tf.zeros([B, n]) as tf.Tensor2D);
    this.checkStates(made, B, `its cell's getInitialState(${B})`);
    return made;
  }

  private checkStates(states: tf.Tensor[], B: number, what: string): void {
    const sizes = this.stateSize;
    if (!Array.isArray(states) || states.length !== sizes.length) {
      throw new RecurrentInputError(`${this.who}: ${what} must be ${this.statesWanted().what}, got ${Array.isArray(states) ? states.length : fmtValue(states)}`);
    }
    states.forEach((s, i) => {
      if (!(s instanceof tf.Tensor) || s.rank !== 2 || s.shape[0] !== B || s.shape[1] !== sizes[i]) {
        throw new RecurrentInputError(
          `${this.who}: ${what}[${i}] must have shape ${fmtShape([B, sizes[i]])}, got ${s instanceof tf.Tensor ? `shape ${fmtShape(s.shape)}` : fmtValue(s)}`,
        );
      }
    });
  }

  /** The state carried by a stateful layer (null before the first call). */
  getStates(): tf.Tensor[] | null {
    return this.carried ? this.carried.slice() : null;
  }

  /** Reset the carried state of a stateful layer: to zeros, or to `states` (one [batch, size] per state). */
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
      next = this.stateSize.map((n) => tf.keep(tf.zeros([B, n]) as tf.Tensor2D));
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

  /** Frees the weights (the cell's) and any carried state. */
  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    this.disposeStates();
    return super.dispose();
  }

  /** tfjs's base config: name, trainable, dtype, and the input shape where given; the activity regularizer if any (Keras's base layer config). */
  protected baseConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...penaltyConfig({ activityRegularizer: activityRegularizerOf(this) }) };
  }

  /** The loop's options, as Keras writes them. */
  protected loopConfig(): tf.serialization.ConfigDict {
    return {
      returnSequences: this.returnSequences, returnState: this.returnState, goBackwards: this.goBackwards,
      stateful: this.stateful, unroll: this.unroll, zeroOutputForMask: this.zeroOutputForMask,
    };
  }

  /** Keras's config: the loop's options and the cell as `{ className, config }`. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.baseConfig(), ...this.loopConfig(), cell: serializeCell(this.who, this.cell) };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls({ ...config, cell: deserializeCell(kerasNameOf(cls), config.cell) } as never);
  }
}
tf.serialization.registerClass(RNN);
