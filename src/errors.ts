/**
 * Error classes of tfjs-recurrent. Every message names the layer or function,
 * the argument, what was expected and what was received, and is thrown before
 * any tensor work.
 */

/** Longest message kept whole: a value quoted from a hostile file may be megabytes long. */
export const MAX_MESSAGE = 2000;

/** `message`, cut in the middle past MAX_MESSAGE characters, saying how much was cut. */
export function bounded(message: string): string {
  if (message.length <= MAX_MESSAGE) return message;
  const keep = MAX_MESSAGE / 2;
  return `${message.slice(0, keep)} … (${message.length - 2 * keep} characters cut) … ${message.slice(-keep)}`;
}

/**
 * A constructor option or function argument has a bad value.
 *
 * @example
 * ```ts
 * import { LSTM, RecurrentConfigError } from 'tfjs-recurrent';
 * try {
 *   new LSTM({ units: 0 });
 * } catch (e) {
 *   console.log(e instanceof RecurrentConfigError, (e as Error).message);
 *   // true LSTM: units must be a positive integer, got 0
 * }
 * ```
 */
export class RecurrentConfigError extends Error {
  constructor(message: string) {
    super(bounded(message));
    this.name = 'RecurrentConfigError';
  }
}

/**
 * A tensor given to a layer (input, mask, initial state, weights) has the wrong rank, shape or dtype.
 *
 * @example
 * ```ts
 * import { tf, LSTM, RecurrentInputError } from 'tfjs-recurrent';
 * try {
 *   new LSTM({ units: 4 }).apply(tf.zeros([32, 10]));
 * } catch (e) {
 *   console.log(e instanceof RecurrentInputError, (e as Error).message);
 *   // true LSTM expects input of rank 3 [batch, time, features], got [32, 10] ...
 * }
 * ```
 */
export class RecurrentInputError extends Error {
  constructor(message: string) {
    super(bounded(message));
    this.name = 'RecurrentInputError';
  }
}

/** Formats a shape the way the messages print it: `[32, 10]`, `[null, 10]`. */
export function fmtShape(shape: ReadonlyArray<number | null | undefined>): string {
  return `[${shape.map((d) => (d == null ? 'null' : String(d))).join(', ')}]`;
}

/** Formats a received value for a message: strings quoted, objects as JSON. */
export function fmtValue(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || v == null) return String(v);
  if (Array.isArray(v)) return `[${v.map(fmtValue).join(', ')}]`;
  if (typeof v === 'function' || typeof v === 'symbol') return typeof v;
  try {
    return JSON.stringify(v) ?? Object.prototype.toString.call(v);
  } catch {
    return Object.prototype.toString.call(v); // String(v) itself may throw (an object with a Date prototype)
  }
}
