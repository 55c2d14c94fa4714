import { tf } from '../src/tf';
import { orthogonal, resolveInitializer } from '../src/initializers';
import { orthogonalFromNormal } from '../src/orthogonal';
import type { QrPath } from '../src/linalg/thin_q';
import { LSTM, GRU, Embedding, resetNames } from '../src';
import { RecurrentConfigError } from '../src/errors';
import keras from './fixtures/orthogonal.json';

const PATHS: QrPath[] = ['kernels', 'js'];

/** A seeded standard-normal draw [m, n], as `orthogonal` makes it. */
function normal(m: number, n: number, seed: number): Float32Array {
  return tf.tidy(() => tf.randomNormal([m, n], 0, 1, 'float32', seed)).dataSync() as Float32Array;
}

/** max |G − g² I| for G = WᵀW (rows ≥ cols) or W Wᵀ, in float64. */
function gramError(w: Float32Array, rows: number, cols: number, gain = 1): number {
  const tall = rows >= cols;
  const n = Math.min(rows, cols);
  const len = Math.max(rows, cols);
  const at = (v: number, i: number) => (tall ? w[i * cols + v] : w[v * cols + i]); //  the v-th orthonormal vector's i-th entry
  let err = 0;
  for (let u = 0; u < n; u++) {
    for (let v = 0; v <= u; v++) {
      let s = 0;
      for (let i = 0; i < len; i++) s += at(u, i) * at(v, i);
      err = Math.max(err, Math.abs(s - (u === v ? gain * gain : 0)));
    }
  }
  return err;
}

/**
 * Q [m, n] of A = Q R with diag(R) > 0 by Gram–Schmidt, twice (each column's
 * projections are removed in two passes, which keeps Q orthogonal in
 * float64 for a well-conditioned A): r_jj = ‖a_j − Σ q_i q_iᵀ a_j‖ > 0.
 */
function gramSchmidtQ(a: Float32Array, m: number, n: number): Float64Array {
  const q = new Float64Array(m * n);
  const col = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    for (let r = 0; r < m; r++) col[r] = a[r * n + j];
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        let d = 0;
        for (let r = 0; r < m; r++) d += q[r * n + i] * col[r];
        for (let r = 0; r < m; r++) col[r] -= d * q[r * n + i];
      }
    }
    const norm = Math.sqrt(col.reduce((s, x) => s + x * x, 0));
    for (let r = 0; r < m; r++) q[r * n + j] = col[r] / norm;
  }
  return q;
}

const maxDiff = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  expect(x.length).toBe(y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
};

describe('initializers', () => {
  beforeEach(() => resetNames());

  test.each([[4, 16], [16, 4], [7, 7]])('orthogonal [%i, %i] has orthonormal rows or columns', (r, c) => {
    const err = tf.tidy(() => {
      const q = orthogonal([r, c], 1, 3);
      const gram = r <= c ? tf.matMul(q, q, false, true) : tf.matMul(q, q, true, false); // Q Qᵀ or Qᵀ Q
      return tf.max(tf.abs(tf.sub(gram, tf.eye(Math.min(r, c))))).dataSync()[0];
    });
    expect(err).toBeLessThan(1e-5);
  });

  test('orthogonal is seeded and scaled by gain', () => {
    const [a, b] = tf.tidy(() => [orthogonal([3, 6], 2, 11).arraySync(), orthogonal([3, 6], 2, 11).arraySync()]);
    expect(a).toEqual(b);
    const norm = Math.sqrt((a as number[][])[0].reduce((s, v) => s + v * v, 0));
    expect(norm).toBeCloseTo(2, 4);
  });

  // LSTM(64)'s, LSTM(96)'s and LSTM(256)'s recurrent kernels [H, 4H] (2, 3 and 8 panels of the blocked QR), square, tall, one row or column.
  test.each([[64, 256], [96, 384], [256, 1024], [96, 96], [200, 50], [1, 9], [9, 1]])('orthogonal [%i, %i] has orthonormal rows or columns on both paths', (r, c) => {
    const m = Math.max(r, c);
    const n = Math.min(r, c);
    const a = normal(m, n, r + c);
    for (const path of PATHS) expect(gramError(orthogonalFromNormal(a, [r, c], 1, path), r, c)).toBeLessThan(1e-5);
  });

  test('orthogonal of a rank-3 shape is orthogonal over its flattened [rows, cols]', () => {
    const w = orthogonal([2, 3, 40], 1, 5);
    expect(w.shape).toEqual([2, 3, 40]);
    expect(gramError(w.dataSync() as Float32Array, 6, 40)).toBeLessThan(1e-5);
    w.dispose();
  });

  // Tall (well conditioned) and square; 40 columns are two panels of the blocked QR. Observed: 1.1e-7, 1.7e-7.
  test.each([[90, 40], [40, 40]])('Q of a [%i, %i] normal draw is the unblocked Gram–Schmidt Q with diag(R) > 0', (m, n) => {
    const a = normal(m, n, 17);
    const ref = gramSchmidtQ(a, m, n);
    for (const path of PATHS) {
      const q = orthogonalFromNormal(a, [m, n], 1, path); //                 rows ≥ cols: W = Q
      expect(maxDiff(q, ref)).toBeLessThan(1e-6);
      // Independently of the reference: R = Qᵀ A is upper triangular with a positive diagonal.
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          let rij = 0;
          for (let k = 0; k < m; k++) rij += q[k * n + i] * a[k * n + j];
          if (i === j) expect(rij).toBeGreaterThan(0.1);
          else expect(Math.abs(rij)).toBeLessThan(1e-4);
        }
      }
    }
  });

  test("equals Keras 3's Orthogonal for the same normal draws (tall, wide, square, rank 3, [H, 4H], gain)", () => {
    expect(keras.cases.length).toBeGreaterThanOrEqual(8);
    for (const c of keras.cases) {
      for (const path of PATHS) {
        const w = orthogonalFromNormal(Float32Array.from(c.normal), c.shape, c.gain, path);
        // Keras computed in float64 from the same float32 draw (observed: at most 1.7e-7).
        expect(maxDiff(w, c.expected)).toBeLessThan(1e-6);
      }
    }
  });

  test('the kernels and JavaScript paths agree', () => {
    const a = normal(256, 64, 23);
    expect(maxDiff(orthogonalFromNormal(a, [64, 256], 1, 'kernels'), orthogonalFromNormal(a, [64, 256], 1, 'js'))).toBeLessThan(1e-5);
  });

  test('gain scales the matrix; the same seed gives the same matrix and another seed another', () => {
    const one = orthogonal([48, 192], 1, 9);
    const two = orthogonal([48, 192], 2.5, 9);
    const again = orthogonal([48, 192], 2.5, 9);
    const other = orthogonal([48, 192], 2.5, 10);
    const [w1, w2, w3, w4] = [one, two, again, other].map((t) => t.dataSync() as Float32Array);
    expect(maxDiff(w2, w1.map((x) => 2.5 * x))).toBeLessThan(1e-6);
    expect(gramError(w2, 48, 192, 2.5)).toBeLessThan(1e-4);
    expect(w3).toEqual(w2);
    expect(maxDiff(w4, w2)).toBeGreaterThan(0.1);
    const serialized = resolveInitializer('x', 'k', { className: 'Orthogonal', config: { gain: 2.5, seed: 9 } }, 'zeros').make([48, 192]);
    expect(serialized.dataSync()).toEqual(w2);
    tf.dispose([one, two, again, other, serialized]);
  });

  test('orthogonal and building an LSTM leave no tensors behind', () => {
    const n0 = tf.memory().numTensors;
    orthogonal([40, 160], 1, 1).dispose();
    expect(tf.memory().numTensors).toBe(n0);
    const lstm = new LSTM({ units: 40 });
    lstm.build([null, 5, 8]);
    expect(tf.memory().numTensors).toBe(n0 + lstm.getWeights().length); //  its kernel, recurrent kernel and bias only
    lstm.dispose();
  });

  test('orthogonal refuses a shape of rank < 2 and a draw of the wrong size', () => {
    expect(() => orthogonal([5], 1, 1)).toThrow(RecurrentConfigError);
    expect(() => orthogonal([5], 1, 1)).toThrow(/rank >= 2, got \[5\]/);
    expect(() => orthogonalFromNormal(new Float32Array(10), [4, 3])).toThrow(/must have 12 values for shape \[4, 3\], got 10/);
  });

  test('Keras names and serialized forms resolve to the same initializer', () => {
    expect(resolveInitializer('x', 'k', 'glorot_uniform', 'zeros').serialize().className).toBe('GlorotUniform');
    expect(resolveInitializer('x', 'k', { className: 'Orthogonal', config: { gain: 1 } }, 'zeros').serialize()).toEqual({ className: 'Orthogonal', config: { gain: 1 } });
    expect(resolveInitializer('x', 'k', undefined, 'uniform').serialize()).toEqual({ className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 } });
  });

  test('LSTM starts with a forget-gate bias of 1 (unitForgetBias), and without it all zeros', () => {
    const a = new LSTM({ units: 2 });
    a.build([null, 3, 4]);
    expect(a.getWeights()[2].arraySync()).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    const b = new LSTM({ units: 2, unitForgetBias: false });
    b.build([null, 3, 4]);
    expect(b.getWeights()[2].arraySync()).toEqual(new Array(8).fill(0));
  });

  test('Keras defaults: glorot-uniform kernel bound, orthogonal recurrent kernel, GRU bias [2, 3H], Embedding uniform ±0.05', () => {
    const g = new GRU({ units: 8 });
    g.build([null, 5, 16]);
    const [W, U, b] = g.getWeights();
    const limit = Math.sqrt(6 / (16 + 24));
    expect(tf.max(tf.abs(W)).dataSync()[0]).toBeLessThanOrEqual(limit);
    const uut = tf.matMul(U, U, false, true); // U: [8, 24], rows orthonormal
    expect(tf.max(tf.abs(tf.sub(uut, tf.eye(8)))).dataSync()[0]).toBeLessThan(1e-5);
    expect(b.shape).toEqual([2, 24]);
    const e = new Embedding({ inputDim: 100, outputDim: 4 });
    e.build([null, null]);
    expect(tf.max(tf.abs(e.getWeights()[0])).dataSync()[0]).toBeLessThanOrEqual(0.05);
  });
});
