/**
 * Keras 3's regularizers (keras/src/regularizers/regularizers.py): penalties
 * on a weight, or on a layer's output, added to the training loss.
 *
 *   L1(λ₁)        λ₁ Σ |x|                  default λ₁ = 0.01
 *   L2(λ₂)        λ₂ Σ x²                   default λ₂ = 0.01
 *   L1L2(λ₁, λ₂)  λ₁ Σ |x| + λ₂ Σ x²        defaults 0 and 0
 *
 * A layer's `kernelRegularizer`, `recurrentRegularizer`, `biasRegularizer`,
 * `embeddingsRegularizer` and `activityRegularizer` take one of these objects,
 * Keras's name (`'l1'`, `'l2'`, `'l1l2'`: the class with its defaults), a
 * serialized `{ className: 'L2', config: { l2: 0.01 } }` (Keras's
 * `{ class_name, config }` too), or a tfjs regularizer (`tf.regularizers.l2`),
 * read as the L1L2 it is. How the penalties enter the loss is in
 * src/training/penalties.ts.
 */
import { tf } from './tf';
import { RecurrentConfigError, fmtValue } from './errors';
import { distance } from './did_you_mean';

/**
 * A penalty on a tensor, as Keras's `Regularizer`: `apply(x)` gives a scalar.
 * Subclass it (with `getConfig`, a static `className` and
 * `tf.serialization.registerClass`) for a penalty of your own that saves and loads.
 *
 * @example
 * ```ts
 * import { tf, Regularizer, Dense } from 'tfjs-recurrent';
 * // λ Σ x⁴
 * class Quartic extends Regularizer {
 *   static className = 'Quartic';
 *   constructor(readonly lambda = 0.01) { super(); }
 *   apply(x: tf.Tensor): tf.Scalar { return tf.tidy(() => tf.mul(this.lambda, tf.sum(tf.pow(x, 4)))) as tf.Scalar; }
 *   getConfig() { return { lambda: this.lambda }; }
 *   static fromConfig(cls: new (l: number) => Quartic, config: { lambda: number }) { return new cls(config.lambda); }
 * }
 * tf.serialization.registerClass(Quartic);
 * const dense = new Dense({ units: 2, kernelRegularizer: new Quartic(0.1) });
 * ```
 */
export abstract class Regularizer extends tf.serialization.Serializable {
  /** The penalty of `x`, a scalar. */
  abstract apply(x: tf.Tensor): tf.Scalar;
}

/** A non-negative finite factor, as Keras's `validate_float_arg`; `dflt` when not given. */
function factor(owner: string, arg: string, v: unknown, dflt: number): number {
  if (v == null) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new RecurrentConfigError(`${owner}: ${arg} must be a non-negative number, got ${fmtValue(v)}`);
  }
  return v;
}

/** Options of {@link L1}. */
export interface L1Args {
  /** λ₁ (default 0.01). */
  l1?: number;
}
/** Options of {@link L2}. */
export interface L2Args {
  /** λ₂ (default 0.01). */
  l2?: number;
}
/** Options of {@link L1L2}. */
export interface L1L2Args {
  /** λ₁ (default 0). */
  l1?: number;
  /** λ₂ (default 0). */
  l2?: number;
}

/**
 * λ₁ Σ |x|, as Keras 3's `L1` (default λ₁ = 0.01).
 *
 * @example
 * ```ts
 * import { tf, L1 } from 'tfjs-recurrent';
 * new L1({ l1: 0.1 }).apply(tf.tensor1d([1, -2, 3])).print(); // 0.6
 * ```
 */
export class L1 extends Regularizer {
  static className = 'L1';
  readonly l1: number;

  constructor(args: L1Args = {}) {
    super();
    checkArgs('L1', args, ['l1']);
    this.l1 = factor('L1', 'l1', args.l1, 0.01);
  }

  apply(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.mul(this.l1, tf.sum(tf.abs(x)))) as tf.Scalar; // λ₁ Σ |x|
  }

  getConfig(): tf.serialization.ConfigDict {
    return { l1: this.l1 };
  }
}

/**
 * λ₂ Σ x², as Keras 3's `L2` (default λ₂ = 0.01).
 *
 * @example
 * ```ts
 * import { tf, L2 } from 'tfjs-recurrent';
 * new L2({ l2: 0.1 }).apply(tf.tensor1d([1, -2, 3])).print(); // 1.4
 * ```
 */
export class L2 extends Regularizer {
  static className = 'L2';
  readonly l2: number;

  constructor(args: L2Args = {}) {
    super();
    checkArgs('L2', args, ['l2']);
    this.l2 = factor('L2', 'l2', args.l2, 0.01);
  }

  apply(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.mul(this.l2, tf.sum(tf.square(x)))) as tf.Scalar; // λ₂ Σ x²
  }

  getConfig(): tf.serialization.ConfigDict {
    return { l2: this.l2 };
  }
}

/**
 * λ₁ Σ |x| + λ₂ Σ x², as Keras 3's `L1L2` (defaults 0 and 0; a term whose
 * factor is 0 is left out, as Keras leaves it).
 *
 * @example
 * ```ts
 * import { tf, L1L2 } from 'tfjs-recurrent';
 * new L1L2({ l1: 0.1, l2: 0.1 }).apply(tf.tensor1d([1, -2, 3])).print(); // 2
 * ```
 */
export class L1L2 extends Regularizer {
  static className = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(args: L1L2Args = {}) {
    super();
    checkArgs('L1L2', args, ['l1', 'l2']);
    this.l1 = factor('L1L2', 'l1', args.l1, 0);
    this.l2 = factor('L1L2', 'l2', args.l2, 0);
  }

  apply(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      let r: tf.Tensor = tf.scalar(0);
      if (this.l1 !== 0) r = tf.add(r, tf.mul(this.l1, tf.sum(tf.abs(x)))); //     + λ₁ Σ |x|
      if (this.l2 !== 0) r = tf.add(r, tf.mul(this.l2, tf.sum(tf.square(x)))); //  + λ₂ Σ x²
      return r;
    }) as tf.Scalar;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** The options object of a regularizer or constraint: an object (or nothing), with only the keys it knows. */
export function checkArgs(owner: string, args: unknown, known: readonly string[]): void {
  if (args === undefined) return;
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new RecurrentConfigError(`${owner}: expects an options object such as { ${known[0] ?? ''}${known.length ? ': …' : ''} }, got ${fmtValue(args)}`);
  }
  for (const k of Object.keys(args)) {
    if ((args as Record<string, unknown>)[k] !== undefined && !known.includes(k)) {
      throw new RecurrentConfigError(`${owner}: unknown option '${k}'; known options: ${known.join(', ') || 'none'}`);
    }
  }
}

/** A number (the factor) or the options object: `l2(0.01)` and `l2({ l2: 0.01 })` alike. */
function factorArgs<K extends string>(owner: string, key: K, v: number | Partial<Record<K, number>> | undefined): Partial<Record<K, number>> {
  if (v === undefined || (typeof v === 'object' && v !== null)) return (v ?? {}) as Partial<Record<K, number>>;
  if (typeof v === 'number') return { [key]: v } as Partial<Record<K, number>>;
  throw new RecurrentConfigError(`${owner}: expects a factor (a number) or { ${key} }, got ${fmtValue(v)}`);
}

/**
 * Keras's `regularizers.l1(0.01)`: an {@link L1}.
 *
 * @example
 * ```ts
 * import { LSTM, regularizers } from 'tfjs-recurrent';
 * const lstm = new LSTM({ units: 8, kernelRegularizer: regularizers.l1(0.001) });
 * ```
 */
export function l1(l1?: number | L1Args): L1 {
  return new L1(factorArgs('l1', 'l1', l1));
}

/**
 * Keras's `regularizers.l2(0.01)`: an {@link L2}.
 *
 * @example
 * ```ts
 * import { Dense, regularizers } from 'tfjs-recurrent';
 * const dense = new Dense({ units: 1, kernelRegularizer: regularizers.l2(0.01), activityRegularizer: regularizers.l2(1e-4) });
 * ```
 */
export function l2(l2?: number | L2Args): L2 {
  return new L2(factorArgs('l2', 'l2', l2));
}

/**
 * Keras's `regularizers.l1_l2(l1, l2)`: an {@link L1L2} (defaults 0 and 0, as Keras 3's).
 *
 * @example
 * ```ts
 * import { GRU, regularizers } from 'tfjs-recurrent';
 * const gru = new GRU({ units: 8, recurrentRegularizer: regularizers.l1l2(0.001, 0.01) });
 * const same = regularizers.l1l2({ l1: 0.001, l2: 0.01 });
 * ```
 */
export function l1l2(l1?: number | L1L2Args, l2?: number): L1L2 {
  if (typeof l1 === 'object' && l1 !== null) {
    if (l2 !== undefined) throw new RecurrentConfigError(`l1l2: takes (l1, l2) or ({ l1, l2 }), got an object and ${fmtValue(l2)}`);
    return new L1L2(l1);
  }
  if (l1 !== undefined && typeof l1 !== 'number') throw new RecurrentConfigError(`l1l2: l1 must be a number, got ${fmtValue(l1)}`);
  return new L1L2({ l1, l2 });
}

/** A regularizer: one of ours, Keras's name (`'l2'`), a serialized one, or a tfjs regularizer. */
export type RegularizerSpec = Regularizer | 'l1' | 'l2' | 'l1l2' | 'L1' | 'L2' | 'L1L2' | string | SerializedPenalty | SerializableLike;

/** An object that serializes as tfjs's regularizers and constraints do (tfjs's own, or a registered class of yours). */
export interface SerializableLike {
  /** Its registered class name. */
  getClassName(): string;
  /** Its config. */
  getConfig(): object;
}

/** A regularizer or constraint as a config holds it: ours `{ className, config }`, Keras's `{ class_name, config }`. */
export interface SerializedPenalty {
  className?: string;
  class_name?: string;
  config?: Record<string, unknown>;
}

type Made<T> = new (args: Record<string, unknown>) => T;

/**
 * The penalty (regularizer or constraint) a spec names, from a table of
 * classes by lower-cased name without underscores (`'l1l2'`, `'maxnorm'`).
 * A name gives the class with its defaults (Keras's `get`); a config gives
 * it with those options, whose keys may be camelCase or snake_case; an object
 * of a registered class of the kind (a user's subclass, tfjs's own by its
 * class name and config) is taken as it is or rebuilt as ours.
 */
export function resolvePenalty<T extends object>(
  owner: string, option: string, spec: unknown, kind: { what: string; base: abstract new (...a: never[]) => T; classes: Record<string, [string, Made<T>]>; keys: Record<string, string> },
): T | null {
  if (spec == null) return null;
  if (spec instanceof kind.base) return spec;
  const names = Object.values(kind.classes).map(([n]) => n);
  const expected = `a ${kind.what} (${names.join(', ')}), its name (${Object.keys(kind.classes).map((k) => `'${toKerasName(names, k, kind.classes)}'`).join(', ')}) or its config { className, config }`;
  const fail = (why = ''): never => {
    throw new RecurrentConfigError(`${owner}: ${option} must be ${expected}${why}, got ${fmtValue(spec)}`);
  };
  let className: unknown;
  let config: Record<string, unknown> | undefined;
  if (typeof spec === 'string') {
    className = spec;
  } else if (typeof spec === 'object' && typeof (spec as { getClassName?: unknown }).getClassName === 'function' && typeof (spec as { getConfig?: unknown }).getConfig === 'function') {
    // tfjs's own (tf.regularizers.l2(...), tf.constraints.maxNorm(...)): rebuilt as ours from its class and config.
    className = (spec as { getClassName(): string }).getClassName();
    config = { ...(spec as { getConfig(): Record<string, unknown> }).getConfig() };
  } else if (typeof spec === 'object' && !Array.isArray(spec)) {
    const s = spec as SerializedPenalty;
    className = s.className ?? s.class_name;
    config = s.config == null ? {} : s.config;
    if (typeof config !== 'object' || Array.isArray(config)) fail(`: its config must be an object, got ${fmtValue(config)}`);
  }
  if (typeof className !== 'string') return fail();
  const key = className.replace(/_/g, '').toLowerCase();
  const entry = Object.prototype.hasOwnProperty.call(kind.classes, key) ? kind.classes[key] : undefined;
  if (entry === undefined) {
    // A class of the kind registered with tfjs (a user's subclass), built from its config.
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    const registered = config !== undefined && Object.prototype.hasOwnProperty.call(map, className) ? map[className] : undefined;
    if (registered) {
      const made = registered[1](registered[0], config as tf.serialization.ConfigDict);
      if (made instanceof kind.base) return made;
    }
    const near = names.filter((n) => distance(n.toLowerCase(), className.toLowerCase()) <= 2);
    return fail(`; unknown class '${className}'${near.length ? ` (did you mean '${near[0]}'?)` : ''}`);
  }
  const [name, Ctor] = entry;
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config ?? {})) {
    const ours = kind.keys[k] ?? kind.keys[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
    if (ours === undefined) fail(`; ${name} has no option '${k}'`);
    if (v !== null) args[ours] = v;
  }
  try {
    return new Ctor(args);
  } catch (e) {
    if (e instanceof RecurrentConfigError) throw new RecurrentConfigError(`${owner}: ${option}: ${e.message}`);
    throw e;
  }
}

/** Keras's snake_case name of a class (`'max_norm'`, `'l1l2'`) for messages. */
function toKerasName(names: string[], key: string, classes: Record<string, [string, unknown]>): string {
  void names;
  return classes[key][0].replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

const REGULARIZERS: Record<string, [string, Made<Regularizer>]> = {
  l1: ['L1', L1 as unknown as Made<Regularizer>],
  l2: ['L2', L2 as unknown as Made<Regularizer>],
  l1l2: ['L1L2', L1L2 as unknown as Made<Regularizer>],
};

/**
 * The regularizer of a layer's `option` (null when none is given); an
 * unknown name or class is an error naming the layer and the option.
 */
export function resolveRegularizer(owner: string, option: string, spec: unknown): Regularizer | null {
  return resolvePenalty(owner, option, spec, { what: 'regularizer', base: Regularizer, classes: REGULARIZERS, keys: { l1: 'l1', l2: 'l2' } });
}

/** `{ className, config }` of a regularizer or constraint, as our configs hold it. */
export function serializePenalty(p: tf.serialization.Serializable | null): tf.serialization.ConfigDict | null {
  return p == null ? null : { className: p.getClassName(), config: { ...p.getConfig() } };
}

/**
 * Keras's `keras.regularizers`: the factories `l1`, `l2`, `l1l2` and the classes.
 *
 * @example
 * ```ts
 * import { tf, Sequential, LSTM, Dense, regularizers } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [
 *   new LSTM({ units: 8, inputShape: [5, 3], kernelRegularizer: regularizers.l2(0.01), recurrentRegularizer: 'l1' }),
 *   new Dense({ units: 1, activation: 'sigmoid', biasRegularizer: { className: 'L1L2', config: { l1: 0.01, l2: 0.01 } } }),
 * ] });
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
 * const loss = model.evaluate(tf.ones([2, 5, 3]), tf.ones([2, 1])) as tf.Scalar; // the penalties included, as Keras's
 * ```
 */
export const regularizers = {
  /** `l1`: an L1 penalty. */
  l1,
  /** `l2`: an L2 penalty. */
  l2,
  /** `l1l2`: L1 and L2 together. */
  l1l2,
  L1,
  L2,
  L1L2,
  Regularizer,
};
