/**
 * Keras models converted to the TensorFlow.js layers format load into our
 * layers and predict what Keras 3 computes (fixtures: test/reference/make_interop.py,
 * outputs from real Keras 3 in float64, cross-checked with PyTorch).
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Functional, Sequential, loadKerasModel, resetNames, setBackend } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { maxAbsDiff } from '../helpers/close';
import { main } from '../../src/cli/main';

const DIR = path.join(__dirname, '..', 'fixtures', 'interop');
interface Expected { input: number[][] | number[][][]; inputDtype: 'int32' | 'float32'; output: unknown; countParams: number; layerParams: Record<string, number> }
const expected = (c: string): Expected => JSON.parse(fs.readFileSync(path.join(DIR, c, 'expected.json'), 'utf8'));

const CASES: Array<[string, 'Sequential' | 'Functional']> = [
  ['keras_seq_emb_bigru', 'Sequential'],
  ['keras3_seq_emb_bigru', 'Sequential'],
  ['keras_seq_gru_before', 'Sequential'],
  ['keras_func_lstm', 'Functional'],
  ['keras_func_two_heads', 'Functional'],
];

onEachBackend(() => {
  beforeEach(() => resetNames());

  test.each(CASES)('%s loads as a %s and predicts the Keras 3 outputs to 1e-5', async (c, kind) => {
    const warnings: string[] = [];
    const model = await loadKerasModel(path.join(DIR, c, 'model.json'), { onWarning: (w) => warnings.push(w) });
    expect(model).toBeInstanceOf(kind === 'Sequential' ? Sequential : Functional);
    expect(warnings).toEqual([]);
    const e = expected(c);
    const x = tf.tensor(e.input, undefined, e.inputDtype);
    const y = model.predict(x) as tf.Tensor | tf.Tensor[];
    const got = Array.isArray(y) ? y.map((t) => t.arraySync()) : y.arraySync();
    expect(maxAbsDiff(got as never, e.output as never)).toBeLessThan(1e-5);
    expect(model.countParams()).toBe(e.countParams);
    for (const [name, n] of Object.entries(e.layerParams)) expect([name, model.getLayer(name).countParams()]).toEqual([name, n]);
    tf.dispose([x, ...(Array.isArray(y) ? y : [y])]);
    model.dispose();
  });

  test('loads from the folder and from a file:// URL too', async () => {
    const a = await loadKerasModel(path.join(DIR, 'keras_seq_emb_bigru'));
    const b = await loadKerasModel(`file://${path.join(DIR, 'keras_seq_emb_bigru', 'model.json')}`);
    expect(b.getWeights().map((w) => w.arraySync())).toEqual(a.getWeights().map((w) => w.arraySync()));
  });
});

beforeAll(() => setBackend('cpu', { verbose: false })); // for the blocks outside onEachBackend

describe('loadKerasModel over http', () => {
  test('fetches model.json and its weight shards from an http:// URL', async () => {
    const root = path.join(DIR, 'keras_func_lstm');
    const server = http.createServer((req, res) => {
      const file = path.join(root, path.basename(req.url ?? ''));
      if (!fs.existsSync(file)) { res.statusCode = 404; res.end(); return; }
      res.end(fs.readFileSync(file));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const { port } = server.address() as AddressInfo;
      const model = await loadKerasModel(`http://127.0.0.1:${port}/model.json`);
      const e = expected('keras_func_lstm');
      const y = model.predict(tf.tensor(e.input, undefined, e.inputDtype)) as tf.Tensor;
      expect(maxAbsDiff(y.arraySync() as never, e.output as never)).toBeLessThan(1e-5);
    } finally {
      server.close();
    }
  });
});

describe('loadKerasModel errors', () => {
  let dir: string;
  beforeEach(() => {
    resetNames();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'interop-'));
    for (const f of fs.readdirSync(path.join(DIR, 'keras_seq_emb_bigru'))) fs.copyFileSync(path.join(DIR, 'keras_seq_emb_bigru', f), path.join(dir, f));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const rewrite = (edit: (json: any) => void) => {
    const file = path.join(dir, 'model.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    edit(json);
    fs.writeFileSync(file, JSON.stringify(json));
  };
  const layers = (json: any) => json.modelTopology.model_config.config.layers;

  test.each<[string, (json: any) => void, RegExp]>([
    ['an unsupported layer class', (j) => { layers(j)[3].class_name = 'Conv1D'; }, /layer 'dense' has class Conv1D, which tfjs-recurrent cannot build; supported: Embedding, SimpleRNN, LSTM, GRU, Bidirectional/],
    ['an unknown config key', (j) => { layers(j)[3].config.flux = 1; }, /layer 'dense' \(Dense\): unsupported config key\(s\) 'flux'/],
    ['time_major', (j) => { layers(j)[2].config.layer.config.time_major = true; }, /layer 'gru' \(GRU\): time_major must be false here, got true/],
    ['an activation we lack', (j) => { layers(j)[2].config.layer.config.recurrent_activation = 'gelu'; }, /layer 'gru' \(GRU\): GRU: recurrentActivation must be one of .*got 'gelu'/],
    ['hard_sigmoid, which Keras 2 and 3 define differently', (j) => { layers(j)[2].config.layer.config.recurrent_activation = 'hard_sigmoid'; }, /layer 'gru' \(GRU\): recurrent_activation 'hard_sigmoid' is refused: Keras 2 computes clip\(0\.2x \+ 0\.5, 0, 1\), Keras 3 \(and tfjs-recurrent\) relu6\(x \+ 3\) \/ 6/],
    ['a missing weight', (j) => { j.weightsManifest[0].weights.splice(6, 2); j.weightsManifest[0].weights.push({ name: 'pad', shape: [13], dtype: 'float32' }); }, /layer 'dense' \(Dense\) needs one kernel weight, found none/],
    ['a weight of the wrong shape', (j) => { j.weightsManifest[0].weights[6].shape = [1, 12]; }, /weight bidirectional\/.*|dense\/kernel has shape \[1, 12\]; layer 'dense' expects \[12, 1\]/],
    ['a model class we lack', (j) => { j.modelTopology.model_config.class_name = 'Subclassed'; }, /the model has class Subclassed; expected Sequential or a functional Model/],
    ['a regularizer class we lack', (j) => { layers(j)[3].config.kernel_regularizer = { class_name: 'OrthogonalRegularizer', config: { factor: 0.01, mode: 'rows' } }; },
      /^loadKerasModel: layer 'dense' \(Dense\): Dense: kernelRegularizer must be a regularizer \(L1, L2, L1L2\).*; unknown class 'OrthogonalRegularizer', got /],
    ['a constraint setting we lack', (j) => { layers(j)[2].config.layer.config.kernel_constraint = { class_name: 'MaxNorm', config: { max_value: 2, axis: 0, clip: true } }; },
      /^loadKerasModel: layer 'gru' \(GRU\): GRU: kernelConstraint must be a constraint \(MaxNorm, NonNeg, UnitNorm, MinMaxNorm\).*; MaxNorm has no option 'clip', got /],
  ])('%s is a clear error', async (_, edit, message) => {
    rewrite(edit);
    await expect(loadKerasModel(dir)).rejects.toThrow(message);
  });

  test('a truncated weight file names the file', async () => {
    const bin = path.join(dir, 'group1-shard1of1.bin');
    fs.writeFileSync(bin, fs.readFileSync(bin).subarray(0, 100));
    await expect(loadKerasModel(dir)).rejects.toThrow(/: manifest declares \[\d+, \d+\] float32 = \d+ bytes from byte \d+, but group1-shard1of1\.bin hold\(s\) 100 bytes/);
  });

  test("tf.keras 2's regularizers and constraints are read as the layers' options, with no warning", async () => {
    rewrite((j) => {
      Object.assign(layers(j)[3].config, {
        kernel_regularizer: { class_name: 'L1L2', config: { l1: 0.0, l2: 0.01 } }, bias_constraint: { class_name: 'NonNeg', config: {} },
        activity_regularizer: { class_name: 'L1', config: { l1: 0.001 } },
      });
      Object.assign(layers(j)[2].config.layer.config, { recurrent_constraint: { class_name: 'MaxNorm', config: { max_value: 3, axis: 0 } }, bias_regularizer: null });
      layers(j)[1].config.embeddings_regularizer = { class_name: 'L2', config: { l2: 0.001 } };
    });
    const warnings: string[] = [];
    const model = await loadKerasModel(dir, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    expect(model.getLayer('dense').getConfig()).toMatchObject({
      kernelRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.01 } }, biasConstraint: { className: 'NonNeg', config: {} },
      activityRegularizer: { className: 'L1', config: { l1: 0.001 } },
    });
    const gru = model.getLayer('bidirectional').getConfig().layer as { config: Record<string, unknown> };
    expect(gru.config).toMatchObject({ recurrentConstraint: { className: 'MaxNorm', config: { maxValue: 3, axis: 0 } } });
    expect(gru.config).not.toHaveProperty('biasRegularizer');
    expect(model.getLayer('embedding').getConfig()).toMatchObject({ embeddingsRegularizer: { className: 'L2', config: { l2: 0.001 } } });
    model.dispose();
  });

  test('a missing path is a clear error', async () => {
    await expect(loadKerasModel(path.join(dir, 'nope.json'))).rejects.toThrow(/nope\.json does not exist/);
  });
});

describe('tfjs-recurrent summary', () => {
  test.each(CASES.map(([c]) => c))('prints the Keras summary of %s with Keras\'s parameter counts', async (c) => {
    resetNames();
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((l) => { lines.push(String(l)); });
    try {
      expect(await main(['summary', path.join(DIR, c, 'model.json')])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const e = expected(c);
    expect(lines[0]).toMatch(/^Model: "(sequential|model)"$/);
    expect(lines).toContain(`Total params: ${e.countParams.toLocaleString('en-US')}`);
    for (const [name, n] of Object.entries(e.layerParams)) {
      expect(lines.some((l) => l.startsWith(`${name} (`) && new RegExp(`\\s${n}(\\s|$)`).test(l))).toBe(true);
    }
  });

  test('the Sequential converted from Keras prints exactly the tf.keras table', async () => {
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((l) => { lines.push(String(l)); });
    try {
      await main(['summary', path.join(DIR, 'keras_seq_emb_bigru')]);
    } finally {
      log.mockRestore();
    }
    expect(lines.map((l) => l.trimEnd())).toEqual([
      'Model: "sequential"',
      '_'.repeat(65),
      'Layer (type)                 Output Shape              Param #',
      '='.repeat(65),
      'embedding (Embedding)        (None, 7, 8)              240',
      '_'.repeat(65),
      'bidirectional (Bidirectional (None, 12)                576',
      '_'.repeat(65),
      'dense (Dense)                (None, 1)                 13',
      '='.repeat(65),
      'Total params: 829',
      'Trainable params: 829',
      'Non-trainable params: 0',
      '_'.repeat(65),
    ]);
  });
});
