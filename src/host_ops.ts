/**
 * Cutting and joining tensors along time, done on host memory when
 * the backend keeps its tensors there (`cpu`, `wasm`) and no gradient tape is
 * recording. Measured here with `npm run bench:kernels` (tfjs 4.22; the table
 * is in docs/benchmarks.md):
 *
 * - wasm's `slice`/`split`/`unstack` read the whole input back from the wasm
 *   heap for every piece they cut, so `unstack` over T steps costs O(T · size):
 *   0.4–1.1 s for [32, 100, 512] into 100 steps, against about 1 ms here;
 *  - `gather` computes the source of every element, on both: 38 ms (wasm) and
 *   66 ms (cpu) for 32,000 rows of 32 floats from a [23000, 32] table,
 *   against 2–3 ms here (measured 2026-11-25; the Embedding's lookup runs
 *   in the kernels where they are built, src/kernels/embedding.ts, and
 *   `gatherRows` is its path where they are not).
 *
 * On wasm the new tensors are allocated on its heap first and the floats
 * copied straight into them, with no JavaScript array in between (`make`,
 * which the kernels' op uses too). On wasm,
 * `stackTime` uses tf.stack, which is the faster there.
 *
 * These copies are not differentiable, so they are only used where nothing
 * is taped: inside the forward and backward functions of a `tf.customGrad`
 * (explicit BPTT) and in inference. Elsewhere the tf op runs, with its
 * gradient. Values are identical either way: these functions only move floats.
 */
import { tf } from './tf';
import { RecurrentInputError } from './errors';
import { copiesOnHost, sliceOnHost, stackOnHost, wasmHeap } from './placement';

/**
 * New float32 tensors of the given shapes whose values `fill` writes. `fill`
 * receives their arrays and `read`, which gives the floats of an input tensor.
 * On wasm the arrays are views into the heap, made after every allocation (an
 * allocation may move the heap, so nothing may be allocated inside `fill`);
 * their contents start undefined, so `fill` writes every element.
 */
export function make(shapes: number[][], fill: (outs: Float32Array[], read: (t: tf.Tensor) => Float32Array) => void): tf.Tensor[] {
  const w = wasmHeap();
  if (w) {
    const infos = shapes.map((s) => w.makeOutput(s, 'float32'));
    const outs = tf.tidy(() => infos.map((info) => tf.engine().makeTensorFromTensorInfo(info)));
    fill(outs.map((o) => w.typedArrayFromHeap(o)), (t) => w.typedArrayFromHeap(t));
    return outs;
  }
  const arrays = shapes.map((s) => new Float32Array(s.reduce((p, d) => p * d, 1)));
  fill(arrays, (t) => t.dataSync() as Float32Array);
  return arrays.map((a, i) => tf.tensor(a, shapes[i], 'float32'));
}

/**
 * Copies `rows` runs of `len` floats: run r from src[srcAt(r)] to dst[dstAt(r)].
 * Every function below is made of such runs.
 */
function copyEach(src: Float32Array, dst: Float32Array, rows: number, len: number, srcAt: (r: number) => number, dstAt: (r: number) => number): void {
  if (src.buffer === dst.buffer) {
    // Both on the wasm heap: copyWithin on one view of it makes no view per run (half the time for [32, 128] into 4).
    const heap = new Float32Array(src.buffer);
    const [s0, d0] = [src.byteOffset / 4, dst.byteOffset / 4];
    for (let r = 0; r < rows; r++) heap.copyWithin(d0 + dstAt(r), s0 + srcAt(r), s0 + srcAt(r) + len);
    return;
  }
  for (let r = 0; r < rows; r++) dst.set(src.subarray(srcAt(r), srcAt(r) + len), dstAt(r));
}

/** `copyEach` with evenly spaced runs: run r from src[srcAt + r·srcStride] to dst[dstAt + r·dstStride]. */
function copyRuns(src: Float32Array, srcAt: number, srcStride: number, dst: Float32Array, dstAt: number, dstStride: number, rows: number, len: number): void {
  copyEach(src, dst, rows, len, (r) => srcAt + r * srcStride, (r) => dstAt + r * dstStride);
}

/** The ids' values, each checked to be a row of a V-row table (an integer in [0, V), on every backend, so that each says the same); else an error naming `who`. */
export function rowIds(who: string, ids: tf.Tensor, V: number): tf.TypedArray {
  const idx = ids.dataSync();
  for (let n = 0; n < idx.length; n++) {
    if (!(Number.isInteger(idx[n]) && idx[n] >= 0 && idx[n] < V)) throw new RecurrentInputError(`${who} expects ids in [0, ${V}), got ${idx[n]} at position ${n}`);
  }
  return idx;
}

/** table [V, F], ids [N] → [N, F], row n = table[ids[n]]: `tf.gather(table, ids)`. An id outside [0, V) is an error, as in tf.gather. */
export function gatherRows(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const [V, F] = table.shape;
  const idx = rowIds('gatherRows', ids, V);
  if (!copiesOnHost(table)) return tf.gather(table, ids);
  return make([[idx.length, F]], ([o], read) => copyEach(read(table), o, idx.length, F, (n) => idx[n] * F, (n) => n * F))[0] as tf.Tensor2D; // row n = table[ids[n]]
}

/** N × [B_n, F] → [Σ B_n, F]: `tf.concat(parts, 0)`. */
export function concatRows(parts: tf.Tensor2D[]): tf.Tensor2D {
  if (parts.length === 1) return parts[0];
  if (!parts.every(copiesOnHost)) return tf.concat(parts, 0);
  const F = parts[0].shape[1];
  const rows = parts.reduce((n, p) => n + p.shape[0], 0);
  return make([[rows, F]], ([o], read) => {
    let offset = 0;
    for (const p of parts) {
      o.set(read(p), offset);
      offset += p.size;
    }
  })[0] as tf.Tensor2D;
}

/**
 * [B, T, F] → T × [B, F]: `tf.unstack(x, 1)`; for T = 1 a reshape, whose
 * gradient tfjs computes (tfjs 4.22's gradient of unstack fails for one
 * output: it receives ∂y, not [∂y]).
 */
export function timeSteps(x: tf.Tensor3D): tf.Tensor2D[] {
  if (x.shape[1] === 1) return [tf.reshape(x, [x.shape[0], x.shape[2]]) as tf.Tensor2D];
  if (!copiesOnHost(x)) return tf.unstack(x, 1) as tf.Tensor2D[];
  const [B, T, F] = x.shape;
  return make(Array.from({ length: T }, () => [B, F]), (outs, read) => {
    const v = read(x);
    outs.forEach((o, t) => copyRuns(v, t * F, T * F, o, 0, F, B, F)); // step t: x[b, t, :] for every b
  }) as tf.Tensor2D[];
}

/** T × [B, F] → [B, T, F]: `tf.stack(steps, 1)` (on the host for cpu only: wasm's own stack is the faster there, 0.5 against 1.1 ms for 100 × [32, 128]). */
export function stackTime(steps: tf.Tensor2D[]): tf.Tensor3D {
  if (!stackOnHost(steps)) return tf.stack(steps, 1) as tf.Tensor3D;
  const [B, F] = steps[0].shape;
  const T = steps.length;
  return make([[B, T, F]], ([o], read) => {
    steps.forEach((s, t) => copyRuns(read(s), 0, F, o, t * F, T * F, B, F));
  })[0] as tf.Tensor3D;
}

/**
 * x[:, begin : begin + size, :] of x [B, T, F], differentiable: `tf.slice`,
 * or on the host, with the gradient placing ∂y back into zeros of x's shape.
 * (cpu's slice along axis 1 walks every element: 14 ms for a [32, 3, 32] split.)
 */
export function sliceTime(x: tf.Tensor3D, begin: number, size: number): tf.Tensor3D {
  const [B, T, F] = x.shape;
  if (!sliceOnHost(x)) return tf.slice(x, [0, begin, 0], [B, size, F]);
  const f = (t: tf.Tensor3D) => ({
    value: make([[B, size, F]], ([o], read) => copyRuns(read(t), begin * F, T * F, o, 0, size * F, B, size * F))[0], // y = x[:, begin:begin+size]
    gradFunc: (dy: tf.Tensor3D) => make([[B, T, F]], ([o], read) => { //                                       ∂x = ∂y in place, zeros elsewhere
      o.fill(0);
      copyRuns(read(dy), 0, size * F, o, begin * F, T * F, B, size * F);
    })[0],
  });
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0])(x) as tf.Tensor3D;
}
