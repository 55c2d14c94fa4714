/**
 * Where `model.save(target, options)` writes, in Node: tfjs's handlers, and
 * `file://` URLs through {@link fileIO} (importing this registers it for
 * every backend), which alone heeds Keras's `overwrite`. The browser's twin
 * is save_target.browser.ts.
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { fileIO } from './io';

/** `model.save`'s options: tfjs's, and Keras's `overwrite` (see {@link FileIOOptions}). */
export type SaveOptions = tf.io.SaveConfig & { overwrite?: boolean };

/**
 * Where `model.save(target, options)` writes: a `file://` URL with
 * `overwrite` given becomes `fileIO(url, { overwrite })`; `overwrite` with
 * anything else is refused, since no other handler would heed it.
 */
export function saveTarget(who: string, target: tf.io.IOHandler | string, options?: SaveOptions): tf.io.IOHandler | string {
  const overwrite = options?.overwrite;
  if (overwrite === undefined) return target;
  if (typeof overwrite !== 'boolean') throw new RecurrentConfigError(`${who}: overwrite must be true or false, got ${fmtValue(overwrite)}`);
  if (typeof target === 'string' && target.startsWith('file://')) return fileIO(target, { overwrite });
  throw new RecurrentConfigError(`${who}: overwrite applies to file:// URLs (or fileIO(path, { overwrite })), got ${typeof target === 'string' ? JSON.stringify(target) : 'an IOHandler'}`);
}
