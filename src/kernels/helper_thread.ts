/**
 * The kernels' second thread: a worker that shares the module's memory and
 * runs `helperLoop` (assembly/threads.ts), taking half of each large matrix
 * product. PyTorch uses both cores of this machine too. One helper at most
 * (the machine this package is measured on has 2 cores); none when
 * `TFJS_RECURRENT_THREADS=1` or the machine has one core.
 */
import * as os from 'os';
import { Worker } from 'worker_threads';

/** What the helper needs of the module's exports. */
interface HelperExports {
  readyAddress(): number;
  setHelper(on: number): void;
  stopHelper(): void;
}

// Runs in the worker: the same compiled module, instantiated on the same memory.
const HELPER = `
const { workerData } = require('worker_threads');
new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports.helperLoop();
`;

/** Threads the kernels may use: `TFJS_RECURRENT_THREADS`, else 2 where there are 2 cores or more. */
export function kernelThreads(): number {
  const asked = Number(process.env.TFJS_RECURRENT_THREADS);
  if (Number.isInteger(asked) && asked >= 1) return Math.min(asked, 2);
  return (os.availableParallelism?.() ?? os.cpus().length) >= 2 ? 2 : 1;
}

/**
 * Starts the helper and waits (at most 10 s) until it runs; then the kernels
 * share their large products with it. Returns its stop function, or null
 * when there is no helper.
 */
export function startHelper(module: object, memory: { buffer: ArrayBufferLike }, k: HelperExports): (() => void) | null {
  if (kernelThreads() < 2) return null;
  const worker = new Worker(HELPER, { eval: true, workerData: { module, memory } });
  worker.unref(); // a helper never keeps the process alive
  const ready = new Int32Array(memory.buffer, k.readyAddress(), 1);
  Atomics.wait(ready, 0, 0, 10000);
  if (Atomics.load(ready, 0) !== 1) {
    void worker.terminate();
    return null;
  }
  k.setHelper(1);
  return () => {
    k.stopHelper();
    void worker.terminate();
  };
}
