/**
 * The second thread. The module's memory is shared with a helper thread
 * (src/kernels/helper_thread.ts starts it: a worker running `helperLoop`),
 * which takes one job at a time through the control block below. A job is a
 * function of the kernel that posts it, `run(p0, p1)`, and the pool knows
 * nothing else of it: each kernel splits its own work and keeps its own
 * arguments where both threads read them.
 *
 * - `share` hands over one range, p0 … p1 − 1 (half of the panels of a
 *   large product, matmul.ts), while this thread does its own;
 * - `byChunks` hands out chunks of items 0 … n − 1 (the rows of a batch,
 *   sequence.ts; the elements of a large Adam step, adam.ts), taken by
 *   whichever thread is free.
 *
 * Either way each result is computed in the same order of operations as one
 * thread would, so the results are the same to the bit.
 */
import { useHelperScratch } from './scratch';

/** A kernel's job: items (rows, panels, elements) p0 … p1 − 1 of the call it has set up. */
export type Job = (p0: i32, p1: i32) => void;

/** Products of at least this many multiply-adds (M·N·K) are shared: about 70 µs of work, against a few µs to hand it over. */
export const SHARED_MIN: i64 = 1 << 16;

// The control block: i32 fields. STATE: 0 idle, 1 a job is posted, 4 the helper runs it, 2 it is done,
// 3 the helper is to stop. RUN: the job's function (its table index); P0, P1: its range, or the chunk
// and n (CHUNKED); NEXT: the next chunk's first item.
const block = memory.data(96, 16);
const STATE = 0, RUN = 4, P0 = 8, P1 = 12, CHUNKED = 16, NEXT = 20, HELPER = 24, READY = 28, JOBS = 32, FAILURES = 36;

/** Whether this thread may post work (never on the helper, nor while it runs a job's items). */
let canShare = true;

/**
 * Whether a helper thread waits for work (set by the main thread once the
 * helper is ready): 0 none; 1 a helper, and the main thread may sleep while it
 * finishes its part; 2 a helper, and the main thread only spins (a browser's
 * main thread may not block: its `atomic.wait` traps).
 */
export function setHelper(mode: i32): void {
  atomic.store<i32>(block + HELPER, mode);
}

/** How many jobs were shared with the helper (tests read it to know it worked). */
export function sharedJobs(): i32 {
  return load<i32>(block + JOBS);
}

/** How many times the helper failed (trapped) in a job: the calls that shared with it then are refused (src/kernels/module.ts). */
export function helperFailures(): i32 {
  return atomic.load<i32>(block + FAILURES);
}

/**
 * Called by the helper's worker when `helperLoop` trapped: there is no helper
 * any more, and a job it was running is marked done, so that the main thread
 * never waits for it; the failure is counted for the main thread to see.
 */
export function helperFailed(): void {
  atomic.store<i32>(block + HELPER, 0);
  atomic.add<i32>(block + FAILURES, 1);
  atomic.cmpxchg<i32>(block + STATE, 4, 2);
  atomic.notify(block + STATE);
}

/** The address the helper sets to 1 once it runs (the main thread waits on it). */
export function readyAddress(): usize {
  return block + READY;
}

/** Whether there is a helper this thread may hand work to (then a kernel writes its job's arguments, and shares). */
@inline
export function helperFree(): bool {
  return canShare && atomic.load<i32>(block + HELPER) != 0;
}

function post(run: Job, p0: i32, p1: i32, chunked: bool): void {
  store<u32>(block + RUN, run.index);
  store<i32>(block + P0, p0);
  store<i32>(block + P1, p1);
  store<i32>(block + CHUNKED, chunked ? 1 : 0);
  store<i32>(block + JOBS, load<i32>(block + JOBS) + 1);
  atomic.store<i32>(block + STATE, 1);
  atomic.notify(block + STATE, 1);
}

/**
 * Posts `run(p0, p1)` to the helper; false when there is none (then the
 * caller does it). After its own part, the caller calls `finishShare`.
 */
export function share(run: Job, p0: i32, p1: i32): bool {
  if (!helperFree()) return false;
  post(run, p0, p1, false);
  return true;
}

/**
 * Items 0 … n − 1 of `run`, in chunks of `chunk`: with a helper and at least
 * two chunks, both threads take chunks until none is left, so a helper that
 * wakes late takes fewer; else this thread does them all.
 */
export function byChunks(run: Job, n: i32, chunk: i32): void {
  if (n >= 2 * chunk && helperFree()) {
    atomic.store<i32>(block + NEXT, 0);
    post(run, chunk, n, true);
    takeChunks(run, chunk, n);
    finishShare(); //                                      the helper's last chunk, if it runs one
  } else runItems(run, 0, n);
}

/** Items p0 … p1 − 1 of `run`, posting nothing (the other thread has, or is, the helper). */
function runItems(run: Job, p0: i32, p1: i32): void {
  const could = canShare;
  canShare = false;
  run(p0, p1);
  canShare = could;
}

/** Runs chunks of `chunk` items of `run` until none is left. */
function takeChunks(run: Job, chunk: i32, n: i32): void {
  while (true) {
    const p0 = atomic.add<i32>(block + NEXT, chunk);
    if (p0 >= n) return;
    runItems(run, p0, min(p0 + chunk, n));
  }
}

/**
 * After our part: if the helper has not started the job (another process
 * may have its core), takes it back and does what is left here; else waits
 * for it (spinning a while before sleeping).
 */
export function finishShare(): void {
  if (atomic.cmpxchg<i32>(block + STATE, 1, 0) == 1) {
    runPosted();
    return;
  }
  let spins = 0;
  while (atomic.load<i32>(block + STATE) != 2) {
    if (++spins > 100000 && atomic.load<i32>(block + HELPER) == 1) atomic.wait<i32>(block + STATE, 4, 1000000); // 1 ms at most, then look again
  }
  atomic.store<i32>(block + STATE, 0);
}

/** The posted job. */
function runPosted(): void {
  const index = load<u32>(block + RUN), p0 = load<i32>(block + P0), p1 = load<i32>(block + P1);
  if (load<i32>(block + CHUNKED) != 0) {
    while (true) {
      const b0 = atomic.add<i32>(block + NEXT, p0);
      if (b0 >= p1) return;
      call(index, b0, min(b0 + p0, p1));
    }
  }
  call(index, p0, p1);
}

/** Runs the job whose function is at `index` of the table, sharing nothing. */
function call(index: u32, p0: i32, p1: i32): void {
  const could = canShare;
  canShare = false;
  call_indirect<void>(index, p0, p1);
  canShare = could;
}

/**
 * The helper thread's loop: takes each posted job unless the main thread took
 * it back first; spins a while after each (the next often follows soon), then sleeps.
 */
export function helperLoop(): void {
  canShare = false;
  useHelperScratch();
  atomic.store<i32>(block + READY, 1);
  atomic.notify(block + READY);
  while (true) {
    let spins = 0;
    let state = atomic.load<i32>(block + STATE);
    while (state != 1 && state != 3) {
      if (++spins > 50000) {
        atomic.wait<i32>(block + STATE, state);
        spins = 0;
      }
      state = atomic.load<i32>(block + STATE);
    }
    if (state == 3) return;
    if (atomic.cmpxchg<i32>(block + STATE, 1, 4) != 1) continue; // taken back
    runPosted();
    atomic.store<i32>(block + STATE, 2);
    atomic.notify(block + STATE);
  }
}

/** Asks the helper to return from `helperLoop` (its worker then ends). */
export function stopHelper(): void {
  atomic.store<i32>(block + HELPER, 0);
  atomic.store<i32>(block + STATE, 3);
  atomic.notify(block + STATE);
}
