/**
 * The second thread. The module's memory is shared with a helper thread
 * (src/kernels/module.ts starts it: a worker running `helperLoop`), which
 * takes one job at a time through the control block below:
 *
 * - half of the panels of a large product (`gemm` posts it): each thread
 *   writes its own columns of C;
 * - the rows of the batch for a whole sequence (`forward` and `backward`
 *   post it, see `byRows`), a few at a time, taken by whichever thread is
 *   free: the rows of a sequence are independent until the weights'
 *   gradients, which are summed after all rows are done;
 * - the elements of a large variable's Adam step (`adam`, see `byChunks`),
 *   in chunks taken the same way.
 *
 * Either way each result is computed in the same order of operations as one
 * thread would, so the results are the same to the bit.
 */
import { gemmPanels } from './matmul';
import { useHelperScratch } from './scratch';
import { backwardRows, forwardRows } from './sequence';
import { adamRange } from './adam';

/** Products of at least this many multiply-adds (M·N·K) are shared: about 70 µs of work, against a few µs to hand it over. */
export const SHARED_MIN: i64 = 1 << 16;

/** Jobs. */
const GEMM = 0;
export const FORWARD_ROWS = 1;
export const BACKWARD_ROWS = 2;
export const ADAM = 3;

// The control block: i32 fields. STATE: 0 idle, 1 a job is posted, 4 the helper runs it, 2 it is done,
// 3 the helper is to stop. P0, P1: panels (GEMM), or rows a chunk and B (the others); NEXT: the next chunk's first row.
const block = memory.data(96, 16);
const STATE = 0, M_ = 4, N_ = 8, K_ = 12, A = 16, SAI = 20, SAK = 24, BP = 28, C = 32, LDC = 36, ACC = 40, P0 = 44, P1 = 48, HELPER = 52, READY = 56, JOBS = 60, JOB = 64;
const PANEL = 68, ROW = 72, NEXT = 76, FAILURES = 80;

/** Whether this thread may post work (never on the helper, nor while it runs rows of a sequence). */
let canShare = true;

/** Whether a helper thread waits for work (set by the main thread once the helper is ready). */
export function setHelper(on: bool): void {
  atomic.store<i32>(block + HELPER, on ? 1 : 0);
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

/** Posts `job` on p0 … p1 − 1 (its other fields written already); false when there is no helper to take it. */
function post(job: i32, p0: i32, p1: i32): bool {
  store<i32>(block + JOB, job);
  store<i32>(block + P0, p0);
  store<i32>(block + P1, p1);
  store<i32>(block + JOBS, load<i32>(block + JOBS) + 1);
  atomic.store<i32>(block + STATE, 1);
  atomic.notify(block + STATE, 1);
  return true;
}

/** Whether there is a helper this thread may hand work to. */
@inline
function helperFree(): bool {
  return canShare && atomic.load<i32>(block + HELPER) != 0;
}

/** Posts panels p0 … p1 − 1 of a product to the helper; false when there is none. */
export function share(M: i32, N: i32, K: i32, a: usize, sai: i32, sak: i32, bp: usize, panelBytes: usize, rowBytes: usize, c: usize, ldc: i32, accumulate: bool, p0: i32, p1: i32): bool {
  if (!helperFree()) return false;
  store<i32>(block + M_, M);
  store<i32>(block + N_, N);
  store<i32>(block + K_, K);
  store<usize>(block + A, a);
  store<i32>(block + SAI, sai);
  store<i32>(block + SAK, sak);
  store<usize>(block + BP, bp);
  store<usize>(block + PANEL, panelBytes);
  store<usize>(block + ROW, rowBytes);
  store<usize>(block + C, c);
  store<i32>(block + LDC, ldc);
  store<i32>(block + ACC, accumulate ? 1 : 0);
  return post(GEMM, p0, p1);
}

/**
 * Rows 0 … B − 1 of the call `forward` or `backward` has set up (`job`), in
 * chunks of about a quarter of the batch, a multiple of 4 (so that both
 * threads group rows into the same tiles of 4 as one thread would); with
 * B < 8 there is one chunk, and this thread does it.
 */
export function byRows(job: i32, B: i32): void {
  byChunks(job, B, max(4, ((B >> 2) + 3) & ~3));
}

/**
 * Items 0 … n − 1 of `job` (rows of a sequence, elements of an Adam step):
 * with a helper and at least two chunks, both threads take chunks until none
 * is left, so a helper that wakes late takes fewer; else this thread does them all.
 */
export function byChunks(job: i32, n: i32, chunk: i32): void {
  if (n >= 2 * chunk && helperFree()) {
    atomic.store<i32>(block + NEXT, 0);
    post(job, chunk, n);
    takeRows(job, chunk, n);
    finishShare(); //                                      the helper's last chunk, if it runs one
  } else runRows(job, 0, n);
}

/** Rows (or elements) b0 … b1 − 1 of `job`, posting nothing (the other thread has, or is, the helper). */
function runRows(job: i32, b0: i32, b1: i32): void {
  const could = canShare;
  canShare = false;
  if (job == FORWARD_ROWS) forwardRows(b0, b1);
  else if (job == BACKWARD_ROWS) backwardRows(b0, b1);
  else adamRange(b0, b1);
  canShare = could;
}

/** Runs chunks of `chunk` rows of `job` until none is left. */
function takeRows(job: i32, chunk: i32, B: i32): void {
  while (true) {
    const b0 = atomic.add<i32>(block + NEXT, chunk);
    if (b0 >= B) return;
    runRows(job, b0, min(b0 + chunk, B));
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
    if (++spins > 100000) atomic.wait<i32>(block + STATE, 4, 1000000); // 1 ms at most, then look again
  }
  atomic.store<i32>(block + STATE, 0);
}

/** The posted job. */
function runPosted(): void {
  const job = load<i32>(block + JOB), p0 = load<i32>(block + P0), p1 = load<i32>(block + P1);
  if (job != GEMM) {
    takeRows(job, p0, p1);
    return;
  }
  gemmPanels(
    load<i32>(block + M_), load<i32>(block + N_), load<i32>(block + K_), load<usize>(block + A), load<i32>(block + SAI), load<i32>(block + SAK),
    load<usize>(block + BP), load<usize>(block + PANEL), load<usize>(block + ROW), load<usize>(block + C), load<i32>(block + LDC), load<i32>(block + ACC) != 0, p0, p1,
  );
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
