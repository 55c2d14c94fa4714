/**
 * The WebAssembly module of our kernels (assembly/, built by `npm run
 * build:wasm` into dist/kernels/recurrent.wasm and its relaxed-SIMD twin
 * recurrent-relaxed.wasm), instantiated once: in Node synchronously, from
 * the files (wasm_source.ts); in a browser once `loadKernels` has its bytes.
 * Its memory above `heapBase()` holds the blocks kept from one call to a
 * later one (`residentBlocks`); above them, it is laid out anew by each call (`Arena`).
 */
import { startHelper } from './helper_thread';
import { ResidentBlocks } from './resident';
import { KernelBuild, builtKernels, compiles, readBuild } from './wasm_source';
import { WasmMemory, wasmApi } from './wasm_api';
import { RecurrentInputError } from '../errors';

/** The module's exports (assembly/index.ts); addresses are byte offsets into `memory`. */
export interface KernelExports {
  memory: WasmMemory;
  heapBase(): number;
  readyAddress(): number;
  setHelper(mode: number): void;
  stopHelper(): void;
  sharedJobs(): number;
  helperFailures(): number;
  forwardWorkBytes(kind: number, B: number, T: number, H: number, D: number): number;
  backwardWorkBytes(kind: number, B: number, T: number, H: number, D: number): number;
  slotFloats(kind: number, B: number, H: number): number;
  packedBytes(K: number, N: number): number;
  pack(src: number, ldb: number, K: number, N: number, dst: number, transposed: number): void;
  gemm(M: number, N: number, K: number, a: number, sai: number, sak: number, bp: number, c: number, ldc: number, accumulate: number): void;
  gemv(K: number, N: number, x: number, bp: number, y: number): void;
  gatherRows(E: number, ids: number, N: number, F: number, y: number): void;
  scatterAddRows(ids: number, dy: number, N: number, F: number, V: number, dE: number): void;
  adam(n: number, g: number, m: number, v: number, θ: number, β1: number, β2: number, oneMinusβ1: number, oneMinusβ2: number, oneMinusβ1t: number, oneMinusβ2t: number, ε: number, negα: number): void;
  forward(
    kind: number, B: number, T: number, H: number, D: number, flags: number, φ: number, σ: number,
    X: number, W: number, bIn: number, U: number, bR: number, h0: number, c0: number, mask: number, rdm: number,
    out: number, hT: number, cT: number, cache: number, work: number,
  ): void;
  backward(
    kind: number, B: number, T: number, H: number, D: number, flags: number, φ: number, σ: number,
    X: number, W: number, U: number, mask: number, rdm: number, cache: number, dOut: number, dHT: number, dCT: number,
    dX: number, dW: number, dbIn: number, dU: number, dbR: number, dH0: number, dC0: number, work: number,
  ): void;
  planBytes(layers: number): number;
  stepWorkBytes(kind: number, B: number, H: number): number;
  planModel(plan: number, layers: number, B: number, F: number, E: number, EW: number, maskZero: number, ids: number, x0: number, K: number, N: number, pWd: number, bd: number, logits: number): void;
  planLayer(plan: number, i: number, kind: number, H: number, D: number, φ: number, σ: number, pW: number, b: number, pU: number, pU2: number, bR: number, h: number, c: number, work: number): void;
  generateStep(plan: number): void;
}

let loaded: KernelExports | null | undefined;
let sequenceCalls = 0;

/** How many sequences (forward or backward passes of a recurrent layer) the kernels have run in this process or page. */
export function kernelSequenceCalls(): number {
  return sequenceCalls;
}
let loadedFrom: string | null = null;
let stopHelper: (() => void) | null = null;

/**
 * Loads the kernels from `file` instead (tests load deliberately broken
 * builds, to show that the comparisons catch them); null goes back to the built one.
 */
export function loadKernelModuleFrom(file: string | null): void {
  useKernelBuild(file ? readBuild(file) : undefined);
}

/** Runs the kernels of `build` from now on (undefined: the built one, found at the next call; null: none). */
export function useKernelBuild(build: KernelBuild | null | undefined): void {
  stopKernelHelper();
  loaded = build ? instantiate(build) : build;
}

/**
 * Compiles and instantiates the module on a new shared memory (64 KB pages,
 * up to 4 GB), and starts its helper thread.
 */
function instantiate(build: KernelBuild): KernelExports {
  loadedFrom = build.source;
  compiles(build.bytes); // (else the compile below says why)
  const module = new wasmApi.Module(build.bytes);
  const memory = new wasmApi.Memory({ initial: 16, maximum: 65536, shared: true });
  const k = checked(new wasmApi.Instance(module, { env: { memory } }).exports as unknown as KernelExports);
  stopHelper = startHelper(module, memory, k);
  return k;
}

/** A kernel call during which the helper thread failed: its result is incomplete (the caller names itself in front of the message). */
export class KernelHelperError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelHelperError';
  }
}

/** The exports whose calls may hand part of their work to the helper thread. */
const SHARING = ['forward', 'backward', 'gemm', 'adam', 'generateStep'] as const;

/**
 * The module's exports, with each call that may share its work checked (and
 * each sequence counted, for {@link kernelSequenceCalls}): if
 * the helper failed during it, its part was not computed, and the call
 * throws instead of returning half a result (later calls run on one thread).
 */
function checked(k: KernelExports): KernelExports {
  const out = { ...k };
  for (const name of SHARING) {
    const call = k[name] as (...args: number[]) => void;
    const sequence = name === 'forward' || name === 'backward';
    (out as Record<string, unknown>)[name] = (...args: number[]) => {
      if (sequence) sequenceCalls++;
      const failures = k.helperFailures();
      call(...args);
      if (k.helperFailures() !== failures) {
        throw new KernelHelperError(`the kernels' helper thread failed during this call (${name}), so its result is incomplete and was not used; the kernels run on one thread from now on`);
      }
    };
  }
  return out;
}

/** Stops the kernels' helper thread, if one runs (tests do, after each file); the kernels go on in one thread. */
export function stopKernelHelper(): void {
  stopHelper?.();
  stopHelper = null;
}

/** Where the kernels were loaded from (the path of recurrent.wasm or recurrent-relaxed.wasm, or a URL in a browser), or null when none was. */
export function kernelModuleFile(): string | null {
  return kernelModule() ? loadedFrom : null;
}

/** The kernels, or null when the module was not built (then the layers use their tf-op path). */
export function kernelModule(): KernelExports | null {
  if (loaded !== undefined) return loaded;
  const build = builtKernels();
  loaded = build ? instantiate(build) : null;
  return loaded;
}

/** The kernels, or an error naming `who` when the module was not built. */
export function requireKernels(who: string): KernelExports {
  const k = kernelModule();
  if (!k) throw new Error(`${who}: the kernel module is not built (npm run build:wasm)`);
  return k;
}

const resident = new WeakMap<KernelExports, ResidentBlocks>();

/** The blocks of `k`'s memory kept between calls. */
export function residentBlocks(k: KernelExports): ResidentBlocks {
  let r = resident.get(k);
  if (!r) resident.set(k, (r = new ResidentBlocks(k.heapBase())));
  return r;
}

/**
 * Addresses for one call, handed out in order (16-byte aligned) from `base`:
 * by default above the module's resident blocks. `view()` grows the memory to
 * fit what was taken and returns a Float32Array over it; take everything before asking for it.
 */
export class Arena {
  private end: number;
  constructor(private readonly k: KernelExports, base = residentBlocks(k).end) {
    this.end = base;
  }

  /** An address for `bytes` bytes. */
  bytes(bytes: number): number {
    const at = this.end;
    this.end = Math.ceil((at + bytes) / 16) * 16;
    return at;
  }

  /** An address for `n` floats. */
  floats(n: number): number {
    return this.bytes(4 * n);
  }

  /** The first address above everything taken. */
  get top(): number {
    return this.end;
  }

  /**
   * The memory as floats, grown to hold everything taken; an error naming
   * `who` and the bytes wanted when it cannot grow that far (nothing is written then).
   */
  view(who = 'kernels'): Float32Array {
    const mem = this.k.memory;
    const short = this.end - mem.buffer.byteLength;
    if (short > 0) {
      if (this.end > KERNEL_MEMORY_BYTES) throw memoryError(who, this.end);
      try {
        mem.grow(Math.ceil(short / 65536));
      } catch (e) {
        throw memoryError(who, this.end, (e as Error).message);
      }
    }
    return new Float32Array(mem.buffer);
  }
}

/** The most the kernels' memory holds: 65,536 pages of 64 KiB (WebAssembly's 32-bit addresses). */
export const KERNEL_MEMORY_BYTES = 2 ** 32;

const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** The error of a call that needs more of the kernels' memory than it can have. */
export function memoryError(who: string, bytes: number, why?: string): RecurrentInputError {
  return new RecurrentInputError(
    `${who}: this call needs ${MB(bytes)} of the kernels' memory, which holds at most ${MB(KERNEL_MEMORY_BYTES)}` +
      `${why ? ` and could not grow (${why})` : ''}; split the batch, or the sequence (a stateful layer carries its state across chunks)`,
  );
}
