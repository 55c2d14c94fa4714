/**
 * The checks of the callbacks' options, at construction: each error names
 * the callback, the option, what was expected and what was received, and a
 * Keras spelling left in (`restore_best_weights`) is pointed to its
 * camelCase name.
 */
import { standardOutput } from '../terminal';
import { RecurrentConfigError, fmtValue } from '../errors';
import { distance } from '../did_you_mean';

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** `args` as a record, after refusing anything but an object and any key not in `known`. */
export function checkOptions(who: string, args: unknown, known: readonly string[], example: string): Record<string, unknown> {
  if (args == null) return {};
  if (typeof args !== 'object' || Array.isArray(args)) {
    throw new RecurrentConfigError(`${who}: expects an options object such as ${example}, got ${fmtValue(args)}`);
  }
  for (const k of Object.keys(args)) {
    if (known.includes(k)) continue;
    const near = known.includes(camel(k)) ? [camel(k)] : known.filter((a) => distance(a.toLowerCase(), k.toLowerCase()) <= 2);
    throw new RecurrentConfigError(`${who}: unknown option '${k}'${near.length ? ` (did you mean '${near[0]}'?)` : ''}; known options: ${known.join(', ')}`);
  }
  return args as Record<string, unknown>;
}

/** A number ≥ `min` (or > `min` when `strict`), finite; `dflt` when not given. */
export function numberAtLeast(who: string, arg: string, v: unknown, dflt: number, min = 0, strict = false): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (strict && v === min)) {
    throw new RecurrentConfigError(`${who}: ${arg} must be a finite number ${strict ? '>' : '≥'} ${min}, got ${fmtValue(v)}`);
  }
  return v;
}

/** An integer ≥ `min`; `dflt` when not given. */
export function intAtLeast(who: string, arg: string, v: unknown, dflt: number, min = 0): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RecurrentConfigError(`${who}: ${arg} must be an integer ≥ ${min}, got ${fmtValue(v)}`);
  }
  return v;
}

/** A finite number, or null (none); `undefined` is null. */
export function optionalNumber(who: string, arg: string, v: unknown): number | null {
  if (v == null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RecurrentConfigError(`${who}: ${arg} must be a finite number or null, got ${fmtValue(v)}`);
  return v;
}

/** true or false; `dflt` when not given. */
export function boolean(who: string, arg: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new RecurrentConfigError(`${who}: ${arg} must be true or false, got ${fmtValue(v)}`);
  return v;
}

/** Keras's verbose of a callback: 0 (silent) or 1 (a line on stdout when it acts). */
export function verbosity(who: string, v: unknown): 0 | 1 {
  if (v === undefined || v === 0 || v === false) return 0;
  if (v === 1 || v === true) return 1;
  throw new RecurrentConfigError(`${who}: verbose must be 0 or 1, got ${fmtValue(v)}`);
}

/** A non-empty string; `dflt` when not given. */
export function nonEmptyString(who: string, arg: string, v: unknown, dflt?: string): string {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'string' || v.length === 0) throw new RecurrentConfigError(`${who}: ${arg} must be a non-empty string, got ${fmtValue(v)}`);
  return v;
}

/** A line for the user, on stdout as Keras's `io_utils.print_msg` writes it (verbose callbacks only). */
export function say(line: string): void {
  standardOutput().write(`${line}\n`);
}
