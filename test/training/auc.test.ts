/**
 * The AUC metric equals Keras 3's `AUC()` (test/fixtures/training.json, from
 * real Keras 3): on fixed scores with ties and scores on the thresholds, fed
 * whole or in chunks, with Keras's other settings; and in a model compiled
 * with `metrics: ['auc']`, where Keras's AUC is over all the data of an
 * evaluation or an epoch (not a mean of batches): evaluate in batches, and
 * the epoch's `auc` and `val_auc` of a fit in batches, on every backend.
 */
import { tf } from '../../src/tf';
import { auc, Functional, Dense, RecurrentConfigError, loadModel } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { scratchDir } from '../helpers/scratch';
import { TRAINING, expectNear, kerasModel, weightsOf } from '../helpers/keras_training';

const scratch = scratchDir('tfjs-recurrent-auc-');
const T = (v: unknown) => tf.tensor(v as number[]);

describe('auc()', () => {
  for (const c of TRAINING.auc) {
    test(`${c.name}: Keras's AUC (${c.auc.toFixed(4)})`, () => {
      const m = auc();
      const [y, p] = [T(c.yTrue), T(c.yPred)];
      m.update(y, p);
      expect(m.result()).toBeCloseTo(c.auc, 6);
      if (c.chunks) {
        m.reset();
        let at = 0;
        for (const n of c.chunks) {
          const [yc, pc] = [y.slice(at, n), p.slice(at, n)];
          m.update(yc, pc);
          tf.dispose([yc, pc]);
          at += n;
        }
        expect(m.result()).toBeCloseTo(c.aucInChunks!, 6);
      }
      for (const s of c.settings ?? []) {
        const other = auc(s.args);
        const ps = s.yPred ? T(s.yPred) : p;
        other.update(y, ps);
        expect([s.args, other.result()]).toEqual([s.args, expect.closeTo(s.auc, 6)]);
        if (ps !== p) ps.dispose();
      }
      tf.dispose([y, p]);
    });
  }

  test('Keras\'s docstring example: 3 thresholds on [0, 0.5, 0.3, 0.9] give 0.75; reset() starts afresh', () => {
    const m = auc({ numThresholds: 3 });
    const [y, p] = [tf.tensor1d([0, 0, 1, 1]), tf.tensor1d([0, 0.5, 0.3, 0.9])];
    m.update(y, p);
    expect(m.result()).toBeCloseTo(0.75, 7);
    m.reset();
    expect(m.result()).toBe(0);
    expect(m.name).toBe('auc');
    expect(m.config).toEqual({ numThresholds: 3, curve: 'ROC', summationMethod: 'interpolation', fromLogits: false, name: 'auc' });
    tf.dispose([y, p]);
  });

  test.each([
    [{ numThresholds: 1 }, /^AUC: numThresholds must be an integer > 1, got 1$/],
    [{ curve: 'PRGAIN' }, /^AUC: curve must be 'ROC' or 'PR', got 'PRGAIN'$/],
    [{ summationMethod: 'trapezoid' }, /^AUC: summationMethod must be 'interpolation', 'minoring' or 'majoring', got 'trapezoid'$/],
    [{ num_thresholds: 100 }, /^AUC: unknown option 'num_thresholds'; known: numThresholds, curve, summationMethod, fromLogits, name$/],
  ])('bad options are errors naming them: %p', (args, message) => {
    expect(() => auc(args as never)).toThrow(RecurrentConfigError);
    expect(() => auc(args as never)).toThrow(message);
  });
});

onEachBackend(() => {
  const c = TRAINING.aucModel;
  const model = (metrics: unknown[] = ['auc']) => {
    const m = kerasModel(c.model, c.weights, 'clf');
    m.compile({ optimizer: tf.train.sgd(0.5), loss: 'binary_crossentropy', metrics: metrics as string[] });
    return m;
  };

  test("evaluate in batches of 3 gives Keras's AUC over all the data, again and again", () => {
    const m = model();
    const [x, y] = [T(c.x), T(c.y)];
    const before = tf.memory().numTensors;
    for (let k = 0; k < 2; k++) {
      const r = m.evaluate(x, y, { batchSize: c.evaluateBatchSize }) as tf.Scalar[];
      const [loss, a] = r.map((s) => s.dataSync()[0]);
      tf.dispose(r);
      expectNear(loss, c.evaluate.loss, 1e-5, 1e-6, 'loss');
      expectNear(a, c.evaluate.auc, 1e-5, 1e-6, 'auc');
    }
    expect(m.metricsNames).toEqual(['loss', 'auc']);
    expect(tf.memory().numTensors).toBe(before);
    // Keras's value is the AUC of all the predictions; a size-weighted mean of the batches' AUCs is not.
    expect(c.evaluate.auc).toBeCloseTo(c.aucOfPredictions, 6);
    const p = m.predict(x) as tf.Tensor;
    let mean = 0;
    for (let at = 0; at < 10; at += 3) {
      const one = auc();
      const [yb, pb] = [y.slice(at, Math.min(3, 10 - at)), p.slice(at, Math.min(3, 10 - at))];
      one.update(yb, pb);
      mean += (one.result() * yb.shape[0]) / 10;
      tf.dispose([yb, pb]);
    }
    expect(Math.abs(mean - c.evaluate.auc)).toBeGreaterThan(0.05);
    tf.dispose([x, y, p]);
    m.dispose();
  });

  test("fit in batches logs Keras's auc and val_auc for each epoch (the epoch's data, then the validation data)", async () => {
    const m = model();
    const [x, y] = [T(c.x), T(c.y)];
    const n = c.fit.train;
    const [xt, yt, xv, yv] = [x.slice(0, n), y.slice(0, n), x.slice(n), y.slice(n)];
    const h = await m.fit(xt, yt, { batchSize: c.fit.batchSize, epochs: c.fit.epochs, shuffle: false, verbose: 0, validationData: [xv, yv] });
    for (const [key, keras] of Object.entries(c.fit.history)) expectNear(h.history[key] as number[], keras, 1e-5, 1e-6, key);
    expectNear(weightsOf(m), c.after, 1e-4, 1e-5, 'weights');
    tf.dispose([x, y, xt, yt, xv, yv]);
    m.dispose();
  });

  test('each trainOnBatch gives the AUC of its batch (of the predictions before its step), not a running one', async () => {
    const m = model(['AUC']);
    const [x, y] = [T(c.x), T(c.y)];
    for (let k = 0; k < 3; k++) {
      const p = m.predict(x) as tf.Tensor;
      const expected = auc();
      expected.update(y, p);
      const [, a] = (await m.trainOnBatch(x, y)) as number[];
      expect(a).toBeCloseTo(expected.result(), 5);
      p.dispose();
    }
    tf.dispose([x, y]);
    m.dispose();
  });

  test('fitDataset logs the same auc and val_auc as fit on the same batches', async () => {
    const [x, y] = [T(c.x), T(c.y)];
    const n = c.fit.train;
    const [xt, yt, xv, yv] = [x.slice(0, n), y.slice(0, n), x.slice(n), y.slice(n)];
    const m1 = model();
    const h1 = await m1.fit(xt, yt, { batchSize: c.fit.batchSize, epochs: c.fit.epochs, shuffle: false, verbose: 0, validationData: [xv, yv] });
    const m2 = model();
    const data = tf.data.zip({ xs: tf.data.array(tf.unstack(xt)), ys: tf.data.array(tf.unstack(yt)) }).batch(c.fit.batchSize);
    const h2 = await m2.fitDataset(data, { epochs: c.fit.epochs, verbose: 0, validationData: [xv, yv] });
    for (const key of ['loss', 'auc', 'val_loss', 'val_auc']) expectNear(h2.history[key] as number[], h1.history[key] as number[], 1e-5, 1e-6, key);
    tf.dispose([x, y, xt, yt, xv, yv]);
    m1.dispose();
    m2.dispose();
  });
});

test('a model of two outputs gets an AUC per output, logged as Keras logs them', async () => {
  const input = tf.input({ shape: [3] });
  const a = new Dense({ units: 1, activation: 'sigmoid', name: 'a' }).apply(input) as tf.SymbolicTensor;
  const b = new Dense({ units: 1, activation: 'sigmoid', name: 'b' }).apply(input) as tf.SymbolicTensor;
  const m = new Functional({ inputs: input, outputs: [a, b] });
  m.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['auc'] });
  expect(m.metricsNames).toEqual(['loss', 'a_loss', 'b_loss', 'a_auc', 'b_auc']);
  const x = tf.randomNormal([8, 3], 0, 1, 'float32', 3);
  const ya = tf.tensor2d([1, 0, 1, 0, 1, 0, 1, 0], [8, 1]);
  const r = m.evaluate(x, [ya, tf.sub(1, ya)]) as tf.Scalar[];
  const [pa, pb] = m.predict(x) as tf.Tensor[];
  const [ea, eb] = [auc(), auc()];
  ea.update(ya, pa);
  eb.update(tf.sub(1, ya), pb);
  expect(r[3].dataSync()[0]).toBeCloseTo(ea.result(), 5);
  expect(r[4].dataSync()[0]).toBeCloseTo(eb.result(), 5);
  expect(Math.abs(ea.result() - eb.result())).toBeGreaterThan(0.01); // two states, not one shared
  tf.dispose([x, ya, pa, pb, ...r]);
  m.dispose();
});

test("'auc' is saved by name and comes back as an AUC after a load", async () => {
  const c = TRAINING.aucModel;
  const m = kerasModel(c.model, c.weights);
  m.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['auc'] });
  const dir = `${scratch()}/auc`;
  await m.save(`file://${dir}`, { includeOptimizer: true } as never);
  const back = await loadModel(dir);
  const [x, y] = [T(c.x), T(c.y)];
  const r = back.evaluate(x, y, { batchSize: 3 }) as tf.Scalar[];
  expect(back.metricsNames).toEqual(['loss', 'auc']);
  expectNear(r[1].dataSync()[0], c.evaluate.auc, 1e-5, 1e-6, 'auc after a load');
  tf.dispose([x, y, ...r]);
  m.dispose();
  back.dispose();
});

test('an AUC needs labels and scores of the same size', () => {
  const m = auc({ name: 'roc' });
  expect(() => m.update(tf.ones([4]), tf.ones([3]))).toThrow(/^roc: labels and predictions must have as many values, got 4 and 3$/);
});
