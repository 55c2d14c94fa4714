/**
 * The kernels' second thread in a browser: a Web Worker that shares the
 * module's memory and runs `helperLoop` (assembly/pool.ts), as the Node
 * twin (helper_thread.ts) does with a worker thread. A page can share
 * WebAssembly memory with a worker only when it is cross-origin isolated
 * (served with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`); elsewhere the kernels run
 * on one thread. A browser's main thread may not block, so it spins while
 * the helper finishes its part (`setHelper(2)`).
 */
import { threadsAsked } from '../environment';

/** What the helper needs of the module's exports. */
interface HelperExports {
  setHelper(mode: number): void;
  stopHelper(): void;
}

// Runs in the worker: the same compiled module, instantiated on the same memory. If its loop traps,
// helperFailed() releases a main thread waiting for its part, and the error goes on to the worker's 'error' event.
const HELPER = `
onmessage = (e) => {
  const k = new WebAssembly.Instance(e.data.module, { env: { memory: e.data.memory } }).exports;
  postMessage('ready');
  try {
    k.helperLoop();
  } catch (err) {
    k.helperFailed();
    throw err;
  }
};
`;

interface BrowserGlobals {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  Worker?: new (url: string) => BrowserWorker;
  Blob: new (parts: string[], options: { type: string }) => object;
  URL: { createObjectURL(blob: object): string; revokeObjectURL(url: string): void };
}
interface BrowserWorker {
  onmessage: ((e: unknown) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
  postMessage(message: unknown): void;
  terminate(): void;
}
const page = globalThis as unknown as BrowserGlobals;

/** Why the kernels run on one thread in this page, or null when they may use two. */
function oneThreadReason(): string | null {
  const asked = threadsAsked();
  if (asked !== null && asked < 2) return 'one thread was asked for';
  if (page.crossOriginIsolated !== true) return 'the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  if ((page.navigator?.hardwareConcurrency ?? 1) < 2) return 'the browser reports one core';
  if (typeof page.Worker !== 'function') return 'this context has no Web Workers';
  return null;
}

/** Threads the kernels may use here: 2 in a cross-origin-isolated page on 2 cores or more, else 1. */
export function kernelThreads(): number {
  return oneThreadReason() === null ? 2 : 1;
}

let helping = false;
let why: string | null = null;

/** Whether a helper thread takes part of the kernels' work now. */
export function helperRunning(): boolean {
  return helping;
}

/** Why no helper runs now (null while one runs, or is starting). */
export function noHelperReason(): string | null {
  return helping ? null : why;
}

/**
 * Starts the helper; once it runs (a message later), the kernels share their
 * large products with it. Returns its stop function, or null when there is no helper.
 */
export function startHelper(module: object, memory: { buffer: ArrayBufferLike }, k: HelperExports): (() => void) | null {
  helping = false;
  why = oneThreadReason();
  if (why !== null) return null;
  const url = page.URL.createObjectURL(new page.Blob([HELPER], { type: 'text/javascript' }));
  let worker: BrowserWorker;
  try {
    worker = new page.Worker!(url);
  } catch (e) {
    page.URL.revokeObjectURL(url);
    why = `no Web Worker could start (${String((e as Error).message).split('\n')[0]})`;
    return null;
  }
  let running = true;
  why = 'the helper is starting';
  worker.onmessage = () => {
    page.URL.revokeObjectURL(url);
    if (!running) return;
    k.setHelper(2); // a helper; the main thread spins while it finishes its part
    helping = true;
    why = null;
  };
  worker.onerror = (e) => {
    running = false;
    helping = false;
    k.setHelper(0);
    why = `the helper thread failed (${e.message ?? 'no message'})`;
  };
  worker.postMessage({ module, memory });
  return () => {
    running = false;
    helping = false;
    why = 'the helper was stopped';
    k.stopHelper();
    worker.terminate();
  };
}
