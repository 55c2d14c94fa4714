/**
 * The keys of fit's logs as a Keras user sees them. Sequential and
 * Functional log each metric under the name it was given (`accuracy`) and
 * under tfjs's own key (`acc`), which tfjs code reads; MetricAliases marks
 * tfjs's keys as hidden on the logs object, so that the callbacks that list
 * the logs (CSVLogger's columns, the "available metrics" of a warning) show
 * Keras's names only, as ProgbarLogger does.
 */
import { tf } from '../tf';
import { logNumber } from './progbar';

/** The hidden keys of a logs object (a non-enumerable property under this symbol). */
const HIDDEN = Symbol.for('tfjs-recurrent.hiddenLogKeys');

/** Marks `keys` of `logs` as tfjs's doubles of keys shown under Keras's names. */
export function hideLogKeys(logs: tf.Logs, keys: string[]): void {
  const had = (logs as { [HIDDEN]?: string[] })[HIDDEN] ?? [];
  Object.defineProperty(logs, HIDDEN, { value: [...new Set([...had, ...keys])], enumerable: false, configurable: true });
}

/** The keys of `logs` a Keras user sees: not tfjs's doubles, nor the batch logs' `batch` and `size`. */
export function visibleLogKeys(logs: tf.Logs | undefined): string[] {
  if (logs == null) return [];
  const hidden = new Set([...((logs as { [HIDDEN]?: string[] })[HIDDEN] ?? []), 'batch', 'size']);
  return Object.keys(logs).filter((k) => !hidden.has(k));
}

/** The value of `key` in `logs` as a number (tfjs may log scalars it has not read yet), or undefined. */
export function logValue(logs: tf.Logs | undefined, key: string): number | undefined {
  return logs == null ? undefined : logNumber((logs as Record<string, unknown>)[key]);
}
