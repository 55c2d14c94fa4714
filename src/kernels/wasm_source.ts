/**
 * Where the kernels' WebAssembly comes from in Node: the files that `npm run
 * build:wasm` writes into dist/kernels/ (recurrent.wasm, plain SIMD, and its
 * relaxed-SIMD twin recurrent-relaxed.wasm), read synchronously. The
 * browser's twin, wasm_source.browser.ts, has its bytes fetched or inlined
 * (src/kernels/load_kernels.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { plainSimdAsked } from '../environment';
import { wasmApi } from './wasm_api';

/** What `kernelsInfo` says when no build loaded. */
export const NOT_LOADED = 'the kernel module is not built (npm run build:wasm)';

/** A build of the kernels: its bytes, and where they came from (a path, or a URL in a browser). */
export interface KernelBuild {
  bytes: Uint8Array;
  source: string;
}

/**
 * Where the built module is: beside this file in dist/kernels/, or, when this
 * file runs from src/ (tests) or build/src/ (bench), in the package's dist/kernels/.
 */
function candidates(): string[] {
  const found = [path.join(__dirname, 'recurrent.wasm')];
  for (let dir = __dirname, i = 0; i < 4; i++, dir = path.dirname(dir)) found.push(path.join(dir, 'dist', 'kernels', 'recurrent.wasm'));
  return found;
}

/**
 * Whether this runtime compiles `bytes`. Node 20's V8 has relaxed SIMD behind
 * a flag, which is turned on for a module that needs it: the flag adds
 * WebAssembly instructions and changes nothing else (from Node 22 they are on by default).
 */
export function compiles(bytes: Uint8Array): boolean {
  if (wasmApi.validate(bytes)) return true;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return wasmApi.validate(bytes);
}

/** The build in `file`. */
export function readBuild(file: string): KernelBuild {
  return { bytes: fs.readFileSync(file), source: file };
}

/**
 * The build to load: the relaxed-SIMD twin of the plain build found, whose
 * products use fused multiply-adds (1.2–1.4× the speed here), when this
 * runtime compiles it; `TFJS_RECURRENT_SIMD=plain` keeps the plain build.
 * Null when the module was not built (then the layers use their tf-op path).
 */
export function builtKernels(): KernelBuild | null {
  const file = candidates().find((f) => fs.existsSync(f));
  if (!file) return null;
  const relaxed = path.join(path.dirname(file), 'recurrent-relaxed.wasm');
  if (!plainSimdAsked() && fs.existsSync(relaxed)) {
    const build = readBuild(relaxed);
    if (compiles(build.bytes)) return build;
  }
  return readBuild(file);
}
