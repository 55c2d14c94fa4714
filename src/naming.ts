/**
 * Keras auto-naming: a layer with no name gets its snake_case class name and a
 * per-prefix counter: `lstm`, `lstm_1`, `lstm_2`, ...; models `sequential`, ...
 */
const counters = new Map<string, number>();

/** Keras's `to_snake_case`: `SimpleRNN` → `simple_rnn`, `LSTM` → `lstm`. */
export function toSnakeCase(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  return intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The next unique name for `prefix`: the bare prefix first, then `prefix_1`, ... */
export function uniqueName(prefix: string): string {
  const n = counters.get(prefix) ?? 0;
  counters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/**
 * Forget every counter (Keras's `clear_session()` does the same), so the next
 * layers are named `lstm`, `dense`, ... again.
 *
 * @example
 * ```ts
 * import { LSTM, resetNames } from 'tfjs-recurrent';
 * new LSTM({ units: 2 }).name; // 'lstm' (or 'lstm_1', ... after others)
 * resetNames();
 * new LSTM({ units: 2 }).name; // 'lstm'
 * ```
 */
export function resetNames(): void {
  counters.clear();
}
