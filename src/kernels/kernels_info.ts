/**
 * What the page or script can ask of our kernels: which build runs, from
 * where, on how many threads (`kernelsInfo`), and the options of
 * `loadKernels` (load_kernels.ts, and its browser twin), checked here for both.
 */
import { kernelModule, kernelModuleFile, kernelSequenceCalls } from './module';
import { helperRunning, noHelperReason } from './helper_thread';
import { NOT_LOADED } from './wasm_source';
import { RecurrentConfigError } from '../errors';

/** Options of {@link loadKernels}. */
export interface LoadKernelsOptions {
  /**
   * Browser only: where the kernels' `.wasm` is served, as a folder URL
   * ending in `/` that holds recurrent.wasm and recurrent-relaxed.wasm (the
   * package's dist/kernels/, e.g. on a CDN), or the URL of one of the two
   * files. Default: the copy inlined in the browser bundle. In Node the
   * kernels load from the package's own files, and a URL is refused.
   */
  url?: string | URL;
}

/** Which kernels run, from {@link kernelsInfo}. */
export interface KernelsInfo {
  /** Whether the kernels are loaded (else the recurrent layers take their tf-op path). */
  loaded: boolean;
  /** Where they came from: a file path, a URL, or `'inline'`. */
  source: string | null;
  /** `relaxed`: relaxed SIMD (fused multiply-adds); `plain`: SIMD only. */
  build: 'relaxed' | 'plain' | null;
  /** Threads they run on now: 2 while the helper thread takes part, else 1. */
  threads: 1 | 2;
  /** How many sequences (a recurrent layer's forward or backward pass) they have run in this process or page: it grows when the layers take the kernels' path. */
  sequences: number;
  /** Why they run on one thread, or why they are not loaded; absent otherwise. */
  note?: string;
}

/**
 * Which build of our kernels runs, from where, and on how many threads.
 *
 * @example
 * ```ts
 * import { kernelsInfo } from 'tfjs-recurrent';
 * console.log(kernelsInfo()); // { loaded: true, source: '…/recurrent-relaxed.wasm', build: 'relaxed', threads: 2, sequences: 0 }
 * ```
 */
export function kernelsInfo(): KernelsInfo {
  const k = kernelModule();
  const source = k ? kernelModuleFile() : null;
  const threads = k && helperRunning() ? 2 : 1;
  const build = source === null ? null : /relaxed/.test(source) ? 'relaxed' : 'plain';
  const info: KernelsInfo = { loaded: k !== null, source, build, threads, sequences: kernelSequenceCalls() };
  if (!k) info.note = NOT_LOADED;
  else if (threads === 1) info.note = `one thread: ${noHelperReason() ?? 'no helper thread runs'}`;
  return info;
}

/** Refuses options `loadKernels` does not take, before anything loads. */
export function checkLoadOptions(options: unknown): asserts options is LoadKernelsOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new RecurrentConfigError(`loadKernels: options must be an object such as { url }, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const k of Object.keys(options)) if (k !== 'url') throw new RecurrentConfigError(`loadKernels: unknown option '${k}'; known options: url`);
  const url = (options as { url?: unknown }).url;
  const isUrl = typeof URL === 'function' && url instanceof URL;
  if (url !== undefined && !isUrl && (typeof url !== 'string' || url.length === 0)) {
    throw new RecurrentConfigError(`loadKernels: url must be a non-empty string or a URL, got ${typeof url === 'string' ? '""' : typeof url}`);
  }
}
