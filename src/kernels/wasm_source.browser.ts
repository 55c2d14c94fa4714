/**
 * Where the kernels' WebAssembly comes from in a browser: nowhere until
 * `loadKernels` (load_kernels.browser.ts) has fetched it, or taken the
 * copy inlined in the bundle; until then the layers take their tf-op path.
 * Node's twin (wasm_source.ts) reads the files synchronously.
 */
import { wasmApi } from './wasm_api';

/** What `kernelsInfo` says before `loadKernels` has run, or when it failed. */
export const NOT_LOADED = 'not loaded: await setBackend(...) or loadKernels() loads them';

/** A build of the kernels: its bytes, and where they came from (a path, or a URL in a browser). */
export interface KernelBuild {
  bytes: Uint8Array;
  source: string;
}

/** Whether this browser compiles `bytes` (relaxed SIMD: Chromium 114 and later). */
export function compiles(bytes: Uint8Array): boolean {
  return wasmApi.validate(bytes);
}

/** A browser has no files to read: give `loadKernels` a URL instead. */
export function readBuild(file: string): KernelBuild {
  throw new Error(`the kernels cannot be read from a file in a browser (${file}); give loadKernels({ url }) instead`);
}

/** No build before `loadKernels` has one. */
export function builtKernels(): KernelBuild | null {
  return null;
}
