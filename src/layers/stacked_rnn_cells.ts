/**
 * StackedRNNCells: a list of cells that behaves as one cell (Keras's
 * keras/src/layers/rnn/stacked_rnn_cells.py). At each step the first cell
 * reads x_t, each next cell the output of the one before; the stack's output
 * is the last cell's, its states are every cell's, in order.
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../errors';
import { Kwargs, Layer, LayerArgs, NS, Shape, baseArgs, firstShape, isShapeList } from './base';
import {
  CellCallArgs, RecurrentCell, buildCell, cellName, cellWeights, checkCell, deserializeCell, outputSizeOf, serializeCell, stateSizesOf, stepCell,
} from './recurrent_cell';

/** Options of {@link StackedRNNCells}. */
export interface StackedRNNCellsArgs extends LayerArgs {
  /** The cells, first to last: each reads the output of the one before. */
  cells: RecurrentCell[];
}

/**
 * A stack of cells run as one cell: `new RNN({ cell: [a, b] })` makes one.
 * Its states are those of its cells, flattened in order (Keras nests them per
 * cell); its output is the last cell's. Inside `RNN`, a stack of our own cells
 * runs cell by cell through the kernels, a stack holding a user's cell step by step.
 *
 * @example
 * ```ts
 * import { tf, RNN, StackedRNNCells, LSTMCell, GRUCell } from 'tfjs-recurrent';
 * const stack = new StackedRNNCells({ cells: [new LSTMCell({ units: 8 }), new GRUCell({ units: 4 })] });
 * stack.stateSize; // [8, 8, 4]: h and c of the LSTM cell, h of the GRU cell
 * const rnn = new RNN({ cell: stack, returnSequences: true });
 * const y = rnn.apply(tf.ones([2, 5, 3])) as tf.Tensor; // [2, 5, 4]
 * ```
 */
export class StackedRNNCells extends Layer implements RecurrentCell {
  static className = NS + 'StackedRNNCells';
  readonly cells: RecurrentCell[];
  /** Prefix of the weight names, set by the RNN that runs the stack. */
  weightScope = '';

  constructor(args: StackedRNNCellsArgs) {
    if (args == null || typeof args !== 'object' || Array.isArray(args)) {
      throw new RecurrentConfigError(`StackedRNNCells: expects an options object such as { cells: [new LSTMCell({ units: 8 }), new LSTMCell({ units: 8 })] }, got ${fmtValue(args)}`);
    }
    super(baseArgs('StackedRNNCells', args, false, ['cells']));
    if (!Array.isArray(args.cells) || args.cells.length === 0) {
      throw new RecurrentConfigError(`StackedRNNCells: cells must be a non-empty list of cells, got ${fmtValue(args.cells)}`);
    }
    this.cells = args.cells.map((c, i) => checkCell('StackedRNNCells', c, `cells[${i}]`));
    if (new Set(this.cells).size !== this.cells.length) {
      throw new RecurrentConfigError('StackedRNNCells: cells must be distinct cells (one cell twice would share its weights between two places of the stack)');
    }
  }

  /** The size of each state of each cell, in order: [H₁, H₁, H₂] for an LSTM cell then a GRU cell. */
  get stateSize(): number[] {
    return this.cells.flatMap(stateSizesOf);
  }

  /** The last cell's output size. */
  get outputSize(): number {
    return outputSizeOf(this.cells[this.cells.length - 1]);
  }

  /** The index of the last cell's first state among the stack's states (Keras's "previous output" at a masked step). */
  get lastCellFirstState(): number {
    return this.stateSize.length - stateSizesOf(this.cells[this.cells.length - 1]).length;
  }

  /** Builds each cell for what it reads: x_t, then the cell before's output. */
  override build(inputShape: Shape | Shape[]): void {
    let shape = firstShape(inputShape);
    const B = shape[0];
    for (const cell of this.cells) {
      buildCell(cell, shape, `${this.weightScope}${cellName(cell)}/`);
      shape = [B, outputSizeOf(cell)];
    }
    this.built = true;
  }

  override get trainableWeights(): tf.LayerVariable[] {
    return this.trainable ? this.cells.flatMap((c) => cellWeights(c).trainable) : [];
  }
  override set trainableWeights(_w: tf.LayerVariable[]) {
    throw new RecurrentConfigError('StackedRNNCells: trainableWeights is read-only');
  }
  override get nonTrainableWeights(): tf.LayerVariable[] {
    const all = this.cells.map(cellWeights);
    return this.trainable ? all.flatMap((w) => w.nonTrainable) : all.flatMap((w) => [...w.trainable, ...w.nonTrainable]);
  }
  override set nonTrainableWeights(_w: tf.LayerVariable[]) {
    throw new RecurrentConfigError('StackedRNNCells: nonTrainableWeights is read-only');
  }

  /** Each cell's initial states, in order. */
  getInitialState(batchSize: number): tf.Tensor2D[] {
    return this.cells.flatMap((c) => c.getInitialState?.(batchSize) ?? stateSizesOf(c).map((n) => tf.zeros([batchSize, n]) as tf.Tensor2D));
  }

  /**
   * One step of every cell: `call(x_t, states)` → `[y_t, newStates]`, the
   * states flattened cell after cell; tfjs's `apply([x_t, ...states])` gives the flat list.
   */
  override call(input: tf.Tensor, states: tf.Tensor[], kwargs?: CellCallArgs): [tf.Tensor2D, tf.Tensor2D[]];
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor[];
  override call(inputs: tf.Tensor | tf.Tensor[], statesOrKwargs?: tf.Tensor[] | Kwargs, kwargs?: CellCallArgs): [tf.Tensor2D, tf.Tensor2D[]] | tf.Tensor[] {
    if (Array.isArray(statesOrKwargs)) return this.step(inputs as tf.Tensor2D, statesOrKwargs as tf.Tensor2D[], kwargs ?? {});
    if (!Array.isArray(inputs) || inputs.length < 2) {
      throw new RecurrentInputError(`StackedRNNCells (layer '${this.name}'): call takes (x_t, states) or apply([x_t, ...states]); got no states`);
    }
    const [x, ...states] = inputs as tf.Tensor2D[];
    const [y, next] = this.step(x, states, { training: (statesOrKwargs as Kwargs | undefined)?.training === true });
    return [y, ...next];
  }

  private step(x: tf.Tensor2D, states: tf.Tensor2D[], kwargs: CellCallArgs): [tf.Tensor2D, tf.Tensor2D[]] {
    const who = `StackedRNNCells (layer '${this.name}')`;
    const sizes = this.stateSize;
    if (!(x instanceof tf.Tensor) || x.rank !== 2) {
      throw new RecurrentInputError(`${who}: expects an input step of rank 2 [batch, features], got ${x instanceof tf.Tensor ? `shape ${fmtShape(x.shape)}` : fmtValue(x)}`);
    }
    if (!Array.isArray(states) || states.length !== sizes.length) {
      throw new RecurrentInputError(`${who}: states must be ${sizes.length} tensors, each cell's in order (sizes ${sizes.join(', ')}), got ${Array.isArray(states) ? states.length : fmtValue(states)}`);
    }
    if (!this.built) this.build(x.shape);
    let y = x;
    let at = 0;
    const next: tf.Tensor2D[] = [];
    for (const cell of this.cells) {
      const n = stateSizesOf(cell).length;
      const [out, s] = stepCell(who, cell, y, states.slice(at, at + n), kwargs);
      y = out;
      next.push(...s);
      at += n;
    }
    return [y, next];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const B = firstShape(inputShape)[0];
    const y: Shape = [B, this.outputSize];
    return isShapeList(inputShape) ? [y, ...this.stateSize.map((n) => [B, n] as Shape)] : y;
  }

  /** Keras's config: `{ cells: [{ className, config }, ...] }`. */
  override getConfig(): tf.serialization.ConfigDict {
    const owner = `StackedRNNCells (layer '${this.name}')`;
    return { ...super.getConfig(), cells: this.cells.map((c) => serializeCell(owner, c)) as unknown as tf.serialization.ConfigDict[] };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const specs = config.cells;
    if (!Array.isArray(specs)) throw new RecurrentConfigError(`StackedRNNCells: the config's cells must be a list, got ${fmtValue(specs)}`);
    const cells = specs.map((s, i) => deserializeCell('StackedRNNCells', s, `cells[${i}]`));
    return new cls({ ...config, cells } as never);
  }
}
tf.serialization.registerClass(StackedRNNCells);
