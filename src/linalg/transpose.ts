/**
 * out[j, i] = scale · x[i, j] for x [rows, cols] row-major, written at
 * `offset` of `out` ([cols, rows], row-major). In tiles of 64 × 64, so that
 * both sides are read and written a cache line at a time.
 */
export function transposeInto(x: ArrayLike<number>, rows: number, cols: number, out: Float32Array, offset = 0, scale = 1): void {
  const B = 64;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(rows, i0 + B);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(cols, j0 + B);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[offset + j * rows + i] = scale * x[i * cols + j];
    }
  }
}
