/**
 * The Embedding's lookup y = E[ids] and its gradient, a scatter-add of ∂y's
 * rows into ∂E, in our kernels (assembly/embedding.ts): E and the ids cross
 * in as one copy each, the rows out as one. The lookup runs there on cpu and
 * wasm, the scatter-add on cpu, when the ids are many beside the table
 * (src/placement.ts: `embeddingKernels`); elsewhere the host copy of src/host_ops.ts, tf.gather and
 * tf.scatterND run (natively on tensorflow). Values are the same either way:
 * a gather moves floats, and the scatter adds each row in tf.scatterND's order.
 * docs/equations.md#embedding
 *
 * `npm run bench:kernels` (two runs), 3,200 ids into a [10000, 32] table
 * (the bench's Embedding step), reading the result back included:
 * - the lookup: cpu 0.27–0.35 ms against tf.gather's 9.75–15.5, wasm 0.28
 *   against 4.91 (the host copy of src/host_ops.ts used before took
 *   0.45–0.64 ms in a training step);
 * - the scatter-add: cpu 0.41–0.56 ms against tf.scatterND's 1.16–1.59; on
 *   wasm, scatterND (0.34) works in place in its heap, and the copies in and
 *   out make ours the slower (0.41–0.44), so wasm keeps scatterND.
 */
import { tf } from '../tf';
import { gatherRows, make, rowIds } from '../host_ops';
import { Arena, KernelExports } from './module';
import { embeddingKernels, hostMemory } from '../placement';

/** How many lookups and scatters the kernels have run (tests read it to know which path ran). */
export const embeddingCalls = { lookup: 0, scatter: 0 };

/**
 * table [V, F], ids [N] → [N, F], row n = table[ids[n]] (`tf.gather(table,
 * ids)`); an id outside [0, V) is an error. Not differentiable by itself
 * (src/layers/embedding.ts gives it its gradient, `scatterAddRows`).
 */
export function lookupRows(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const [V, F] = table.shape;
  const k = embeddingKernels('gather', table, V, ids.size);
  if (!k) return gatherRows(table, ids);
  const idx = rowIds('lookupRows', ids, V);
  const N = idx.length;
  return make([[N, F]], ([y], read) => {
    const a = new Arena(k);
    const p = { E: a.floats(V * F), ids: a.bytes(4 * N), y: a.floats(N * F) };
    const view = a.view();
    view.set(read(table), p.E / 4);
    new Int32Array(view.buffer, p.ids, N).set(idx);
    embeddingCalls.lookup++;
    k.gatherRows(p.E, p.ids, N, F, p.y); //                                y[n] = E[ids[n]]
    y.set(view.subarray(p.y / 4, p.y / 4 + N * F));
  })[0] as tf.Tensor2D;
}

/**
 * ∂E [V, F] from the ids [N] and ∂y [N, F]: ∂E[v] = Σ_{n: ids[n] = v} ∂y[n]
 * (`tf.scatterND` of ∂y at the ids, the same sums to the bit); an id
 * outside [0, V) is an error, on every path.
 */
export function scatterAddRows(ids: tf.Tensor1D, dy: tf.Tensor2D, V: number): tf.Tensor2D {
  const k = embeddingKernels('scatter', dy, V, ids.size);
  if (k) return kernelScatterAddRows(k, ids, dy, V);
  if (hostMemory()) rowIds('scatterAddRows', ids, V); // (tfjs-wasm's scatterND writes outside its heap for such an id; on a GPU the forward checked them)
  return tf.scatterND(tf.reshape(ids, [-1, 1]), dy, [V, dy.shape[1]]);
}

/** `scatterAddRows` in the kernels `k`, on any backend (`npm run bench:kernels` times it on wasm too). */
export function kernelScatterAddRows(k: KernelExports, ids: tf.Tensor1D, dy: tf.Tensor2D, V: number): tf.Tensor2D {
  const F = dy.shape[1];
  const idx = rowIds('scatterAddRows', ids, V);
  const N = idx.length;
  return make([[V, F]], ([dE], read) => {
    const a = new Arena(k);
    const p = { ids: a.bytes(4 * N), dy: a.floats(N * F), dE: a.floats(V * F) };
    const view = a.view();
    new Int32Array(view.buffer, p.ids, N).set(idx);
    view.set(read(dy), p.dy / 4);
    embeddingCalls.scatter++;
    k.scatterAddRows(p.ids, p.dy, N, F, V, p.dE); //                       ∂E[ids[n]] += ∂y[n]
    dE.set(view.subarray(p.dE / 4, p.dE / 4 + V * F));
  })[0] as tf.Tensor2D;
}
