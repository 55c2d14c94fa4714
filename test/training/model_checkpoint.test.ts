/**
 * ModelCheckpoint in real training: what each checkpoint holds and that
 * loadModel reads it back (the model's class, weights, compile config and
 * optimizer state; weights only without the last two), saveBestOnly,
 * saving every n batches, fitDataset, one folder replaced in place, a
 * refused file, and bad arguments. Keras's file names and decisions on
 * fixed logs are in callbacks_keras.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Sequential, Functional, LSTM, Dense, ModelCheckpoint, loadModel, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function model(): Sequential {
  resetNames();
  const m = new Sequential({ name: 'tagger', layers: [new LSTM({ units: 3, inputShape: [4, 2] }), new Dense({ units: 1 })] });
  m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  return m;
}

const data = () => [tf.randomNormal([8, 4, 2], 0, 1, 'float32', 11), tf.randomNormal([8, 1], 0, 1, 'float32', 12)] as const;
const values = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
const json = (folder: string) => JSON.parse(fs.readFileSync(path.join(folder, 'model.json'), 'utf8'));

onEachBackend(() => {
  test("a folder per epoch, named from the logs; each loads back as the model of that epoch, with its optimizer's state", async () => {
    const m = model();
    const [x, y] = data();
    const seen: number[][][] = [];
    const record = new tf.CustomCallback({ onEpochEnd: async () => void seen.push(values(m)) });
    const h = await m.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0, validationData: [x, y], callbacks: [new ModelCheckpoint(path.join(dir, 'ckpt-{epoch:02d}-{val_loss:.3f}')), record] });
    const want = h.history.val_loss.map((v, e) => `ckpt-0${e + 1}-${(v as number).toFixed(3)}`);
    expect(fs.readdirSync(dir).sort()).toEqual(want);
    for (const [e, name] of want.entries()) {
      const loaded = await loadModel(path.join(dir, name));
      expect(loaded).toBeInstanceOf(Sequential); // the user's Sequential, not the graph tfjs trains inside it
      expect(loaded.name).toBe('tagger');
      expect(values(loaded)).toEqual(seen[e]);
      expect(json(path.join(dir, name)).trainingConfig.loss).toBe('mean_squared_error'); // the compile config
      expect(loaded.optimizer.iterations).toBe(2 * (e + 1)); // Adam's state, to resume from
      loaded.dispose();
    }
    tf.dispose([x, y]);
  });

  test('saveWeightsOnly leaves out the compile config and the optimizer; the weights load into another model', async () => {
    const m = model();
    const [x, y] = data();
    await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new ModelCheckpoint(path.join(dir, 'w'), { saveWeightsOnly: true })] });
    const saved = json(path.join(dir, 'w'));
    expect(saved.trainingConfig).toBeUndefined();
    expect(saved.weightsManifest[0].weights.map((w: { group?: string }) => w.group ?? 'model')).not.toContain('optimizer');
    const other = model();
    other.setWeights((await loadModel(path.join(dir, 'w'))).getWeights());
    expect(values(other)).toEqual(values(m));
    tf.dispose([x, y]);
  });

  test('saveBestOnly keeps replacing one folder with the best epoch; nothing else is left in it', async () => {
    const m = model();
    const [x, y] = data();
    const seen: number[][][] = [];
    const vals = [0.9, 0.5, 0.7, 0.4, 0.6];
    const ckpt = new ModelCheckpoint(path.join(dir, 'best'), { saveBestOnly: true });
    await m.fit(x, y, {
      epochs: 5, verbose: 0, validationData: [x, y],
      callbacks: [new tf.CustomCallback({ onEpochEnd: async (e, l) => void (l!.val_loss = vals[e]) }), ckpt, new tf.CustomCallback({ onEpochEnd: async () => void seen.push(values(m)) })],
    });
    expect(ckpt.best).toBe(0.4);
    const files = fs.readdirSync(path.join(dir, 'best'));
    expect(files.filter((f) => f.endsWith('.bin'))).toHaveLength(1); // the replaced weights were removed
    expect(values(await loadModel(path.join(dir, 'best')))).toEqual(seen[3]);
    tf.dispose([x, y]);
  });

  test('saveFreq n saves every n batches across epochs; fitDataset works the same', async () => {
    const m = model();
    const [x, y] = data();
    const ds = tf.data.zip({ xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y)) }).batch(2); // 4 batches an epoch
    await m.fitDataset(ds as tf.data.Dataset<tf.TensorContainer>, { epochs: 2, verbose: 0, callbacks: [new ModelCheckpoint(path.join(dir, 'e{epoch}-b{batch}'), { saveFreq: 3 })] });
    expect(fs.readdirSync(dir).sort()).toEqual(['e1-b3', 'e2-b2']);
    tf.dispose([x, y]);
  });
});

test("a Functional loads back as a Functional; tfjs's own tf.Sequential as the model tfjs trains inside it", async () => {
  await tf.setBackend('cpu');
  const input = tf.input({ shape: [4, 2] });
  const f = new Functional({ inputs: input, outputs: new Dense({ units: 1 }).apply(new LSTM({ units: 3 }).apply(input)) as tf.SymbolicTensor });
  f.compile({ optimizer: 'sgd', loss: 'mse' });
  await f.fit(tf.ones([4, 4, 2]), tf.ones([4, 1]), { epochs: 1, verbose: 0, callbacks: [new ModelCheckpoint(path.join(dir, 'f'))] });
  expect(await loadModel(path.join(dir, 'f'))).toBeInstanceOf(Functional);
  const t = tf.sequential({ name: 'plain', layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
  t.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await t.fit(tf.ones([4, 2]), tf.ones([4, 1]), { epochs: 1, verbose: 0, callbacks: [new ModelCheckpoint(path.join(dir, 't'))] });
  const back = await loadModel(path.join(dir, 't'));
  expect(back.name).toBe('plain_model');
  expect(back.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(t.getWeights().map((w) => Array.from(w.dataSync())));
});

test('a log key the template needs but fit does not log stops fit, naming it and what is logged', async () => {
  await tf.setBackend('cpu');
  const m = model();
  await expect(m.fit(tf.ones([4, 4, 2]), tf.ones([4, 1]), { epochs: 2, verbose: 0, callbacks: [new ModelCheckpoint(path.join(dir, 'c-{val_loss:.2f}'))] })).rejects.toThrow(
    /^ModelCheckpoint: filepath '.*c-\{val_loss:\.2f\}' needs 'val_loss', which the logs of epoch 1 do not hold \(available: epoch, loss, mae\)$/,
  );
});

test('a file in the way that is no model is refused, not replaced', async () => {
  await tf.setBackend('cpu');
  const m = model();
  fs.writeFileSync(path.join(dir, 'notes.json'), '{"mine": true}');
  await expect(m.fit(tf.ones([4, 4, 2]), tf.ones([4, 1]), { epochs: 1, verbose: 0, callbacks: [new ModelCheckpoint(path.join(dir, 'notes.json'))] })).rejects.toThrow(
    /exists and is not a saved model/,
  );
  expect(fs.readFileSync(path.join(dir, 'notes.json'), 'utf8')).toBe('{"mine": true}');
});

test('bad arguments are errors at construction', () => {
  const bad: Array<[unknown, unknown, RegExp]> = [
    ['ckpt.keras', {}, /^ModelCheckpoint: filepath 'ckpt\.keras' ends in '\.keras', a Keras file; a checkpoint here is a folder holding model\.json and its weights/],
    ['ckpt-{epoch}.weights.h5', { saveWeightsOnly: true }, /ends in '\.weights\.h5', a Keras file/],
    ['http://host/ckpt', {}, /^ModelCheckpoint: filepath must be a path or a file:\/\/ URL, got 'http:\/\/host\/ckpt' \(http:\/\/ is not saved to here\)$/],
    ['', {}, /^ModelCheckpoint: filepath must be a non-empty path/],
    ['ckpt-{epoch:02d', {}, /^ModelCheckpoint: filepath "ckpt-\{epoch:02d" is not a valid template: the '\{' at position 5 is never closed$/],
    ['ckpt-{val_loss:02d}', {}, /^ModelCheckpoint: filepath "ckpt-\{val_loss:02d\}" is not a valid template: \{val_loss:02d\}: the code 'd' is for integers and val_loss is a float \(as in Python\); use \.0f$/],
    ['ckpt-{epoch:.2d}', {}, /is not a valid template: \{epoch:\.2d\}: epoch is an integer, and an integer takes no precision/],
    ['ckpt-{loss:x}', {}, /is not a valid template: \{loss:x\}: the format code 'x' is not supported/],
    ['ckpt-{}', {}, /is not a valid template: the field \{\} has no name: name a log key/],
    ['ckpt', { saveFreq: 0 }, /^ModelCheckpoint: saveFreq must be 'epoch' or a positive integer \(a number of batches\), got 0$/],
    ['ckpt', { saveFreq: 'batch' }, /got 'batch'$/],
    ['ckpt', { save_best_only: true }, /^ModelCheckpoint: unknown option 'save_best_only' \(did you mean 'saveBestOnly'\?\)/],
    ['ckpt', { minDelta: 0.1 }, /^ModelCheckpoint: unknown option 'minDelta'/],
    ['ckpt', { initialValueThreshold: 'x' }, /^ModelCheckpoint: initialValueThreshold must be a finite number or null, got 'x'$/],
  ];
  for (const [file, args, re] of bad) expect(() => new ModelCheckpoint(file as string, args as never)).toThrow(re);
  expect(new ModelCheckpoint('file:///tmp/x-{epoch:03d}').filePath(4, null, { loss: 1 })).toBe('file:///tmp/x-005');
});
