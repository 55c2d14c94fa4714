/**
 * What `RNN` takes as a cell: Keras's contract for one time step (keras/src/
 * layers/rnn/rnn.py), written as a TypeScript interface, and the few things
 * RNN and StackedRNNCells do with any cell (check it, name it, build it,
 * gather its weights). Our SimpleRNNCell, LSTMCell and GRUCell fulfil it; so
 * may a user's object or class.
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { toSnakeCase, uniqueName } from '../naming';
import type { Shape } from './base';

/** Keyword arguments of a cell's step. */
export interface CellCallArgs {
  /** Whether the step runs in training (dropout applies). */
  training?: boolean;
}

/**
 * A recurrent cell: one time step, as Keras's cells. `RNN` calls `build` once
 * with a step's shape [batch, features], then `call` at every step, in tf ops
 * (tfjs differentiates them: a user's cell trains by autodiff).
 *
 * @example
 * ```ts
 * import { tf, RNN, RecurrentCell } from 'tfjs-recurrent';
 * // h_t = tanh(x_t W + h_{t-1}), a cell with one weight, W [D, 3]
 * class Minimal implements RecurrentCell {
 *   readonly stateSize = 3;
 *   weightScope = '';
 *   trainableWeights: tf.LayerVariable[] = [];
 *   build([, D]: Array<number | null>) {
 *     this.trainableWeights = [new tf.LayerVariable(tf.randomNormal([D!, 3], 0, 0.1, 'float32', 1), 'float32', this.weightScope + 'kernel')];
 *   }
 *   call(x: tf.Tensor2D, [h]: tf.Tensor2D[]): [tf.Tensor2D, tf.Tensor2D[]] {
 *     const hNew = tf.tanh(tf.add(tf.matMul(x, this.trainableWeights[0].read()), h)) as tf.Tensor2D;
 *     return [hNew, [hNew]];
 *   }
 * }
 * const y = new RNN({ cell: new Minimal() }).apply(tf.ones([2, 5, 4])) as tf.Tensor; // [2, 3]
 * ```
 */
export interface RecurrentCell {
  /** The size of each state: a number (one state) or a list (one per state), as Keras's `state_size`. */
  readonly stateSize: number | readonly number[];
  /** The size of the output y_t; by default the first state's size. */
  readonly outputSize?: number;
  /** Makes the cell's weights for steps of shape [batch, features]; called once, before the first step. */
  build?(inputShape: Shape): void;
  /** Whether `build` has run; `RNN` sets it once it has called `build`. */
  built?: boolean;
  /**
   * One step: x_t [batch, features] and the states at t−1 (one tensor [batch,
   * size] per state) → `[y_t, the states at t]`. In tf ops; tfjs differentiates them.
   */
  call(input: tf.Tensor2D, states: tf.Tensor2D[], kwargs?: CellCallArgs): [tf.Tensor2D, tf.Tensor2D[]];
  /** The states a sequence starts from when none is given (default: zeros). */
  getInitialState?(batchSize: number): tf.Tensor2D[];
  /** The weights `RNN` trains and saves with the layer (tf.LayerVariable, made in `build`); a tf.layers.Layer has them already. */
  readonly trainableWeights?: tf.LayerVariable[];
  /** Weights saved with the layer but not trained. */
  readonly nonTrainableWeights?: tf.LayerVariable[];
  /** The cell's name, which its weights' names start with inside an RNN (default: its class name in snake_case). */
  readonly name?: string;
  /**
   * Set by `RNN` before `build`: the prefix the names of the weights `build`
   * makes should start with (`peephole_cell/`), so that saved weights are
   * named as Keras names them (`rnn/peephole_cell/kernel`).
   */
  weightScope?: string;
}

/** Names given to cells that have none (a plain object), once each. */
const given = new WeakMap<object, string>();

/** A cell's name: its own, or its class name in snake_case made unique once (`peephole_cell`, `peephole_cell_1`). */
export function cellName(cell: RecurrentCell): string {
  if (typeof cell.name === 'string' && cell.name.length > 0) return cell.name;
  let name = given.get(cell);
  if (name == null) {
    const ctor = (cell as { constructor?: { name?: string } }).constructor?.name;
    name = uniqueName(toSnakeCase(ctor && ctor !== 'Object' ? ctor : 'cell'));
    given.set(cell, name);
  }
  return name;
}

/** The class name a message gives a cell: `LSTMCell`, `PeepholeCell`, or 'object'. */
export function cellClass(cell: unknown): string {
  if (cell instanceof tf.layers.Layer) return cell.getClassName().replace(/^.*>/, '');
  const ctor = (cell as { constructor?: { name?: string } } | null)?.constructor?.name;
  return ctor && ctor !== 'Object' ? ctor : 'object';
}

const positive = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;

/**
 * Checks that `cell` is a cell (Keras's own checks, as our messages say them):
 * a `call` method, a `stateSize` (a positive integer or a non-empty list of
 * them), an `outputSize` if any a positive integer. tfjs's own cells
 * (tf.layers.lstmCell, ...) follow another call convention and are refused.
 */
export function checkCell(owner: string, cell: unknown, what = 'cell'): RecurrentCell {
  if (cell == null || typeof cell !== 'object') {
    throw new RecurrentConfigError(`${owner}: ${what} must be a cell (such as new LSTMCell({ units: 32 })) or a list of cells, got ${fmtValue(cell)}`);
  }
  if (cell instanceof tf.layers.RNNCell) {
    throw new RecurrentConfigError(
      `${owner}: ${what} is tfjs's ${cellClass(cell)}, which takes call([x, ...states]); use this package's cell (LSTMCell, GRUCell, SimpleRNNCell), or tf.layers.rnn for tfjs's`,
    );
  }
  const c = cell as Partial<RecurrentCell>;
  if (typeof c.call !== 'function') {
    throw new RecurrentConfigError(`${owner}: ${what} must have a call(input, states) method returning [output, newStates], got ${cellClass(cell)} without one`);
  }
  const s = c.stateSize;
  if (!(positive(s) || (Array.isArray(s) && s.length > 0 && s.every(positive)))) {
    throw new RecurrentConfigError(
      `${owner}: ${what} must have a stateSize: a positive integer (one state) or a list of them (one per state), got ${fmtValue(s)} (${cellClass(cell)})`,
    );
  }
  if (c.outputSize != null && !positive(c.outputSize)) {
    throw new RecurrentConfigError(`${owner}: ${what}'s outputSize must be a positive integer, got ${fmtValue(c.outputSize)} (${cellClass(cell)})`);
  }
  return cell as RecurrentCell;
}

/** The size of each of a cell's states, as a list. */
export function stateSizesOf(cell: RecurrentCell): number[] {
  return typeof cell.stateSize === 'number' ? [cell.stateSize] : [...cell.stateSize];
}

/** The size of a cell's output: its outputSize, else its first state's size (Keras's rule). */
export function outputSizeOf(cell: RecurrentCell): number {
  return cell.outputSize ?? stateSizesOf(cell)[0];
}

/** A cell's weights: a tf.layers.Layer's own, else those it lists. */
export function cellWeights(cell: RecurrentCell): { trainable: tf.LayerVariable[]; nonTrainable: tf.LayerVariable[] } {
  return { trainable: [...(cell.trainableWeights ?? [])], nonTrainable: [...(cell.nonTrainableWeights ?? [])] };
}

/**
 * Builds `cell` for steps of `shape` ([batch, features]) unless it is built,
 * its weights' names starting with `scope` (which ends in '/', or is empty).
 */
export function buildCell(cell: RecurrentCell, shape: Shape, scope: string): void {
  if (cell.built === true) return;
  if ('weightScope' in cell || cell instanceof tf.layers.Layer) cell.weightScope = scope;
  cell.build?.(shape);
  cell.built = true;
}

/** `{ className, config }` of a cell, to save it; a cell whose class tfjs cannot rebuild is an error naming it. */
export function serializeCell(owner: string, cell: RecurrentCell): tf.serialization.ConfigDict {
  const s = cell as Partial<tf.serialization.Serializable>;
  const className = typeof s.getClassName === 'function' ? s.getClassName() : undefined;
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  if (typeof className !== 'string' || typeof s.getConfig !== 'function' || !Object.prototype.hasOwnProperty.call(map, className)) {
    throw new RecurrentConfigError(
      `${owner}: cannot write the config of its cell '${cellName(cell)}' (${cellClass(cell)}): a cell is saved when its class has a static className, ` +
        'getClassName() and getConfig(), and is registered with tf.serialization.registerClass',
    );
  }
  // A cell without a name of its own keeps the one it was given, so that its weights are named the same after a load.
  const config = s.getConfig!();
  return { className, config: 'name' in config ? config : { ...config, name: cellName(cell) } };
}

/** Rebuilds a cell from `{ className, config }` (a class registered with tf.serialization). */
export function deserializeCell(owner: string, spec: unknown, what = 'cell'): RecurrentCell {
  const s = spec as { className?: unknown; config?: unknown } | null;
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  const entry = typeof s?.className === 'string' && Object.prototype.hasOwnProperty.call(map, s.className) ? map[s.className] : undefined;
  if (!entry) {
    throw new RecurrentConfigError(`${owner}: cannot rebuild its ${what}: unknown class ${fmtValue(s?.className)} (register a user's cell class with tf.serialization.registerClass)`);
  }
  const [cls, fromConfig] = entry;
  const config = (s!.config ?? {}) as tf.serialization.ConfigDict;
  const cell = checkCell(owner, fromConfig(cls, config), what);
  if (typeof config.name === 'string' && cell.name == null && !given.has(cell)) given.set(cell, config.name);
  return cell;
}

/**
 * One step of any cell, its result checked: `[y_t, states]` with y_t
 * [B, outputSize] and one state [B, size] per state size. A cell that returns
 * something else is an error naming the layer and the cell.
 */
export function stepCell(owner: string, cell: RecurrentCell, x: tf.Tensor2D, states: tf.Tensor2D[], kwargs: CellCallArgs): [tf.Tensor2D, tf.Tensor2D[]] {
  const result = cell.call(x, states, kwargs) as unknown;
  const B = x.shape[0];
  const sizes = stateSizesOf(cell);
  const out = outputSizeOf(cell);
  const fits = (t: unknown, n: number) => t instanceof tf.Tensor && t.rank === 2 && t.shape[0] === B && t.shape[1] === n;
  const ok = Array.isArray(result) && result.length === 2 && fits(result[0], out) && Array.isArray(result[1]) &&
    result[1].length === sizes.length && (result[1] as unknown[]).every((s, i) => fits(s, sizes[i]));
  if (!ok) {
    const got = (v: unknown): string =>
      v instanceof tf.Tensor ? `[${v.shape.join(', ')}]` : Array.isArray(v) ? `[${v.map(got).join(', ')}]` : fmtValue(v);
    throw new RecurrentConfigError(
      `${owner}: cell '${cellName(cell)}' (${cellClass(cell)}) must return [output [${B}, ${out}], [${sizes.map((n) => `[${B}, ${n}]`).join(', ')}]] ` +
        `from call(input, states), got ${got(result)}`,
    );
  }
  return result as [tf.Tensor2D, tf.Tensor2D[]];
}
