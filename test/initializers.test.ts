import { tf } from '../src/tf';
import { orthogonal, resolveInitializer } from '../src/initializers';
import { LSTM, GRU, Embedding, resetNames } from '../src';

describe('initializers', () => {
  beforeEach(() => resetNames());

  test.each([[4, 16], [16, 4], [7, 7]])('orthogonal [%i, %i] has orthonormal rows or columns', (r, c) => {
    const q = orthogonal([r, c], 1, 3);
    const gram = r <= c ? tf.matMul(q, q, false, true) : tf.matMul(q, q, true, false); // Q Qᵀ or Qᵀ Q
    const n = Math.min(r, c);
    const err = tf.max(tf.abs(tf.sub(gram, tf.eye(n)))).dataSync()[0];
    expect(err).toBeLessThan(1e-5);
  });

  test('orthogonal is seeded and scaled by gain', () => {
    const a = orthogonal([3, 6], 2, 11).arraySync();
    const b = orthogonal([3, 6], 2, 11).arraySync();
    expect(a).toEqual(b);
    const norm = Math.sqrt((a as number[][])[0].reduce((s, v) => s + v * v, 0));
    expect(norm).toBeCloseTo(2, 4);
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
