/**
 * One saver at a time per model folder, across processes, through
 * proper-lockfile (a lock directory made atomically; its mtime is refreshed
 * while held, so the lock of a saver killed with SIGKILL goes stale after a
 * few seconds and is taken over, and a live one is waited for).
 */
import * as path from 'path';
import * as lockfile from 'proper-lockfile';
import { RecurrentInputError } from '../errors';

export const LOCK_FILE = '.tfjs-recurrent-save.lock';

/** A lock not refreshed for this long belongs to a dead saver (proper-lockfile's minimum is 2 s). */
const STALE_MS = 5000;

/** Runs `fn` holding the save lock of `dir`, waiting for another saver for up to about `timeoutMs`. */
export async function withDirLock<T>(dir: string, fn: () => T, timeoutMs = 30000): Promise<T> {
  const lockfilePath = path.join(dir, LOCK_FILE);
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath,
      realpath: false,
      stale: STALE_MS,
      retries: { retries: Math.ceil(timeoutMs / 100), minTimeout: 20, maxTimeout: 100, factor: 1.2 },
    });
  } catch (e) {
    throw new RecurrentInputError(`fileIO: cannot lock ${lockfilePath}: ${(e as Error).message}; another save is running, or the folder is not writable`);
  }
  try {
    return fn();
  } finally {
    await release().catch(() => undefined); // a lock taken over as stale is not ours to release any more
  }
}
