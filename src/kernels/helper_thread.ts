/**
 * The kernels' second thread: a worker that shares the module's memory and
 * runs `helperLoop` (assembly/pool.ts), taking half of each large matrix
 * product. PyTorch uses both cores of this machine too. One helper at most
 * (the machine this package is measured on has 2 cores); none when
 * `TFJS_RECURRENT_THREADS=1` or the machine has one core.
 */
import * as os from 'os';
import { Worker } from 'worker_threads';
import { threadsAsked } from '../environment';

/** What the helper needs of the module's exports. */
interface HelperExports {
  readyAddress(): number;
  setHelper(on: number): void;
  stopHelper(): void;
}

// Runs in the worker: the same compiled module, instantiated on the same memory. If its loop traps,
// helperFailed() releases a main thread waiting for its part, and the error goes on to the 'error' event.
const HELPER = `
const { workerData } = require('worker_threads');
const k = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports;
try {
  k.helperLoop();
} catch (e) {
  k.helperFailed();
  throw e;
}
`;

/** Threads the kernels may use: `TFJS_RECURRENT_THREADS`, else 2 where there are 2 cores or more. */
export function kernelThreads(): number {
  const asked = threadsAsked();
  if (asked !== null) return Math.min(asked, 2);
  return (os.availableParallelism?.() ?? os.cpus().length) >= 2 ? 2 : 1;
}

let warned = false;
let helping = false;
let why: string | null = null;

/** Why no helper runs now (null while one runs). */
export function noHelperReason(): string | null {
  return helping ? null : why ?? (kernelThreads() < 2 ? 'TFJS_RECURRENT_THREADS=1, or one core' : 'no helper thread runs');
}

/** Whether a helper thread takes part of the kernels' work now. */
export function helperRunning(): boolean {
  return helping;
}

/** Says once, on stderr, that the kernels run on one thread, and why. */
function oneThread(reason: string): null {
  if (!warned) process.stderr.write(`tfjs-recurrent: the kernels run on one thread: ${reason}\n`);
  warned = true;
  helping = false;
  why = reason;
  return null;
}

/**
 * Starts the helper and waits (at most 10 s) until it runs; then the kernels
 * share their large products with it. Returns its stop function, or null
 * when there is no helper: one thread asked for, or a helper that cannot
 * start (a worker is not allowed, as under Node's permission model), which
 * is said once on stderr. A helper that fails later is stopped, said once,
 * and the kernels go on in one thread; it never takes the process down.
 */
export function startHelper(module: object, memory: { buffer: ArrayBufferLike }, k: HelperExports): (() => void) | null {
  helping = false;
  if (kernelThreads() < 2) return null;
  let worker: Worker;
  try {
    // No inherited flags: the helper's code is a CommonJS script, which --input-type=module would make an ES module.
    worker = new Worker(HELPER, { eval: true, workerData: { module, memory }, execArgv: [] });
  } catch (e) {
    return oneThread(`no helper thread could start (${(e as Error).message.split('\n')[0]}); set TFJS_RECURRENT_THREADS=1 to choose one thread without this note`);
  }
  worker.unref(); // a helper never keeps the process alive
  let running = true;
  worker.on('error', (e: Error) => {
    running = false;
    k.setHelper(0);
    oneThread(`the helper thread failed (${e.message.split('\n')[0]})`);
  });
  const ready = new Int32Array(memory.buffer, k.readyAddress(), 1);
  Atomics.wait(ready, 0, 0, 10000);
  if (Atomics.load(ready, 0) !== 1) {
    void worker.terminate();
    return oneThread('the helper thread did not start within 10 s');
  }
  k.setHelper(1); // a helper, and the main thread may sleep while it finishes
  helping = true;
  return () => {
    helping = false;
    k.stopHelper();
    if (running) void worker.terminate();
  };
}
