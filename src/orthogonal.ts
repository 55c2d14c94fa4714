/**
 * The `orthogonal` initializer, as Keras 3's `Orthogonal`
 * (keras/src/initializers/random_initializers.py):
 *
 *   rows = ∏ shape[:-1],  cols = shape[-1]
 *   a ~ N(0, 1)  [max(rows, cols), min(rows, cols)]
 *   q, r = qr(a);  q ← q · sign(diag(r))            (the unique Q with diag(R) > 0)
 *   W = gain · (rows ≥ cols ? q : qᵀ), reshaped to `shape`
 *
 * so W has orthonormal columns (rows ≥ cols) or rows (rows < cols), and is
 * distributed uniformly (Haar) among such matrices. Q comes from a blocked
 * Householder QR whose products run in the kernels' gemm (linalg/thin_q.ts):
 * LSTM(1024)'s recurrent kernel [1024, 4096] in about a second. (Computed
 * here rather than by `tf.initializers.orthogonal`, which warns on every
 * matrix over 2,000 elements and runs a slow QR.)
 */
import { tf } from './tf';
import { RecurrentConfigError } from './errors';
import { thinQt, type QrPath } from './linalg/thin_q';
import { transposeInto } from './linalg/transpose';

/**
 * A (semi-)orthogonal matrix of `shape` (rank ≥ 2) as Keras's `Orthogonal`,
 * from a seeded standard-normal draw.
 *
 * @example
 * const U = orthogonal([4, 16], 1, 7); // [4, 16], U Uᵀ = I
 */
export function orthogonal(shape: number[], gain = 1, seed?: number): tf.Tensor {
  const [m, n] = flatShape(shape);
  const draw = tf.randomNormal([m, n], 0, 1, 'float32', seed);
  // (Read outside tf.tidy: tidy walks a returned typed array element by element, 6 s for LSTM(1024)'s.)
  const a = draw.dataSync() as Float32Array;
  draw.dispose();
  return tf.tensor(orthogonalFromNormal(a, shape, gain), shape, 'float32');
}

/**
 * Keras's `Orthogonal` for a given normal draw `a` ([max(rows, cols),
 * min(rows, cols)], row-major, as Keras draws it): the values of the
 * `shape`-shaped result, row-major. `path` picks where the products run.
 */
export function orthogonalFromNormal(a: Float32Array, shape: number[], gain = 1, path: QrPath = 'kernels'): Float32Array {
  const [m, n, rows, cols] = flatShape(shape);
  if (a.length !== m * n) throw new RecurrentConfigError(`orthogonal: the normal draw must have ${m * n} values for shape [${shape.join(', ')}], got ${a.length}`);
  const qt = thinQt(a, m, n, path); //                                        qᵀ [n, m], diag(R) > 0
  if (rows < cols) {
    if (gain !== 1) for (let i = 0; i < qt.length; i++) qt[i] *= gain;
    return qt; //                                                             W = gain · qᵀ  [n, m]
  }
  const out = new Float32Array(rows * cols);
  transposeInto(qt, n, m, out, 0, gain); //                                   W = gain · q   [m, n]
  return out;
}

/** [m, n, rows, cols]: the normal draw's shape [max, min] and the flattened result's [rows, cols]. */
function flatShape(shape: number[]): [number, number, number, number] {
  if (shape.length < 2) throw new RecurrentConfigError(`orthogonal: shape must have rank >= 2, got [${shape.join(', ')}]`);
  const rows = shape.slice(0, -1).reduce((x, y) => x * y, 1);
  const cols = shape[shape.length - 1];
  return [Math.max(rows, cols), Math.min(rows, cols), rows, cols];
}
