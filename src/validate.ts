/** Argument checks shared by the layers' constructors. Each throws RecurrentConfigError. */
import { RecurrentConfigError, fmtValue } from './errors';

export function positiveInt(owner: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new RecurrentConfigError(`${owner}: ${arg} must be a positive integer, got ${fmtValue(v)}`);
  }
  return v;
}

export function optionalPositiveInt(owner: string, arg: string, v: unknown): number | undefined {
  return v == null ? undefined : positiveInt(owner, arg, v);
}

/** A dropout-style rate in [0, 1). */
export function rate(owner: string, arg: string, v: unknown): number {
  if (v == null) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v >= 1) {
    throw new RecurrentConfigError(`${owner}: ${arg} must be a number in [0, 1), got ${fmtValue(v)}`);
  }
  return v;
}

export function bool(owner: string, arg: string, v: unknown, dflt: boolean): boolean {
  if (v == null) return dflt;
  if (typeof v !== 'boolean') {
    throw new RecurrentConfigError(`${owner}: ${arg} must be a boolean, got ${fmtValue(v)}`);
  }
  return v;
}

export function oneOf<T extends string>(owner: string, arg: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new RecurrentConfigError(
      `${owner}: ${arg} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${fmtValue(v)}`,
    );
  }
  return v as T;
}

/**
 * A layer name: what both Keras 3 and tfjs accept. Keras 3 refuses '/' (it
 * separates a weight's path, `layer/kernel`, so 'b/forward_lstm' could collide
 * with a weight of layer 'b'); tfjs refuses names not matching
 * `[A-Za-z0-9][-A-Za-z0-9._/]*` ("Not a valid tensor name") at the first call.
 */
export function layerName(owner: string, v: unknown): string {
  if (typeof v !== 'string' || !/^[A-Za-z0-9][-A-Za-z0-9._]*$/.test(v)) {
    throw new RecurrentConfigError(
      `${owner}: name must be a non-empty string of letters, digits, '_', '.' and '-' starting with a letter or digit ` +
        `(no '/', which separates weight names), got ${fmtValue(v)}`,
    );
  }
  return v;
}
