/**
 * The Masking and TimeDistributed layers beyond the Keras fixtures
 * (export_keras, keras_files): what Masking outputs and masks, that padding
 * rows change nothing downstream, TimeDistributed's shapes and shared
 * weights, a tagger trained with per-step sample weights, save and load,
 * summary lines, errors, and no tensor left behind.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Dense, Dropout, Embedding, LSTM, Masking, Sequential, TimeDistributed, fileIO, loadModel, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

onEachBackend(() => {
  beforeEach(() => resetNames());

  test('Masking sets the steps whose features all equal maskValue to 0 and masks them', () => {
    const m = new Masking({ maskValue: 2 });
    const x = tf.tensor3d([[[2, 2], [1, 2], [2, 2]], [[0, 0], [2, 2], [2, 3]]]);
    const y = m.apply(x) as tf.Tensor;
    expect(y.arraySync()).toEqual([[[0, 0], [1, 2], [0, 0]], [[0, 0], [0, 0], [2, 3]]]);
    const mask = m.computeMask(x);
    expect(mask.dtype).toBe('bool');
    expect(mask.arraySync()).toEqual([[0, 1, 0], [1, 0, 1]]);
    tf.dispose([x, y, mask]);
  });

  test('Masking before an LSTM: padding rows in front and in holes do not change the prediction', () => {
    const model = new Sequential();
    model.add(new Masking({ inputShape: [null, 3] }));
    model.add(new LSTM({ units: 4 }));
    model.add(new Dense({ units: 1 }));
    const real = [[0.5, -1, 2], [1, 0.25, -0.5]];
    const short = tf.tensor3d([real]);
    const padded = tf.tensor3d([[[0, 0, 0], real[0], [0, 0, 0], [0, 0, 0], real[1]]]);
    const a = model.predict(short) as tf.Tensor;
    const b = model.predict(padded) as tf.Tensor;
    expect(Math.abs(a.dataSync()[0] - b.dataSync()[0])).toBeLessThan(1e-6);
    tf.dispose([short, padded, a, b]);
    model.dispose();
  });

  test('TimeDistributed applies one Dense, with one set of weights, to every step, and passes the mask on', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 2, useBias: false }) });
    const x = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 7);
    const y = td.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([3, 4, 2]);
    expect(td.getWeights().map((w) => w.shape)).toEqual([[5, 2]]);
    const perStep = tf.matMul(tf.reshape(x, [12, 5]), td.getWeights()[0]).reshape([3, 4, 2]);
    expect(tf.max(tf.abs(tf.sub(y, perStep))).dataSync()[0]).toBeLessThan(1e-6);
    const mask = tf.tensor2d([[1, 0, 1, 1], [0, 0, 1, 1], [1, 1, 1, 1]]).cast('bool');
    expect(td.computeMask(x, mask)).toBe(mask);
    tf.dispose([x, y, perStep, mask]);
    td.dispose();
  });

  test('a tagger with per-step sample weights trains, saves and loads back to the same predictions, leaving no tensor', async () => {
    const make = () => {
      const m = new Sequential();
      m.add(new Embedding({ inputDim: 20, outputDim: 4, maskZero: true, inputShape: [5] }));
      m.add(new LSTM({ units: 6, returnSequences: true }));
      m.add(new TimeDistributed({ layer: new Dropout({ rate: 0.2, seed: 1 }) }));
      m.add(new TimeDistributed({ layer: new Dense({ units: 3, activation: 'softmax' }) }));
      m.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy' });
      return m;
    };
    const model = make();
    const x = tf.tensor2d([[0, 0, 3, 7, 9], [0, 4, 5, 6, 2], [1, 2, 3, 4, 5]], [3, 5], 'int32');
    const y = tf.tensor3d([[[0], [0], [1], [2], [1]], [[0], [2], [2], [1], [0]], [[1], [1], [0], [2], [2]]]);
    const w = tf.tensor2d([[0, 0, 1, 1, 1], [0, 1, 1, 1, 1], [1, 1, 1, 1, 1]]); // padding out of the loss
    await model.fit(x, y, { epochs: 1, batchSize: 3, sampleWeight: w, verbose: 0 } as tf.ModelFitArgs);
    const before = tf.memory().numTensors;
    const h = await model.fit(x, y, { epochs: 12, batchSize: 3, sampleWeight: w, verbose: 0 } as tf.ModelFitArgs);
    expect(h.history.loss[11]).toBeLessThan(h.history.loss[0] as number);
    const p = model.predict(x) as tf.Tensor;
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'td-'));
    await model.save(fileIO(dir));
    const back = await loadModel(dir);
    expect(back.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
    const a = model.predict(x) as tf.Tensor;
    const b = back.predict(x) as tf.Tensor;
    expect(b.arraySync()).toEqual(a.arraySync());
    tf.dispose([x, y, w, a, b]);
    model.dispose();
    back.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

test("summary lists TimeDistributed with its layer's parameters, as tf.keras 2 (its 29-character name column)", () => {
  resetNames();
  const m = new Sequential();
  m.add(new Masking({ inputShape: [6, 3] }));
  m.add(new TimeDistributed({ layer: new Dense({ units: 4 }) }));
  const lines: string[] = [];
  m.summary(undefined, undefined, (s: unknown) => void lines.push(String(s)));
  expect(lines.join('\n')).toMatch(/masking \(Masking\) +\(None, 6, 3\) +0/);
  expect(lines.join('\n')).toMatch(/time_distributed \(TimeDistri \(None, 6, 4\) +16/);
  m.dispose();
});

test.each([
  ['TimeDistributed of no layer', () => new TimeDistributed({ layer: 'dense' as never }), /TimeDistributed: layer must be a layer \(such as new Dense\(\{ units: 5 \}\)\), got 'dense'/],
  ['TimeDistributed on a rank-2 input', () => new TimeDistributed({ layer: new Dense({ units: 2 }) }).apply(tf.zeros([2, 3])),
    /TimeDistributed \(layer 'time_distributed(_\d+)?'\) expects inputs of at least 3 dimensions \[batch, time, \.\.\.\], got shape \[2, 3\]/],
  ['Masking with a maskValue that is not a number', () => new Masking({ maskValue: 'x' as never }), /Masking: maskValue must be a number, got 'x'/],
  ['Masking with an unknown option', () => new Masking({ mask_value: 0 } as never), /Masking: unknown option 'mask_value' \(did you mean 'maskValue'\?\)/],
])('%s is a clear error', (_, make, message) => {
  expect(make).toThrow(message);
});
