/**
 * The locks of a model folder, across processes, with no dependency and no
 * signal handler installed at import.
 *
 * - **The save lock** (exclusive): one saver at a time. A directory
 *   {@link LOCK_FILE} made atomically by `mkdir`, holding a file with its
 *   owner's pid, host and a random token; its mtime is refreshed every second
 *   while held. It is stale, and taken over, when its owner is a dead process
 *   of this host (a saver killed with SIGKILL) or when it has not been
 *   refreshed for {@link STALE_MS}; a live one is waited for.
 * - **Read marks** (shared): a load leaves a file `.tfjs-recurrent-read-…`
 *   in the folder while it reads the model JSON and the weights it names
 *   (synchronously: no signal can run in between). A saver, once its new
 *   `model.json` is in place, waits for the marks that were there at that
 *   moment before it removes old weights, so no load ever finds the weights
 *   its `model.json` names deleted, and no load waits.
 *
 * Signals: only while a save lock is held (its holder waits for loads, an
 * asynchronous step), SIGINT, SIGTERM and SIGHUP remove the held locks, then
 * the handlers are removed and the signal is raised again, so the process
 * ends as the signal would have ended it.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { threadId } from 'worker_threads';
import { RecurrentInputError } from '../errors';

/** The save lock's folder inside a model folder. */
export const LOCK_FILE = '.tfjs-recurrent-save.lock';

/** Read marks: `<prefix><pid>-<random>`. */
export const READ_MARK_PREFIX = '.tfjs-recurrent-read-';

/** A save lock not refreshed for this long belongs to a stalled or dead saver. */
export const STALE_MS = 10000;

/** A read mark of another host older than this belongs to a dead reader (one of this host is judged by its pid). */
const READ_MARK_STALE_MS = 60000;

/** The owner file inside the lock directory. */
const OWNER = 'owner';

/** Errors meaning the folder cannot be written: waiting would not help. */
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

interface Owner {
  pid: number;
  /** The Worker thread of that process (0: its main thread); absent in locks written before threads were told apart. */
  thread?: number;
  host: string;
  token: string;
}

/** The save lock, as its holder sees it. */
export interface SaveLock {
  /** Marks the lock as alive now (besides the timer), between long synchronous steps. */
  touch(): void;
  /** Throws, naming the folder, if the lock is not this holder's any more (taken over as stale). */
  assertHeld(): void;
  /**
   * Waits until every read mark present now is gone (or stale); false if some
   * are still there after `timeoutMs`.
   */
  waitForReaders(timeoutMs?: number): Promise<boolean>;
}

const random = () => crypto.randomBytes(8).toString('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const codeOf = (e: unknown) => (e as NodeJS.ErrnoException)?.code ?? '';

function readOwner(file: string): Owner | null {
  try {
    const o = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Owner>;
    return typeof o?.pid === 'number' && typeof o.host === 'string' && typeof o.token === 'string' && (o.thread === undefined || typeof o.thread === 'number') ? (o as Owner) : null;
  } catch {
    return null;
  }
}

/** Tokens of the save locks this process holds now, each with its synchronous cleanup. */
const held = new Map<string, () => void>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return codeOf(e) === 'EPERM'; // alive, another user's
  }
}

/** Whether the lock or mark `owner` (null: unknown) with this mtime is left by a dead or stalled holder. */
function isStale(owner: Owner | null, mtimeMs: number, maxAgeMs: number, pidDecides: boolean): boolean {
  if (owner != null && owner.host === os.hostname()) {
    if (owner.pid === process.pid) {
      if ((owner.thread ?? 0) === threadId) return !held.has(owner.token); // this thread's now, or a past process's that had our pid
      return Date.now() - mtimeMs > maxAgeMs; // another Worker thread of this process: alive while it refreshes
    }
    if (!isAlive(owner.pid)) return true;
    if (pidDecides) return false;
  }
  return Date.now() - mtimeMs > maxAgeMs;
}

function onSignal(signal: NodeJS.Signals): void {
  for (const cleanup of [...held.values()]) cleanup();
  held.clear();
  uninstallSignals();
  // Another listener of the user's decides what the signal does; otherwise it ends the process, as it would have.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
const handlers = new Map<NodeJS.Signals, () => void>(SIGNALS.map((s) => [s, () => onSignal(s)]));
const onExit = () => {
  for (const cleanup of [...held.values()]) cleanup();
};

function installSignals(): void {
  if (held.size !== 1) return; // installed with the first lock held
  for (const [s, h] of handlers) process.on(s, h);
  process.on('exit', onExit);
}
function uninstallSignals(): void {
  for (const [s, h] of handlers) process.removeListener(s, h);
  process.removeListener('exit', onExit);
}

/**
 * Moves a stale lock away and removes it, unless it changed owner since it
 * was judged; false if it cannot be moved (so it is waited for like a live one).
 */
function takeOver(lockPath: string, judged: Owner | null): boolean {
  const trash = `${lockPath}.stale-${random()}`;
  try {
    fs.renameSync(lockPath, trash);
  } catch (e) {
    return codeOf(e) === 'ENOENT'; // gone already (taken over by another waiter): try again
  }
  if (readOwner(path.join(trash, OWNER))?.token !== judged?.token) {
    try {
      fs.renameSync(trash, lockPath); // a fresh lock, not the stale one: put it back
      return true;
    } catch {
      // its holder sees the loss before it replaces anything (assertHeld)
    }
  }
  removeQuietly(trash);
  return true;
}

/** Removes a file or folder left by a dead process; one that cannot be removed (another user's) stays. */
function removeQuietly(p: string): void {
  try {
    fs.rmSync(p, { recursive: true, force: true });
  } catch {
    // harmless: a stale entry is judged stale again next time
  }
}

async function acquire(dir: string, who: string, timeoutMs: number): Promise<{ lock: SaveLock; release: () => void }> {
  const lockPath = path.join(dir, LOCK_FILE);
  const me: Owner = { pid: process.pid, thread: threadId, host: os.hostname(), token: random() };
  const deadline = Date.now() + timeoutMs;
  for (let delay = 10; ; delay = Math.min(100, delay * 1.5)) {
    try {
      fs.mkdirSync(lockPath);
      break;
    } catch (e) {
      const code = codeOf(e);
      if (NOT_WRITABLE.has(code)) {
        throw new RecurrentInputError(`${who}: cannot save into ${dir}: the folder is not writable (${code} on ${LOCK_FILE})`);
      }
      if (code !== 'EEXIST') throw new RecurrentInputError(`${who}: cannot lock ${lockPath}: ${(e as Error).message}`);
      const st = fs.statSync(lockPath, { throwIfNoEntry: false });
      if (st == null) continue;
      const owner = readOwner(path.join(lockPath, OWNER));
      if (isStale(owner, st.mtimeMs, STALE_MS, false) && takeOver(lockPath, owner)) continue;
      if (Date.now() > deadline) {
        const by = owner == null ? '' : ` by process ${owner.pid} on ${owner.host}`;
        throw new RecurrentInputError(`${who}: ${dir} is locked${by} (${LOCK_FILE}) for more than ${timeoutMs} ms: another save is running; try again when it ends`);
      }
      await sleep(delay);
    }
  }
  const ownerFile = path.join(lockPath, OWNER);
  try {
    fs.writeFileSync(ownerFile, JSON.stringify(me));
  } catch (e) {
    fs.rmSync(lockPath, { recursive: true, force: true });
    throw new RecurrentInputError(`${who}: cannot lock ${lockPath}: ${(e as Error).message}`);
  }
  const isMine = () => readOwner(ownerFile)?.token === me.token;
  const touch = () => {
    const now = new Date();
    try {
      fs.utimesSync(lockPath, now, now);
    } catch {
      // gone: assertHeld says so before anything is replaced
    }
  };
  const timer = setInterval(touch, 1000);
  timer.unref();
  let released = false;
  const cleanup = () => {
    if (released) return;
    released = true;
    clearInterval(timer);
    if (isMine()) fs.rmSync(lockPath, { recursive: true, force: true });
  };
  held.set(me.token, cleanup);
  installSignals();
  const release = () => {
    cleanup();
    held.delete(me.token);
    if (held.size === 0) uninstallSignals();
  };
  const lock: SaveLock = {
    touch,
    assertHeld() {
      if (!isMine()) {
        throw new RecurrentInputError(`${who}: the save lock of ${dir} was taken over by another save (this one stalled for more than ${STALE_MS} ms); nothing was replaced`);
      }
    },
    async waitForReaders(waitMs = 30000) {
      let marks = readMarks(dir);
      const until = Date.now() + waitMs;
      while (marks.length > 0) {
        marks = marks.filter((m) => isLiveMark(m));
        if (marks.length === 0) return true;
        if (Date.now() > until) return false;
        touch();
        await sleep(10);
      }
      return true;
    },
  };
  return { lock, release };
}

/** The read marks of `dir` now (full paths). */
function readMarks(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((f) => f.startsWith(READ_MARK_PREFIX)).map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/** Whether a read mark is there and its reader alive; a stale one is removed. */
function isLiveMark(mark: string): boolean {
  const st = fs.statSync(mark, { throwIfNoEntry: false });
  if (st == null) return false;
  if (isStale(readOwner(mark), st.mtimeMs, READ_MARK_STALE_MS, true)) {
    removeQuietly(mark);
    return false;
  }
  return true;
}

/**
 * Runs `fn` holding the save lock of `dir` (which must exist), waiting for
 * another saver for up to about `timeoutMs`. A folder that cannot be written
 * (EACCES, EPERM, EROFS) fails at once, naming it. `who` starts the errors.
 */
export async function withDirLock<T>(dir: string, fn: (lock: SaveLock) => T | Promise<T>, who = 'fileIO', timeoutMs = 30000): Promise<T> {
  const { lock, release } = await acquire(dir, who, timeoutMs);
  try {
    return await fn(lock);
  } finally {
    release();
  }
}

/**
 * Runs the synchronous `fn` (the reads of a load) with a read mark in `dir`,
 * so that a saver keeps the files it reads until it ends. A folder where no
 * mark can be written (read-only, missing) is read without one: no saver of
 * this package can write there either.
 */
export function withReadMark<T>(dir: string, fn: () => T): T {
  const mark = path.join(dir, `${READ_MARK_PREFIX}${process.pid}-${random()}`);
  let marked = true;
  try {
    fs.writeFileSync(mark, JSON.stringify({ pid: process.pid, thread: threadId, host: os.hostname(), token: random() } satisfies Owner), { flag: 'wx' });
  } catch {
    marked = false;
  }
  try {
    return fn();
  } finally {
    if (marked) fs.rmSync(mark, { force: true });
  }
}
