/**
 * tf.grad through each layer against central finite differences, on a few
 * coordinates of the input and of every weight (float32: ε = 1e-2, rtol 1e-2).
 */
import { tf } from '../../src/tf';
import { SimpleRNN, LSTM, GRU, Bidirectional, Embedding, Dense, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

const EPS = 1e-2;

/** A seeded layer with non-constant weights, built for [B, T, D] = [2, 4, 3]. */
function seeded(layer: tf.layers.Layer, D = 3): tf.layers.Layer {
  layer.build([2, 4, D]);
  layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.5, 'float32', 100 + i)));
  return layer;
}

function checkGrads(layer: tf.layers.Layer, x: tf.Tensor, kwargs: Record<string, unknown> = {}, coords = 4): void {
  const out = (xx: tf.Tensor) => {
    const y = layer.apply(xx, kwargs) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(y) ? y : [y];
    // A loss that weighs every output element differently, states included.
    return list.reduce((acc: tf.Tensor, t, i) => tf.add(acc, tf.sum(tf.mul(t, tf.sin(tf.add(tf.range(0, t.size).reshape(t.shape), i))))), tf.scalar(0)) as tf.Scalar;
  };
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => out(x), vars);
  const dx = tf.grad(out)(x);
  const loss = (xx: tf.Tensor) => tf.tidy(() => out(xx).dataSync()[0]);
  const failures: string[] = [];

  const probe = (get: () => Float32Array, set: (v: Float32Array) => void, analytic: Float32Array, label: string) => {
    const base = get().slice();
    const n = base.length;
    for (let k = 0; k < coords; k++) {
      const j = Math.floor(((k + 0.5) / coords) * n);
      const plus = base.slice(); plus[j] += EPS; set(plus); const lp = loss(x);
      const minus = base.slice(); minus[j] -= EPS; set(minus); const lm = loss(x);
      set(base);
      const fd = (lp - lm) / (2 * EPS);
      const a = analytic[j];
      if (!(Math.abs(fd - a) <= 1e-2 * Math.max(1, Math.abs(a)))) failures.push(`${label}[${j}]: analytic ${a}, finite difference ${fd}`);
    }
  };
  vars.forEach((v) => {
    probe(() => v.dataSync() as Float32Array, (vals) => v.assign(tf.tensor(vals, v.shape)), grads[v.name].dataSync() as Float32Array, v.name);
  });
  // The input: rebuild x with a perturbed coordinate.
  const xs = x.dataSync().slice() as Float32Array;
  const dxs = dx.dataSync() as Float32Array;
  const lossAt = (vals: Float32Array) => { const t = tf.tensor(vals, x.shape); const l = loss(t); t.dispose(); return l; };
  for (let k = 0; k < coords; k++) {
    const j = Math.floor(((k + 0.5) / coords) * xs.length);
    const p = xs.slice(); p[j] += EPS;
    const m = xs.slice(); m[j] -= EPS;
    const fd = (lossAt(p) - lossAt(m)) / (2 * EPS);
    if (!(Math.abs(fd - dxs[j]) <= 1e-2 * Math.max(1, Math.abs(dxs[j])))) failures.push(`x[${j}]: analytic ${dxs[j]}, finite difference ${fd}`);
  }
  expect(failures).toEqual([]);
  tf.dispose([dx, ...Object.values(grads)]);
}

onEachBackend(() => {
  beforeEach(() => resetNames());
  const x = () => tf.randomNormal([2, 4, 3], 0, 1, 'float32', 7);

  test.each([
    ['SimpleRNN', () => new SimpleRNN({ units: 5, returnSequences: true })],
    ['LSTM with states', () => new LSTM({ units: 5, returnSequences: true, returnState: true })],
    ['GRU resetAfter', () => new GRU({ units: 5, returnState: true })],
    ['GRU resetAfter false, goBackwards', () => new GRU({ units: 5, resetAfter: false, goBackwards: true, returnSequences: true })],
    ['Bidirectional(LSTM) concat', () => new Bidirectional({ layer: new LSTM({ units: 2, returnSequences: true }) })],
    ['Dense on a sequence', () => new Dense({ units: 2, activation: 'tanh' })],
  ])('%s: analytic gradients agree with finite differences', (_n, make) => {
    const layer = seeded(make());
    const xx = x();
    checkGrads(layer, xx);
    xx.dispose();
    layer.dispose();
  });

  test.each([
    ['GRU resetAfter false, elu', () => new GRU({ units: 4, resetAfter: false, activation: 'elu' })],
    ['GRU softsign', () => new GRU({ units: 4, activation: 'softsign', returnSequences: true })],
    ['LSTM elu', () => new LSTM({ units: 4, activation: 'elu', returnState: true })],
    ['SimpleRNN elu', () => new SimpleRNN({ units: 4, activation: 'elu' })],
  ])('%s (an activation outside the kernels) on one time step: gradients agree with finite differences', (_n, make) => {
    const layer = seeded(make());
    const xx = tf.randomNormal([2, 1, 3], 0, 1, 'float32', 8);
    checkGrads(layer, xx, {}, 3);
    xx.dispose();
    layer.dispose();
  });

  test('masked LSTM: gradients agree with finite differences, and padded steps get none', () => {
    const layer = seeded(new LSTM({ units: 3, returnSequences: true }));
    const xx = x();
    const mask = tf.tensor2d([[1, 1, 1, 0], [0, 1, 1, 1]]).cast('bool');
    checkGrads(layer, xx, { mask });
    const dx = tf.grad((v: tf.Tensor) => tf.sum(layer.apply(v, { mask }) as tf.Tensor))(xx);
    const d = dx.arraySync() as number[][][];
    expect(d[0][3].every((v) => v === 0)).toBe(true);
    expect(d[1][0].every((v) => v === 0)).toBe(true);
    tf.dispose([xx, mask, dx]);
    layer.dispose();
  });

  test('Embedding: the table gradient sums the rows that occur and leaves the rest zero', () => {
    const emb = new Embedding({ inputDim: 6, outputDim: 2 });
    emb.build([null, null]);
    const ids = tf.tensor2d([[1, 3, 1], [0, 3, 3]], [2, 3], 'int32');
    const w = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const E = emb.trainableWeights[0].read() as tf.Variable;
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(emb.apply(ids) as tf.Tensor, tf.stack([w, w]))) as tf.Scalar, [E]);
    // row 1 occurs at (0,0) and (0,2); row 3 at (0,1), (1,1), (1,2); row 0 at (1,0).
    expect(grads[E.name].arraySync()).toEqual([[1, 2], [6, 8], [0, 0], [3 + 3 + 5, 4 + 4 + 6], [0, 0], [0, 0]]);
    tf.dispose([ids, w, ...Object.values(grads)]);
    emb.dispose();
  });
});
