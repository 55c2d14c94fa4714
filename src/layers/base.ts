/**
 * What every layer of the package shares: Keras auto-naming, the serialized
 * class name, and a `setWeights` that checks count and shapes first and
 * changes nothing on error.
 */
import { tf } from '../tf';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../errors';
import { uniqueName, toSnakeCase } from '../naming';
import { distance } from '../did_you_mean';
import { layerName } from '../validate';
import { nestedShape } from '../nested_array';
import type { ResolvedInitializer } from '../initializers';
import { tfjsModelLosses } from './penalties';

export type { LayerArgs };
/** Keyword arguments of a layer call (mask, training, initialState). */
export type Kwargs = { [key: string]: unknown };
/** A shape with unknown dimensions as null: [null, 10, 32]. */
export type Shape = Array<number | null>;

/** Prefix of the class names under which the layers are registered for serialization. */
export const NS = 'tfjs-recurrent>';

/**
 * The base of every layer of the package: a tfjs Layer that can also be
 * disposed after being called only eagerly (tfjs refuses a layer whose
 * reference count was never set by a symbolic call).
 */
export abstract class Layer extends tf.layers.Layer {
  /** The Keras class name, for messages and naming: `LSTM` for `tfjs-recurrent>LSTM`. */
  protected get kerasName(): string {
    return kerasClassName(this);
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    if (this._refCount === null) this._refCount = 1;
    return super.dispose();
  }

  /**
   * What tfjs's own LayersModel (tf.sequential, tf.model) adds to the loss for
   * this layer: its weights' regularizer penalties (our Sequential and
   * Functional add them themselves, as Keras does: src/training/penalties.ts).
   */
  override calculateLosses(): tf.Scalar[] {
    return tfjsModelLosses(this, () => super.calculateLosses());
  }

  /**
   * tfjs's apply, after checking what it is given: a Tensor, a SymbolicTensor
   * or a non-empty list of one kind, none disposed or of strings; options an
   * object. A nested array of numbers is taken as Keras takes a list.
   */
  override apply(
    inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] | number[][] | number[][][],
    kwargs?: Kwargs,
  ): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    if (isPlainArray(inputs)) return withArrayInput(this, inputs, (x) => this.apply(x, kwargs));
    const who = `${this.kerasName} (layer '${this.name}')`;
    const list: unknown[] = Array.isArray(inputs) ? inputs : [inputs];
    const kind = list.every((t) => t instanceof tf.Tensor) ? 'eager' : list.every((t) => t instanceof tf.SymbolicTensor) ? 'symbolic' : null;
    if (list.length === 0 || kind == null) {
      throw new RecurrentInputError(`${who}: expects a Tensor, a SymbolicTensor or a list of one kind, got ${fmtInput(inputs)}`);
    }
    for (const t of list) {
      if (t instanceof tf.Tensor && t.isDisposed) throw new RecurrentInputError(`${who}: an input is a disposed tensor`);
      if ((t as tf.Tensor).dtype === 'string') throw new RecurrentInputError(`${this.kerasName} expects a numeric input, got dtype string (layer '${this.name}')`);
    }
    if (kwargs != null && (typeof kwargs !== 'object' || Array.isArray(kwargs) || kwargs instanceof tf.Tensor)) {
      throw new RecurrentInputError(`${who}: the options of apply must be an object such as { training: true }, got ${fmtInput(kwargs)}`);
    }
    const mask = kwargs?.mask;
    if (mask != null && !(mask instanceof tf.Tensor || mask instanceof tf.SymbolicTensor || Array.isArray(mask))) {
      throw new RecurrentInputError(`${who}: mask must be a Tensor, got ${fmtInput(mask)}`);
    }
    return super.apply(inputs as tf.Tensor | tf.Tensor[], kwargs);
  }
}

/** The Keras class name of a layer: `'LSTM'` for ours (`tfjs-recurrent>LSTM`), tfjs's own as they are. */
export function kerasClassName(layer: tf.layers.Layer): string {
  return stripNS(layer.getClassName());
}

/** The Keras class name of a layer class, from its static className; usable before `super()` as `kerasNameOf(new.target)`. */
export function kerasNameOf(ctor: Function): string {
  return stripNS((ctor as unknown as { className: string }).className);
}

function stripNS(className: string): string {
  return className.startsWith(NS) ? className.slice(NS.length) : className;
}

/** Base-layer options with a Keras name filled in, and the legacy `inputDim`/`inputLength` folded into `inputShape`. */
/** Options every layer accepts (tfjs's LayerArgs). */
const BASE_KEYS = ['name', 'trainable', 'dtype', 'inputDType', 'batchSize', 'batchInputShape', 'inputShape', 'weights', 'customObjects'];

/** Throws on an option the layer does not know, as Keras does for unknown keyword arguments. */
export function checkKeys(owner: string, args: object, known: readonly string[]): void {
  const all = [...BASE_KEYS, ...known];
  for (const k of Object.keys(args)) {
    if ((args as Record<string, unknown>)[k] === undefined || all.includes(k)) continue;
    const near = all.filter((a) => distance(a.toLowerCase(), k.toLowerCase()) <= 2);
    throw new RecurrentConfigError(
      `${owner}: unknown option '${k}'${near.length ? ` (did you mean '${near[0]}'?)` : ''}; known options: ${all.join(', ')}`,
    );
  }
}

export function baseArgs(
  kerasName: string,
  args: LayerArgs & { inputDim?: number; inputLength?: number },
  foldInputDim = false,
  known: readonly string[] = [],
): LayerArgs {
  checkKeys(kerasName, args, known);
  const { inputDim, inputLength, ...rest } = args as LayerArgs & { inputDim?: number; inputLength?: number; [k: string]: unknown };
  const out: LayerArgs = {
    name: args.name ?? uniqueName(toSnakeCase(kerasName)),
    trainable: args.trainable,
    dtype: args.dtype,
    inputDType: args.inputDType,
    batchSize: args.batchSize,
    batchInputShape: args.batchInputShape,
    inputShape: args.inputShape,
  };
  if (foldInputDim && out.inputShape == null && out.batchInputShape == null && inputDim != null) {
    out.inputShape = [inputLength ?? null, inputDim];
  }
  void rest;
  if (out.name !== undefined) layerName(kerasName, out.name);
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as LayerArgs;
}

/**
 * Checks a `setWeights` list against the layer's weights: count, then each
 * shape, by label (`kernel`, `recurrentKernel`, ...), before anything is written.
 */
export function checkWeights(owner: string, labels: string[], expected: number[][], weights: tf.Tensor[]): void {
  if (!Array.isArray(weights) || weights.length !== expected.length) {
    throw new RecurrentInputError(
      `${owner}: setWeights expects ${expected.length} arrays [${labels.join(', ')}], got ${
        Array.isArray(weights) ? weights.length : fmtValue(weights)
      }`,
    );
  }
  weights.forEach((w, i) => {
    if (!(w instanceof tf.Tensor)) {
      throw new RecurrentInputError(`${owner}: setWeights: ${labels[i]} must be a Tensor, got ${fmtValue(w)}`);
    }
    if (w.isDisposed) throw new RecurrentInputError(`${owner}: setWeights: ${labels[i]} is a disposed tensor; nothing was changed`);
    if (w.dtype !== 'float32' && w.dtype !== 'int32') {
      throw new RecurrentInputError(`${owner}: setWeights: ${labels[i]} must be numeric (float32 or int32), got dtype ${w.dtype}; nothing was changed`);
    }
    const shape = w.shape;
    if (shape.length !== expected[i].length || shape.some((d, j) => d !== expected[i][j])) {
      throw new RecurrentInputError(
        `${owner}: setWeights: ${labels[i]} must have shape ${fmtShape(expected[i])}, got ${fmtShape(shape)}`,
      );
    }
  });
}

/**
 * The config a layer of `units` with an activation φ, an optional bias and initialized weights
 * (Dense, SimpleRNN, LSTM, GRU) writes as Keras does: units, activation, useBias, then each
 * initializer serialized under its key, in the order given.
 */
export function unitsConfig(
  layer: { units: number; activationName: string; useBias: boolean },
  initializers: Record<string, ResolvedInitializer>,
): tf.serialization.ConfigDict {
  const cfg: tf.serialization.ConfigDict = { units: layer.units, activation: layer.activationName, useBias: layer.useBias };
  for (const [key, init] of Object.entries(initializers)) cfg[key] = init.serialize() as unknown as tf.serialization.ConfigDict;
  return cfg;
}

/** The first tensor of a tfjs `inputs` argument (a tensor or a list of them). */
export function first<T>(x: T | T[]): T {
  return Array.isArray(x) ? x[0] : x;
}

/** A shape argument to build/computeOutputShape: a shape, or a list of them. */
export function firstShape(s: Shape | Shape[]): Shape {
  return isShapeList(s) ? s[0] : (s as Shape);
}

export function isShapeList(s: Shape | Shape[]): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** A received value for a message: a tensor by dtype and shape, anything else as fmtValue does (never a tensor's internals). */
function fmtInput(v: unknown): string {
  if (v instanceof tf.Tensor) return `Tensor(${v.dtype} ${fmtShape(v.shape)}${v.isDisposed ? ', disposed' : ''})`;
  if (v instanceof tf.SymbolicTensor) return `SymbolicTensor ${fmtShape(v.shape)}`;
  if (Array.isArray(v)) return `[${v.map(fmtInput).join(', ')}]`;
  if (typeof v === 'function' || typeof v === 'symbol') return typeof v;
  return fmtValue(v);
}

/** A nested JavaScript array (not a list of tensors): what Keras would take as a list. */
export function isPlainArray(x: unknown): x is unknown[] {
  return Array.isArray(x) && x.length > 0 && !x.some((v) => v instanceof tf.Tensor || v instanceof tf.SymbolicTensor);
}

/** A nested array of numbers as a tensor of `dtype`; ragged or non-numeric arrays are an error naming `who`. */
export function arrayTensor(who: string, a: unknown[], dtype: 'float32' | 'int32'): tf.Tensor {
  const leaves = a.flat(Infinity as 1);
  const at = leaves.findIndex((v) => typeof v !== 'number');
  if (at >= 0) throw new RecurrentInputError(`${who}: expects a Tensor or a nested array of numbers, got an array holding ${fmtInput(leaves[at])}`);
  const { shape, irregular } = nestedShape(a);
  if (irregular) throw new RecurrentInputError(`${who}: expects a Tensor or a nested array of numbers, got a ragged array`);
  return tf.tensor(leaves as number[], shape, dtype);
}

/** Calls `f` with `a` as a tensor (int32 for an Embedding's ids, else float32), disposed after the call. */
export function withArrayInput<T>(layer: tf.layers.Layer, a: unknown[], f: (x: tf.Tensor) => T): T {
  const x = arrayTensor(`${kerasClassName(layer)} (layer '${layer.name}')`, a, kerasClassName(layer).startsWith('Embedding') ? 'int32' : 'float32');
  try {
    return f(x);
  } finally {
    x.dispose();
  }
}
