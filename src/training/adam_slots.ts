/**
 * The state tfjs's AdamOptimizer keeps (private in its typings): each
 * variable's first and second moments m and v, by position, made as zeros on
 * the variable's first step and named `<variable>/m`, `<variable>/v`. Its
 * getWeights (iterations, every m, every v), setWeights and dispose use
 * them; optimizers built on it (AdamW, Nadam) keep their moments there too,
 * so they save and load as tfjs's Adam does.
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';

type NamedGradients = Parameters<tf.Optimizer['applyGradients']>[0];

interface AdamSlots {
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable }>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable }>;
}

/** Variable i's m and v, made (zeros, not trainable) on its first step. */
export function moments(opt: tf.AdamOptimizer, i: number, name: string, value: tf.Variable): { m: tf.Variable; v: tf.Variable } {
  const s = opt as unknown as AdamSlots;
  for (const [slots, suffix] of [[s.accumulatedFirstMoment, 'm'], [s.accumulatedSecondMoment, 'v']] as const) {
    if (slots[i] == null) slots[i] = { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  }
  return { m: s.accumulatedFirstMoment[i].variable, v: s.accumulatedSecondMoment[i].variable };
}

/** Each variable's name, value and gradient (null when it has none this step), in the order tfjs gives them. */
export function gradientsOf(variableGradients: NamedGradients): Array<{ name: string; value: tf.Variable; g: tf.Tensor | null }> {
  const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
  return names.map((name, i) => ({
    name,
    value: tf.engine().registeredVariables[name],
    g: (Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name]) ?? null,
  }));
}

/**
 * A hyper-parameter checked as Keras's error messages say it: a finite
 * number in [lo, hi) (or (lo, hi) with `openLo`), else a RecurrentConfigError naming it.
 */
export function hyper(who: string, arg: string, value: unknown, lo: number, hi: number, openLo = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (openLo ? value > lo : value >= lo) && value < hi;
  if (!ok) {
    const range = `${openLo ? '>' : '≥'} ${lo}${Number.isFinite(hi) ? ` and < ${hi}` : ''}`;
    throw new RecurrentConfigError(`${who}: ${arg} must be a number ${range}, got ${fmtValue(value)}`);
  }
  return value as number;
}
