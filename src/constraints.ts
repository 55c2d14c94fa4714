/**
 * Keras 3's weight constraints (keras/src/constraints/constraints.py): a
 * projection applied to a weight after each optimizer step, as Keras's
 * optimizer applies `variable.assign(constraint(variable))` after it applies
 * the gradients. With ‖w‖ the L2 norm along `axis` (kept for broadcasting)
 * and ε = 1e-7 (Keras's `epsilon()`):
 *
 *   MaxNorm(m, axis)             w · clip(‖w‖, 0, m) / (ε + ‖w‖)          defaults m = 2, axis 0
 *   NonNeg()                     max(w, 0)
 *   UnitNorm(axis)               w / (ε + ‖w‖)                            default axis 0
 *   MinMaxNorm(a, b, r, axis)    w · (r clip(‖w‖, a, b) + (1 − r) ‖w‖) / (ε + ‖w‖)
 *                                                                        defaults a = 0, b = 1, r = 1, axis 0
 *
 * For a kernel [D, units], axis 0 constrains the weights into each unit. A
 * layer's `kernelConstraint`, `recurrentConstraint`, `biasConstraint` and
 * `embeddingsConstraint` take one of these objects, Keras's name
 * (`'max_norm'` or `'maxNorm'`, ...: the class with its defaults), a
 * serialized `{ className: 'MaxNorm', config: { maxValue: 3 } }` (Keras's
 * `{ class_name, config: { max_value: 3 } }` too), or tfjs's own
 * (`tf.constraints.maxNorm(...)`). Where they are applied: src/training/penalties.ts.
 */
import { tf } from './tf';
import { RecurrentConfigError, fmtShape, fmtValue } from './errors';
import { SerializableLike, SerializedPenalty, checkArgs, resolvePenalty } from './regularizers';

/** Keras's `backend.epsilon()`. */
const EPSILON = 1e-7;

/**
 * A projection of a weight, as Keras's `Constraint`: `apply(w)` gives the
 * constrained value. Subclass it (with `getConfig`, a static `className` and
 * `tf.serialization.registerClass`) for one of your own that saves and loads.
 *
 * @example
 * ```ts
 * import { tf, Constraint, Dense } from 'tfjs-recurrent';
 * // w clipped to [-c, c]
 * class Clip extends Constraint {
 *   static className = 'Clip';
 *   constructor(readonly c = 1) { super(); }
 *   apply(w: tf.Tensor): tf.Tensor { return tf.clipByValue(w, -this.c, this.c); }
 *   getConfig() { return { c: this.c }; }
 * }
 * tf.serialization.registerClass(Clip);
 * const dense = new Dense({ units: 2, kernelConstraint: new Clip(0.5) });
 * ```
 */
export abstract class Constraint extends tf.serialization.Serializable {
  /** The constrained value of `w`. */
  abstract apply(w: tf.Tensor): tf.Tensor;

  /** Throws, naming `who`, unless the constraint applies to a weight of `shape` (its axes exist). */
  checkShape(who: string, shape: number[]): void {
    void who;
    void shape;
  }
}

/** The axis (or axes) along which a norm constraint measures each weight's norm, as Keras's `axis`. */
export type Axis = number | number[];

/** An integer axis or a non-empty list of distinct ones, as Keras's `axis`; `dflt` when not given. */
function axisArg(owner: string, v: unknown, dflt: Axis): Axis {
  if (v == null) return dflt;
  const ok = (a: unknown) => typeof a === 'number' && Number.isInteger(a);
  if (ok(v)) return v as number;
  if (Array.isArray(v) && v.length > 0 && v.every(ok) && new Set(v).size === v.length) return [...(v as number[])];
  throw new RecurrentConfigError(`${owner}: axis must be an integer or a list of distinct integers, got ${fmtValue(v)}`);
}

function numberArg(owner: string, arg: string, v: unknown, dflt: number, check: (n: number) => boolean, what: string): number {
  if (v == null) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) throw new RecurrentConfigError(`${owner}: ${arg} must be ${what}, got ${fmtValue(v)}`);
  return v;
}

/** The constraints along an axis: ‖w‖ along it, and a check that the weight has that axis. */
abstract class NormConstraint extends Constraint {
  readonly axis: Axis;

  constructor(owner: string, axis: unknown) {
    super();
    this.axis = axisArg(owner, axis, 0);
  }

  /** ‖w‖ along `axis`, the axes kept (size 1) for broadcasting. */
  protected norms(w: tf.Tensor): tf.Tensor {
    return tf.sqrt(tf.sum(tf.square(w), this.axis, true));
  }

  override checkShape(who: string, shape: number[]): void {
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    const bad = axes.find((a) => a >= shape.length || a < -shape.length);
    if (bad !== undefined) {
      throw new RecurrentConfigError(`${who}: ${this.getClassName()}'s axis ${fmtValue(this.axis)} does not exist in a weight of shape ${fmtShape(shape)} (rank ${shape.length})`);
    }
  }
}

/** Options of {@link MaxNorm}. */
export interface MaxNormArgs {
  /** m, the largest norm (default 2). */
  maxValue?: number;
  /** The axis (or axes) the norm is taken along (default 0: each unit's incoming weights in a kernel [D, units]). */
  axis?: Axis;
}

/**
 * Scales each weight vector along `axis` whose norm exceeds `maxValue` back
 * to it, as Keras 3's `MaxNorm`: w · clip(‖w‖, 0, m) / (ε + ‖w‖).
 *
 * @example
 * ```ts
 * import { tf, MaxNorm } from 'tfjs-recurrent';
 * new MaxNorm({ maxValue: 1 }).apply(tf.tensor2d([[3, 0.3], [4, 0.4]])).print(); // [[0.6, 0.3], [0.8, 0.4]] (to ε)
 * ```
 */
export class MaxNorm extends NormConstraint {
  static className = 'MaxNorm';
  readonly maxValue: number;

  constructor(args: MaxNormArgs = {}) {
    checkArgs('MaxNorm', args, ['maxValue', 'axis']);
    super('MaxNorm', args.axis);
    this.maxValue = numberArg('MaxNorm', 'maxValue', args.maxValue, 2, (n) => n >= 0, 'a non-negative number');
  }

  apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const norms = this.norms(w); //                                ‖w‖
      const desired = tf.clipByValue(norms, 0, this.maxValue); //    clip(‖w‖, 0, m)
      return tf.mul(w, tf.div(desired, tf.add(EPSILON, norms))); //  w · desired / (ε + ‖w‖)
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/**
 * Sets negative weights to 0, as Keras 3's `NonNeg`: max(w, 0).
 *
 * @example
 * ```ts
 * import { tf, NonNeg } from 'tfjs-recurrent';
 * new NonNeg().apply(tf.tensor1d([-1, 2])).print(); // [0, 2]
 * ```
 */
export class NonNeg extends Constraint {
  static className = 'NonNeg';

  constructor(args: Record<string, never> = {}) {
    super();
    checkArgs('NonNeg', args, []);
  }

  apply(w: tf.Tensor): tf.Tensor {
    return tf.maximum(w, 0); // max(w, 0)
  }

  getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}

/** Options of {@link UnitNorm}. */
export interface UnitNormArgs {
  /** The axis (or axes) the norm is taken along (default 0). */
  axis?: Axis;
}

/**
 * Scales each weight vector along `axis` to norm 1, as Keras 3's `UnitNorm`: w / (ε + ‖w‖).
 *
 * @example
 * ```ts
 * import { tf, UnitNorm } from 'tfjs-recurrent';
 * new UnitNorm().apply(tf.tensor2d([[3], [4]])).print(); // [[0.6], [0.8]] (to ε)
 * ```
 */
export class UnitNorm extends NormConstraint {
  static className = 'UnitNorm';

  constructor(args: UnitNormArgs = {}) {
    checkArgs('UnitNorm', args, ['axis']);
    super('UnitNorm', args.axis);
  }

  apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(w, tf.add(EPSILON, this.norms(w)))); // w / (ε + ‖w‖)
  }

  getConfig(): tf.serialization.ConfigDict {
    return { axis: this.axis };
  }
}

/** Options of {@link MinMaxNorm}. */
export interface MinMaxNormArgs {
  /** a, the smallest norm (default 0). */
  minValue?: number;
  /** b, the largest norm (default 1). */
  maxValue?: number;
  /** r: 1 enforces [a, b] at once, less moves the norm part of the way at each step (default 1). */
  rate?: number;
  /** The axis (or axes) the norm is taken along (default 0). */
  axis?: Axis;
}

/**
 * Moves the norm of each weight vector along `axis` into [minValue,
 * maxValue], by `rate` of the way, as Keras 3's `MinMaxNorm`:
 * w · (r clip(‖w‖, a, b) + (1 − r) ‖w‖) / (ε + ‖w‖).
 *
 * @example
 * ```ts
 * import { tf, MinMaxNorm } from 'tfjs-recurrent';
 * new MinMaxNorm({ minValue: 1, maxValue: 2 }).apply(tf.tensor2d([[0.3], [0.4]])).print(); // [[0.6], [0.8]] (to ε)
 * ```
 */
export class MinMaxNorm extends NormConstraint {
  static className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;

  constructor(args: MinMaxNormArgs = {}) {
    checkArgs('MinMaxNorm', args, ['minValue', 'maxValue', 'rate', 'axis']);
    super('MinMaxNorm', args.axis);
    this.minValue = numberArg('MinMaxNorm', 'minValue', args.minValue, 0, (n) => n >= 0, 'a non-negative number');
    this.maxValue = numberArg('MinMaxNorm', 'maxValue', args.maxValue, 1, (n) => n >= this.minValue, `a number >= minValue (${this.minValue})`);
    this.rate = numberArg('MinMaxNorm', 'rate', args.rate, 1, (n) => n >= 0 && n <= 1, 'a number in [0, 1]');
  }

  apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const norms = this.norms(w); //                                                         ‖w‖
      const clipped = tf.mul(this.rate, tf.clipByValue(norms, this.minValue, this.maxValue)); // r clip(‖w‖, a, b)
      const desired = tf.add(clipped, tf.mul(1 - this.rate, norms)); //                       + (1 − r) ‖w‖
      return tf.mul(w, tf.div(desired, tf.add(EPSILON, norms))); //                           w · desired / (ε + ‖w‖)
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/**
 * Keras's `constraints.max_norm(...)`: a {@link MaxNorm}.
 *
 * @example
 * ```ts
 * import { LSTM, constraints } from 'tfjs-recurrent';
 * const lstm = new LSTM({ units: 8, kernelConstraint: constraints.maxNorm({ maxValue: 3 }), recurrentConstraint: constraints.unitNorm() });
 * ```
 */
export function maxNorm(args?: MaxNormArgs): MaxNorm {
  return new MaxNorm(args);
}

/**
 * Keras's `constraints.non_neg()`: a {@link NonNeg}.
 *
 * @example
 * ```ts
 * import { Embedding, constraints } from 'tfjs-recurrent';
 * const emb = new Embedding({ inputDim: 100, outputDim: 4, embeddingsConstraint: constraints.nonNeg() });
 * ```
 */
export function nonNeg(): NonNeg {
  return new NonNeg();
}

/**
 * Keras's `constraints.unit_norm(...)`: a {@link UnitNorm}.
 *
 * @example
 * ```ts
 * import { Dense, constraints } from 'tfjs-recurrent';
 * const dense = new Dense({ units: 3, kernelConstraint: constraints.unitNorm({ axis: 0 }) });
 * ```
 */
export function unitNorm(args?: UnitNormArgs): UnitNorm {
  return new UnitNorm(args);
}

/**
 * Keras's `constraints.min_max_norm(...)`: a {@link MinMaxNorm}.
 *
 * @example
 * ```ts
 * import { GRU, constraints } from 'tfjs-recurrent';
 * const gru = new GRU({ units: 8, kernelConstraint: constraints.minMaxNorm({ minValue: 0.5, maxValue: 1, rate: 0.5 }) });
 * ```
 */
export function minMaxNorm(args?: MinMaxNormArgs): MinMaxNorm {
  return new MinMaxNorm(args);
}

/** A constraint: one of ours, Keras's name (`'max_norm'`, `'maxNorm'`), a serialized one, or tfjs's own. */
export type ConstraintSpec = Constraint | string | SerializedPenalty | SerializableLike;

type Made = new (args: Record<string, unknown>) => Constraint;
const CONSTRAINTS: Record<string, [string, Made]> = {
  maxnorm: ['MaxNorm', MaxNorm as unknown as Made],
  nonneg: ['NonNeg', NonNeg as unknown as Made],
  unitnorm: ['UnitNorm', UnitNorm as unknown as Made],
  minmaxnorm: ['MinMaxNorm', MinMaxNorm as unknown as Made],
};

/**
 * The constraint of a layer's `option` (null when none is given); an unknown
 * name or class, or a bad setting, is an error naming the layer and the option.
 */
export function resolveConstraint(owner: string, option: string, spec: unknown): Constraint | null {
  return resolvePenalty(owner, option, spec, {
    what: 'constraint', base: Constraint, classes: CONSTRAINTS,
    keys: { maxValue: 'maxValue', minValue: 'minValue', rate: 'rate', axis: 'axis' },
  });
}

/**
 * Keras's `keras.constraints`: the factories `maxNorm`, `nonNeg`, `unitNorm`, `minMaxNorm` and the classes.
 *
 * @example
 * ```ts
 * import { tf, Sequential, Embedding, GRU, Dense, constraints } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [
 *   new Embedding({ inputDim: 50, outputDim: 4, inputLength: 6, embeddingsConstraint: constraints.maxNorm({ maxValue: 1, axis: 1 }) }),
 *   new GRU({ units: 8, recurrentConstraint: 'unit_norm' }),
 *   new Dense({ units: 1, kernelConstraint: constraints.nonNeg() }),
 * ] });
 * model.compile({ optimizer: 'sgd', loss: 'mse' });
 * await model.fit(tf.ones([2, 6], 'int32'), tf.ones([2, 1]), { verbose: 0 }); // each constraint applied after the step
 * ```
 */
export const constraints = {
  /** `maxNorm`: caps each weight vector's norm. */
  maxNorm,
  /** `nonNeg`: no negative weight. */
  nonNeg,
  /** `unitNorm`: each weight vector of norm 1. */
  unitNorm,
  /** `minMaxNorm`: each weight vector's norm kept in [minValue, maxValue]. */
  minMaxNorm,
  MaxNorm,
  NonNeg,
  UnitNorm,
  MinMaxNorm,
  Constraint,
};
