/**
 * The Embedding's lookup and its gradient, F floats a row, four at a time
 * (src/kernels/embedding.ts copies in and out). Ids are checked to be in
 * [0, V) by the caller. docs/equations.md#embedding
 */
import { add, copy, ld, st, zero } from './rows';

/** y[n] = E[ids[n]] for n < N: rows of F floats. */
export function gatherRows(E: usize, ids: usize, N: i32, F: i32, y: usize): void {
  const rowBytes = <usize>F << 2;
  for (let n = 0; n < N; n++) {
    copy(y + <usize>n * rowBytes, E + <usize>load<i32>(ids + (<usize>n << 2)) * rowBytes, F); // y[n] = E[ids[n]]
  }
}

/**
 * ∂E [V, F] from ∂y [N, F]: zeros, then ∂E[ids[n]] += ∂y[n] for n = 0 … N − 1
 * in that order (tf.scatterND's order, so the same sums to the bit).
 */
export function scatterAddRows(ids: usize, dy: usize, N: i32, F: i32, V: i32, dE: usize): void {
  const rowBytes = <usize>F << 2;
  zero(dE, V * F);
  for (let n = 0; n < N; n++) {
    const dst = dE + <usize>load<i32>(ids + (<usize>n << 2)) * rowBytes, src = dy + <usize>n * rowBytes;
    for (let j = 0; j < F; j += 4) st(dst, j, F, add(ld(dst, j, F), ld(src, j, F))); // ∂E[ids[n]] += ∂y[n]
  }
}
