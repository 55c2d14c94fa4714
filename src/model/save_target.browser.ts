/**
 * Where `model.save(target, options)` writes, in a browser: tfjs's own
 * handlers (`indexeddb://`, `localstorage://`, `downloads://`, `http(s)://`,
 * or an IOHandler). Keras's `overwrite` belongs to Node's files
 * (save_target.ts), so it is refused here rather than ignored.
 */
import { tf } from '../tf';
import { RecurrentConfigError } from '../errors';

/** `model.save`'s options: tfjs's, and Keras's `overwrite` (files in Node only). */
export type SaveOptions = tf.io.SaveConfig & { overwrite?: boolean };

/** `target` itself; `overwrite` is refused, since no browser handler would heed it. */
export function saveTarget(who: string, target: tf.io.IOHandler | string, options?: SaveOptions): tf.io.IOHandler | string {
  if (options?.overwrite !== undefined) {
    throw new RecurrentConfigError(`${who}: overwrite applies to files in Node; tfjs's browser handlers (indexeddb://, localstorage://, downloads://, http(s)://) replace what they save to`);
  }
  return target;
}
