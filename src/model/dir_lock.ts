/**
 * One saver at a time per model folder, across processes: a lock file made
 * with an exclusive create, holding the owner's pid. A lock whose process is
 * gone (a save killed with kill -9) is taken over; a live one is waited for.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RecurrentInputError } from '../errors';

export const LOCK_FILE = '.tfjs-recurrent-save.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid written in the lock, or null when it cannot be read (being written, or gone). */
function owner(lock: string): number | null {
  try {
    const pid = Number(fs.readFileSync(lock, 'utf8'));
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function tryTake(lock: string): boolean {
  try {
    const fd = fs.openSync(lock, 'wx');
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Runs `fn` holding the save lock of `dir`; waits up to `timeoutMs` for
 * another live saver, takes over the lock of a dead one.
 */
export async function withDirLock<T>(dir: string, fn: () => T, timeoutMs = 30000): Promise<T> {
  const lock = path.join(dir, LOCK_FILE);
  const start = Date.now();
  for (;;) {
    if (tryTake(lock)) break;
    const pid = owner(lock);
    const stale = pid != null ? !alive(pid) : Date.now() - safeMtime(lock) > 5000;
    if (stale) {
      fs.rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() - start > timeoutMs) {
      throw new RecurrentInputError(`fileIO: ${lock} is held by process ${pid ?? '?'} for more than ${timeoutMs} ms; another save is running (remove the file if it is not)`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function safeMtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
