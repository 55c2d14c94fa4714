/**
 * EarlyStopping in real training: it stops fit and fitDataset, puts back the
 * best epoch's weights (at a stop and when every epoch ran), frees its
 * copies, and refuses bad options at construction. Keras's exact semantics
 * on fixed logs are in callbacks_keras.test.ts.
 */
import { tf } from '../../src/tf';
import { Sequential, LSTM, Dense, EarlyStopping, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

function model(): Sequential {
  resetNames();
  const m = new Sequential({ layers: [new LSTM({ units: 3, inputShape: [4, 2] }), new Dense({ units: 1 })] });
  m.compile({ optimizer: 'adam', loss: 'mse' });
  return m;
}

const data = () => [tf.randomNormal([8, 4, 2], 0, 1, 'float32', 3), tf.randomNormal([8, 1], 0, 1, 'float32', 4)] as const;

/** A callback that records the weights at each epoch's end (after the ones before it in the list). */
function recorder(m: tf.LayersModel, into: Float32Array[][]): tf.CustomCallback {
  return new tf.CustomCallback({ onEpochEnd: async () => void into.push(m.getWeights().map((w) => w.dataSync().slice() as Float32Array)) });
}

/** Logs a given val_loss at each epoch (replacing the real one), so the best epoch is known in advance. */
function scripted(values: number[]): tf.CustomCallback {
  return new tf.CustomCallback({ onEpochEnd: async (epoch, logs) => void (logs!.val_loss = values[epoch]) });
}

const same = (a: Float32Array[], b: Float32Array[]) => a.length === b.length && a.every((w, i) => w.every((v, j) => v === b[i][j]));

onEachBackend(() => {
  test('stops after patience epochs without improvement and restores the best epoch, leaking nothing', async () => {
    const m = model();
    const [x, y] = data();
    await m.fit(x, y, { epochs: 1, verbose: 0 }); // Adam's slots exist before the count
    const before = tf.memory().numTensors;
    const seen: Float32Array[][] = [];
    const stop = new EarlyStopping({ patience: 2, restoreBestWeights: true });
    const h = await m.fit(x, y, { epochs: 20, verbose: 0, validationData: [x, y], callbacks: [scripted([0.9, 0.5, 0.7, 0.6, 0.4]), stop, recorder(m, seen)] });
    expect(h.epoch).toEqual([0, 1, 2, 3]); // epoch 3 is the second without a better value than epoch 1's
    expect([stop.stoppedEpoch, stop.bestEpoch, stop.best, stop.wait]).toEqual([3, 1, 0.5, 2]);
    const now = m.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    expect(same(now, seen[1])).toBe(true);
    expect(same(now, seen[3])).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });

  test('restores the best weights when every epoch ran, as Keras 3 does', async () => {
    const m = model();
    const [x, y] = data();
    const seen: Float32Array[][] = [];
    const stop = new EarlyStopping({ patience: 10, restoreBestWeights: true });
    await m.fit(x, y, { epochs: 4, verbose: 0, validationData: [x, y], callbacks: [scripted([0.9, 0.3, 0.5, 0.6]), stop, recorder(m, seen)] });
    expect(stop.stoppedEpoch).toBe(0);
    expect(same(m.getWeights().map((w) => w.dataSync().slice() as Float32Array), seen[1])).toBe(true);
    tf.dispose([x, y]);
  });

  test('without restoreBestWeights the last weights stay', async () => {
    const m = model();
    const [x, y] = data();
    const seen: Float32Array[][] = [];
    await m.fit(x, y, { epochs: 6, verbose: 0, validationData: [x, y], callbacks: [scripted([0.9, 0.3, 0.5, 0.6]), new EarlyStopping({ patience: 2 }), recorder(m, seen)] });
    expect(seen.length).toBe(4);
    expect(same(m.getWeights().map((w) => w.dataSync().slice() as Float32Array), seen[3])).toBe(true);
    tf.dispose([x, y]);
  });

  test('stops fitDataset too, and serves a second fit afresh', async () => {
    const m = model();
    const [x, y] = data();
    const ds = tf.data.zip({ xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y)) }).batch(4);
    const stop = new EarlyStopping({ monitor: 'loss', patience: 1, restoreBestWeights: true });
    const h1 = await m.fitDataset(ds as tf.data.Dataset<tf.TensorContainer>, { epochs: 10, verbose: 0, callbacks: [new tf.CustomCallback({ onEpochEnd: async (e, l) => void (l!.loss = [1, 0.5, 0.6, 0.7][e]) }), stop] });
    expect(h1.epoch).toEqual([0, 1, 2]);
    expect(stop.bestEpoch).toBe(1);
    const h2 = await m.fit(x, y, { epochs: 3, verbose: 0, callbacks: [new tf.CustomCallback({ onEpochEnd: async (e, l) => void (l!.loss = 5 - e) }), stop] });
    expect(h2.epoch).toEqual([0, 1, 2]);
    expect([stop.stoppedEpoch, stop.bestEpoch, stop.best]).toEqual([0, 2, 3]);
    tf.dispose([x, y]);
  });

  test("works on tfjs's own models, and says nothing unless verbose", async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
    m.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const out = jest.spyOn(process.stdout, 'write');
    const err = jest.spyOn(process.stderr, 'write');
    const stop = new EarlyStopping({ monitor: 'loss', patience: 0, restoreBestWeights: true });
    const h = await m.fit(tf.ones([4, 3]), tf.ones([4, 1]), { epochs: 5, verbose: 0, callbacks: [new tf.CustomCallback({ onEpochEnd: async (e, l) => void (l!.loss = [3, 1, 2, 0][e]) }), stop] });
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    out.mockRestore();
    err.mockRestore();
    const say = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const verbose = new EarlyStopping({ monitor: 'loss', patience: 0, verbose: 1 });
    await m.fit(tf.ones([4, 3]), tf.ones([4, 1]), { epochs: 5, verbose: 0, callbacks: [new tf.CustomCallback({ onEpochEnd: async (e, l) => void (l!.loss = [3, 1, 2, 0][e]) }), verbose] });
    expect(say.mock.calls.map((c) => c[0])).toEqual(['Epoch 3: early stopping\n']);
    say.mockRestore();
    m.dispose();
  });
});

test('a monitored value missing from the logs: a warning on stderr once per fit, and the epochs are skipped', async () => {
  await tf.setBackend('cpu');
  const m = model();
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const stop = new EarlyStopping({ patience: 0 });
  for (let k = 0; k < 2; k++) {
    const h = await m.fit(tf.ones([4, 4, 2]), tf.ones([4, 1]), { epochs: 3, verbose: 0, callbacks: [stop] });
    expect(h.epoch).toEqual([0, 1, 2]);
  }
  expect(warn.mock.calls.map((c) => c[0])).toEqual([
    "EarlyStopping: early stopping skips epoch 1: the logs hold no 'val_loss' (available: loss)",
    "EarlyStopping: early stopping skips epoch 1: the logs hold no 'val_loss' (available: loss)",
  ]);
  warn.mockRestore();
});

test('bad options are errors at construction, naming the option, the expectation and the value', () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ restore_best_weights: true }, /^EarlyStopping: unknown option 'restore_best_weights' \(did you mean 'restoreBestWeights'\?\); known options: monitor, /],
    [{ patience: -1 }, /^EarlyStopping: patience must be an integer ≥ 0, got -1$/],
    [{ patience: 1.5 }, /^EarlyStopping: patience must be an integer ≥ 0, got 1.5$/],
    [{ mode: 'minimum' }, /^EarlyStopping: mode must be one of 'auto', 'min', 'max', got 'minimum'$/],
    [{ monitor: 'val_f1' }, /^EarlyStopping: mode 'auto' cannot tell whether monitor 'val_f1' should be minimized or maximized .*pass mode: 'min' or mode: 'max'$/],
    [{ monitor: '' }, /^EarlyStopping: monitor must be a non-empty string, got ''$/],
    [{ minDelta: NaN }, /^EarlyStopping: minDelta must be a finite number, got NaN$/],
    [{ baseline: 'low' }, /^EarlyStopping: baseline must be a finite number or null, got 'low'$/],
    [{ restoreBestWeights: 1 }, /^EarlyStopping: restoreBestWeights must be true or false, got 1$/],
    [{ verbose: 2 }, /^EarlyStopping: verbose must be 0 or 1, got 2$/],
    ['val_loss', /^EarlyStopping: expects an options object such as \{ monitor: 'val_loss', patience: 3, restoreBestWeights: true \}, got 'val_loss'$/],
  ];
  for (const [args, re] of bad) expect(() => new EarlyStopping(args as never)).toThrow(re);
  expect(new EarlyStopping({ monitor: 'val_accuracy' }).direction).toBe('max');
  expect(new EarlyStopping({ monitor: 'val_acc' }).direction).toBe('max');
  expect(new EarlyStopping({ monitor: 'auc' }).direction).toBe('max');
  expect(new EarlyStopping({ monitor: 'val_mse' }).direction).toBe('min');
  expect(new EarlyStopping({ monitor: 'val_f1', mode: 'max' }).direction).toBe('max');
  expect(new EarlyStopping({ minDelta: -0.5 }).minDelta).toBe(0.5);
});
