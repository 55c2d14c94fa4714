/**
 * EmbeddingBag against PyTorch's nn.EmbeddingBag(mode='mean', padding_idx=0)
 * (test/fixtures/subwords.json, written by test/reference/make_subwords.py):
 * output and table gradient; plus finite differences, mask, shapes, summary,
 * save and load, errors and leaks.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Dense, EmbeddingBag, GlobalAveragePooling1D, LSTM, Sequential, fileIO, loadModel, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { expectClose } from '../helpers/close';

interface BagCase { table: number[][]; ids: number[][][]; w: number[][][]; y: number[][][]; dTable: number[][] }
const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'subwords.json'), 'utf8')) as { embeddingBag: BagCase[] };

/** An EmbeddingBag holding the case's table. */
function layerFor(c: BagCase, maskZero = false): EmbeddingBag {
  const layer = new EmbeddingBag({ inputDim: c.table.length, outputDim: c.table[0].length, maskZero });
  layer.build([null, null, null]);
  layer.setWeights([tf.tensor2d(c.table)]);
  return layer;
}

onEachBackend(() => {
  beforeEach(() => resetNames());

  test.each(FIXTURE.embeddingBag.map((c, i) => [i, c] as const))('case %d: output and table gradient match PyTorch', (_i, c) => {
    tf.tidy(() => {
      const layer = layerFor(c);
      const ids = tf.tensor3d(c.ids, undefined, 'int32');
      expectClose(layer.apply(ids) as tf.Tensor, c.y, 1e-5, 'y');
      const table = layer.trainableWeights[0].read() as tf.Variable;
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(ids) as tf.Tensor, tf.tensor3d(c.w))) as tf.Scalar, [table]);
      expectClose(grads[table.name], c.dTable, 1e-5, '∂L/∂E');
      layer.dispose();
    });
  });

  test('an empty bag gives zeros, and a bag of one id repeated gives that row', () => {
    tf.tidy(() => {
      const c = FIXTURE.embeddingBag[0];
      const y = (layerFor(c).apply(tf.tensor3d(c.ids, undefined, 'int32')) as tf.Tensor).arraySync() as number[][][];
      expect(y[0][0]).toEqual(new Array(c.table[0].length).fill(0));
      const last = y[y.length - 1];
      last[last.length - 1].forEach((v, e) => expect(v).toBeCloseTo(c.table[3][e], 5));
    });
  });

  test('gradients agree with central finite differences', () => {
    const c = FIXTURE.embeddingBag[1];
    const layer = layerFor(c);
    const ids = tf.tensor3d(c.ids, undefined, 'int32');
    const table = layer.trainableWeights[0].read() as tf.Variable;
    // A loss that is not linear in the table, so the check covers more than the lookup.
    const loss = () => tf.sum(tf.tanh(tf.mul(layer.apply(ids) as tf.Tensor, tf.tensor3d(c.w)))) as tf.Scalar;
    const { grads } = tf.variableGrads(loss, [table]);
    const g = grads[table.name].dataSync();
    const base = table.dataSync().slice();
    const failures: string[] = [];
    // Coordinates of rows the bags use (row 0 is the empty slot, whose gradient is 0 either way).
    const E = c.table[0].length;
    const used = [...new Set(c.ids.flat(2).filter((id) => id > 0))];
    const coords = used.slice(0, 4).flatMap((v, i) => [v * E + (i % E), v * E + ((i + 2) % E)]);
    expect(coords.length).toBeGreaterThanOrEqual(6);
    for (const j of coords) {
      const at = (d: number) => { const v = base.slice(); v[j] += d; table.assign(tf.tensor(v, table.shape)); return tf.tidy(() => loss().dataSync()[0]); };
      const fd = (at(1e-2) - at(-1e-2)) / 2e-2;
      if (!(Math.abs(fd - g[j]) <= 1e-2 * Math.max(1, Math.abs(g[j])))) failures.push(`E[${j}]: analytic ${g[j]}, finite difference ${fd}`);
    }
    table.assign(tf.tensor(base, table.shape));
    expect(failures).toEqual([]);
    tf.dispose([ids, ...Object.values(grads)]);
    layer.dispose();
  });

  test('with maskZero, a step is masked exactly when its bag is empty', () => {
    tf.tidy(() => {
      const layer = new EmbeddingBag({ inputDim: 10, outputDim: 2, maskZero: true });
      const ids = tf.tensor3d([[[0, 0], [0, 4], [3, 0]], [[1, 2], [0, 0], [0, 0]]], [2, 3, 2], 'int32');
      expect((layer.computeMask(ids) as tf.Tensor).arraySync()).toEqual([[0, 1, 1], [1, 0, 0]]);
      expect(new EmbeddingBag({ inputDim: 10, outputDim: 2 }).computeMask(ids)).toBeNull();
    });
  });

  test('in a model: [batch, time, bag] → [batch, time, outputDim], its mask reaching the LSTM, in the summary with V · E parameters', () => {
    const model = new Sequential({ layers: [
      new EmbeddingBag({ inputDim: 50, outputDim: 4, maskZero: true, inputShape: [6, 3] }),
      new LSTM({ units: 5, returnSequences: true }),
      new GlobalAveragePooling1D(),
      new Dense({ units: 1 }),
    ] });
    expect(model.layers[0].outputShape).toEqual([null, 6, 4]);
    const lines: string[] = [];
    model.summary(undefined, undefined, (l) => lines.push(String(l)));
    expect(lines.join('\n')).toMatch(/embedding_bag \(EmbeddingBag\)\s+\(None, 6, 4\)\s+200\b/);
    tf.tidy(() => {
      // A masked step changes nothing: the same texts with one more empty step in front give the same output.
      const x = tf.tensor3d([[[0, 0, 0], [0, 0, 0], [5, 9, 0], [7, 0, 0], [1, 2, 3], [4, 0, 0]]], [1, 6, 3], 'int32');
      const y = tf.tensor3d([[[0, 0, 0], [5, 9, 0], [7, 0, 0], [1, 2, 3], [0, 0, 0], [4, 0, 0]]], [1, 6, 3], 'int32');
      expectClose(model.predict(x) as tf.Tensor, (model.predict(y) as tf.Tensor).arraySync() as number[][], 1e-6, 'masked');
    });
    model.dispose();
  });

  test('saves and loads: same config, weights and outputs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bag-'));
    const model = new Sequential({ layers: [new EmbeddingBag({ inputDim: 20, outputDim: 3, maskZero: true, inputShape: [4, 2] }), new LSTM({ units: 2 })] });
    const x = tf.tensor3d([[[1, 2], [0, 0], [19, 0], [3, 3]]], [1, 4, 2], 'int32');
    await model.save(fileIO(dir));
    const loaded = await loadModel(dir);
    expect(loaded.layers[0].getConfig()).toEqual(model.layers[0].getConfig());
    expect(loaded.layers[0].getClassName()).toBe('tfjs-recurrent>EmbeddingBag');
    expectClose(loaded.predict(x) as tf.Tensor, (model.predict(x) as tf.Tensor).arraySync() as number[][], 0, 'loaded');
    tf.dispose(x);
    model.dispose();
    loaded.dispose();
    fs.rmSync(dir, { recursive: true });
  });

  test('a training step leaves no tensors behind', async () => {
    const model = new Sequential({ layers: [new EmbeddingBag({ inputDim: 30, outputDim: 4, maskZero: true, inputShape: [5, 3] }), new LSTM({ units: 3 }), new Dense({ units: 1 })] });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const x = tf.tensor3d(Array.from({ length: 2 * 5 * 3 }, (_, i) => (i * 7) % 30 * Number(i % 4 !== 0)), [2, 5, 3], 'int32');
    const y = tf.ones([2, 1]);
    await model.trainOnBatch(x, y);
    const before = tf.memory().numTensors;
    await model.trainOnBatch(x, y);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });

  test('bad input: names EmbeddingBag, the argument and what was expected', () => {
    expect(() => new EmbeddingBag({ inputDim: 0, outputDim: 2 })).toThrow(/^EmbeddingBag: inputDim must be a positive integer, got 0/);
    expect(() => new EmbeddingBag(null as never)).toThrow(/^EmbeddingBag: expects an options object/);
    const layer = new EmbeddingBag({ inputDim: 5, outputDim: 2 });
    expect(() => layer.apply(tf.tensor2d([[1, 2]], [1, 2], 'int32'))).toThrow(/EmbeddingBag expects integer ids of shape \[batch, time, bag\], got shape \[1, 2\]/);
    expect(() => layer.apply(tf.tensor3d([[[1, 5]]], [1, 1, 2], 'int32'))).toThrow(/EmbeddingBag expects ids in \[0, inputDim\) = \[0, 5\), got 5/);
    expect(() => layer.setWeights([tf.zeros([4, 2])])).toThrow(/^EmbeddingBag \(layer 'embedding_bag_\d+'\): setWeights: embeddings must have shape \[5, 2\], got \[4, 2\]/);
  });
});
