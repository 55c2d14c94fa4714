/**
 * Where the math runs: the one module that decides, for each call, which
 * path an op takes. It reads the backend (`tf.getBackend()`), whether our
 * kernels are built (`kernelModule()`), whether a gradient tape is recording,
 * a recurrent layer's flags and `placementOptions`; nothing else in the
 * package tests a backend's name. (The environment variables that choose the
 * kernels' build and threads are read in src/environment.ts.)
 *
 * | op                                   | cpu                  | wasm                           | tensorflow              |
 * |--------------------------------------|----------------------|--------------------------------|-------------------------|
 * | a recurrent layer's sequence         | kernels              | kernels                        | kernels                 |
 * | an RNN of a user's cell              | tf ops, autodiff     | tf ops, autodiff               | tf ops, autodiff        |
 * | its input projection X W + b         | in the kernels       | in the kernels                 | tf.matMul before them   |
 * | products (projection, Dense)         | kernels' gemm        | tf.matMul, transposes explicit | tf.matMul               |
 * | Embedding lookup / its scatter-add   | kernels / kernels    | kernels / tf.scatterND         | tf ops                  |
 * | Adam's step                          | kernels              | kernels                        | kernels                 |
 * | a text generator's step              | kernels              | kernels                        | kernels                 |
 * | copies along time (untaped float32)  | host arrays          | the wasm heap                  | tf ops                  |
 *
 * On a browser's GPU backends (`webgl`, `webgpu`) every op is a tf op (the
 * loss and Adam tfjs's own), the text generator's steps excepted (its weights
 * are copied into the kernels once): nothing is read back in a training step.
 *
 * The kernels run where they are built and compute the cell (its
 * activations); a layer's sequence falls back to the tf-op cells, with the
 * hand-written backward through time when a tape records and the cell has
 * one, else tfjs's autodiff. (A recurrent layer here is SimpleRNN, LSTM, GRU
 * or an RNN of our cells, a stack of them cell by cell; a user's cell has no
 * kernels and no hand-written backward: its own tf ops, step by step.) Each figure behind a choice is in the module
 * that runs it (src/matmul.ts, src/host_ops.ts, src/kernels/).
 */
import { tf } from './tf';
import { KernelExports, kernelModule } from './kernels/module';
import { kernelCodes } from './kernels/codes';

/**
 * Choices a caller may force (tests and benchmarks compare the paths).
 * `projection`: where a recurrent layer's X W + b runs when the kernels run its
 * sequence: 'kernels', 'tf' (tf's matMul before them), or 'auto': tf's on
 * `tensorflow`, whose matMul (about 177 GFLOP/s here) outruns the kernels'
 * (about 27 a thread), the kernels' elsewhere (tfjs-wasm's is about 30 on one thread, cpu's 0.4).
 * `generation`: where a text generator's steps run: 'auto' (the kernels where
 * they are built) or 'host' (plain JavaScript; tests compare the two).
 */
export const placementOptions: { projection: 'auto' | 'kernels' | 'tf'; generation: 'auto' | 'host' } = { projection: 'auto', generation: 'auto' };

/** True when ops are not being recorded for a gradient (tfjs tapes only at kernel depth 0 inside a gradient scope). */
function untaped(): boolean {
  const state = tf.engine().state as unknown as { gradientDepth: number; kernelDepth: number };
  return state.gradientDepth === 0 || state.kernelDepth > 0;
}

/** Whether a gradient tape is recording the ops run now (in inference it is not, and no backward pass will be needed). */
export function recording(): boolean {
  return !untaped();
}

/** The gradient tape recording now (tfjs makes a new one for each outermost gradient computation). */
export function activeTape(): unknown {
  return (tf.engine().state as unknown as { activeTape: unknown }).activeTape;
}

// ---- recurrent layers -------------------------------------------------------------------------

/** The three paths of a recurrent layer's call. */
export type SequencePath = 'kernels' | 'bptt' | 'autodiff';

/** What a recurrent layer tells the placement about itself. */
export interface SequenceCaller {
  /** The layer's flag: the kernels may run it. */
  useKernels: boolean;
  /** The layer's flag: tfjs's autodiff through the cells, always (the reference the others are tested against). */
  useAutodiff: boolean;
  /** Whether its cell has a hand-written backward step. */
  hasBPTT: boolean;
  /** Its cell's activations as the kernels would run them; null where the kernels have no such cell. */
  kernelActivations: [string, string] | null;
}

/**
 * The path of one call: 'kernels' (the whole sequence, forward and backward,
 * in our WebAssembly kernels), 'bptt' (the tf-op cells, with their
 * hand-written backward through time, when a tape records), or 'autodiff'
 * (the tf-op cells; tfjs differentiates them if a tape records).
 */
export function sequencePath(layer: SequenceCaller): SequencePath {
  if (layer.useAutodiff) return 'autodiff';
  if (layer.useKernels && layer.kernelActivations && kernelsCompute(layer.kernelActivations)) return 'kernels';
  return layer.hasBPTT && recording() ? 'bptt' : 'autodiff';
}

/**
 * The backends whose tensors live in the host's memory, where the kernels
 * read and write them; on a GPU backend (`webgl`, `webgpu` in a browser) a
 * recurrent layer takes its tf-op path, whose steps stay on the GPU.
 */
const HOST_MEMORY = ['cpu', 'wasm', 'tensorflow'];

/** Whether the kernels are built, run on this backend, and compute both activations. */
function kernelsCompute(activations: [string, string]): boolean {
  if (!hostMemory()) return false;
  const k = kernelModule();
  if (!k) return false;
  const codes = kernelCodes(k).activations;
  return activations.every((a) => a in codes);
}

/** Whether the kernels compute a recurrent layer's X W + b themselves (see `placementOptions`). */
export function kernelsProject(): boolean {
  return placementOptions.projection === 'auto' ? tf.getBackend() !== 'tensorflow' : placementOptions.projection === 'kernels';
}

// ---- products ---------------------------------------------------------------------------------

/**
 * Where the products of src/matmul.ts run: 'kernels' (cpu with the kernels
 * built: their gemm), 'explicitTransposes' (wasm: tf.matMul on operands
 * transposed first), or 'tf' (tf.matMul and its own gradient).
 */
export function productPath(): 'kernels' | 'explicitTransposes' | 'tf' {
  const b = tf.getBackend();
  if (b === 'cpu' && kernelModule() !== null) return 'kernels';
  return b === 'wasm' ? 'explicitTransposes' : 'tf';
}

// ---- copies -----------------------------------------------------------------------------------

/** Whether `t`'s floats are moved on the host (src/host_ops.ts): a host-memory backend, nothing taped, float32. */
export function copiesOnHost(t: tf.Tensor): boolean {
  const b = tf.getBackend();
  return (b === 'cpu' || b === 'wasm') && t.dtype === 'float32' && untaped();
}

/** Whether a slice along time of `x` runs on the host, taped or not (host_ops.ts's `sliceTime` gives it a gradient). */
export function sliceOnHost(x: tf.Tensor): boolean {
  const b = tf.getBackend();
  return (b === 'cpu' || b === 'wasm') && x.dtype === 'float32';
}

/** Whether steps are stacked along time on the host: cpu only (wasm's own stack is the faster there). */
export function stackOnHost(steps: tf.Tensor[]): boolean {
  return tf.getBackend() !== 'wasm' && steps.every(copiesOnHost);
}

/** The parts of the wasm backend that new tensors are made in place with. */
export interface WasmHeap {
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/** The wasm backend, when it is the active one (it has both methods in tfjs 4.22): new tensors are filled in its heap. */
export function wasmHeap(): WasmHeap | null {
  if (tf.getBackend() !== 'wasm') return null;
  const b = tf.backend() as unknown as Partial<WasmHeap>;
  return typeof b.typedArrayFromHeap === 'function' && typeof b.makeOutput === 'function' ? (b as WasmHeap) : null;
}

// ---- Embedding and Adam -----------------------------------------------------------------------

/**
 * Rows of the table per id, at most, for the kernels to run the Embedding's ops (src/kernels/embedding.ts): each call
 * copies the whole table in (or ∂E out), which pays only when the ids are
 * many beside it. Measured once (cpu, a script timing 10 calls of each
 * after 3 of warm-up): 3,200 ids of 32 floats,
 * the lookup from 10,000 rows 0.26 ms in the kernels against 0.39 on the
 * host, from 20,000 rows 0.33 against 0.30, from 40,000 0.48 against 0.35;
 * 64 ids from [100000, 128], 6.7 ms against 0.05. The scatter-add: 0.40
 * against scatterND's 0.83 (10,000 rows), 1.56 against 2.24 (40,000), 10.1
 * against 3.7 (100,000).
 */
const ROWS_PER_ID = 4;

/**
 * The kernels, when they run an Embedding's op for a [V, ·] float32 table and
 * N ids: the lookup on cpu and wasm, the scatter-add of its gradient on cpu
 * (wasm's tf.scatterND works in place in its heap), V ≤ 4 N; else null.
 */
export function embeddingKernels(op: 'gather' | 'scatter', t: tf.Tensor, V: number, N: number): KernelExports | null {
  const b = tf.getBackend();
  const here = b === 'cpu' || (b === 'wasm' && op === 'gather');
  return here && t.dtype === 'float32' && V <= ROWS_PER_ID * N ? kernelModule() : null;
}

/**
 * The kernels for the products of host-side linear algebra (the orthogonal
 * initializer's QR, src/linalg/): wherever they are built and load; null
 * where they do not (then plain JavaScript runs them, slower).
 */
export function linalgKernels(): KernelExports | null {
  try {
    return kernelModule();
  } catch {
    return null; // (a runtime that cannot load them)
  }
}

/**
 * The kernels for Adam's fused step (src/training/adam.ts): wherever they are
 * built and the variables live in the host's memory; on a GPU backend, tfjs's
 * own Adam (the kernels would read every variable back from the GPU each step).
 */
export function adamKernels(): KernelExports | null {
  return hostMemory() ? kernelModule() : null;
}

/**
 * Whether the tensors live in the host's memory, where reading one back
 * (`dataSync`) is a copy: our host-side loss (src/training/losses.ts) and the
 * backward's second check of an Embedding's ids (src/kernels/embedding.ts) run
 * only there. On a GPU backend they would read back in every step, and
 * webgpu's synchronous read (tfjs 4.22: a copy through a canvas) gives zeros
 * and loses the device in headless Chromium.
 */
export function hostMemory(): boolean {
  return HOST_MEMORY.includes(tf.getBackend());
}

// ---- text generation ----------------------------------------------------------------------------

/**
 * The kernels for a text generator's steps (src/generation/): wherever they
 * are built, on every backend, as a recurrent layer's sequence (one step is
 * a few small products: tf ops would cost more in dispatch than in
 * arithmetic, tens of microseconds each); null where they are not built or
 * do not load, or `placementOptions.generation` is 'host' (then plain
 * JavaScript runs them).
 */
export function generationKernels(): KernelExports | null {
  if (placementOptions.generation === 'host') return null;
  try {
    return kernelModule();
  } catch {
    return null; // (a runtime that cannot load them: plain JavaScript runs the steps)
  }
}
