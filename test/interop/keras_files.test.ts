/**
 * loadKerasModel on Keras's own files, read directly: `.keras` files and
 * legacy `.h5` files saved by real Keras 3 (test/reference/make_keras_files.py),
 * tf.keras 2.12's `.h5` files (make_interop.py), and our own saveKeras files,
 * predicting what Keras predicts; and hostile files refused with a clear
 * error, nothing kept, the process working.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import * as lib from '../../src';
import { tf } from '../../src/tf';
import { Functional, loadKerasModel, resetNames, saveKeras } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { maxAbsDiff } from '../helpers/close';
import { scratchDir } from '../helpers/scratch';
import { main } from '../../src/cli/main';
import { buildClassifier } from '../../src/sentiment/model';
import { DEFAULTS } from '../../src/sentiment/options';

const FILES = path.join(__dirname, '..', 'fixtures', 'keras_files');
const INTEROP = path.join(__dirname, '..', 'fixtures', 'interop');
interface Case {
  name: string;
  inputs: unknown[];
  dtypes: Array<'int32' | 'float32'>;
  outputs: number[][];
}
const CASES: Case[] = JSON.parse(fs.readFileSync(path.join(FILES, 'expected.json'), 'utf8')).cases;
const TF_KERAS_2 = ['keras_seq_emb_bigru', 'keras_seq_gru_before', 'keras_func_lstm', 'keras_func_two_heads'];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cases: exportCases } = require('../reference/keras_export_cases.js') as {
  cases: (l: typeof lib, demo: unknown) => Array<{ name: string; build: () => tf.LayersModel; input: unknown; inputDtype: 'int32' | 'float32' }>;
};

/** Largest |difference| between the model's outputs and `want`. */
function worst(model: tf.LayersModel, xs: tf.Tensor[], want: unknown[]): number {
  const ys = [model.predict(xs.length === 1 ? xs[0] : xs)].flat() as tf.Tensor[];
  expect(ys).toHaveLength(want.length);
  const d = Math.max(...ys.map((y, i) => maxAbsDiff(y.arraySync() as number[], want[i] as number[])));
  tf.dispose(ys);
  return d;
}

onEachBackend(() => {
  const dir = scratchDir('keras-files-');
  beforeEach(() => resetNames());

  test.each(CASES.flatMap((c) => [[c.name, 'model.keras', c], [c.name, 'model.h5', c]] as Array<[string, string, Case]>))(
    '%s/%s, saved by Keras 3, predicts what Keras predicts to 1e-5',
    async (name, file, c) => {
      const model = await loadKerasModel(path.join(FILES, name, file));
      const xs = c.inputs.map((x, i) => tf.tensor(x as number[], undefined, c.dtypes[i]));
      expect(worst(model, xs, c.outputs)).toBeLessThan(1e-5);
      tf.dispose(xs);
      model.dispose();
    },
  );

  test.each(TF_KERAS_2)('%s/model.h5, saved by tf.keras 2.12, predicts what Keras predicts to 1e-5', async (name) => {
    const e = JSON.parse(fs.readFileSync(path.join(INTEROP, name, 'expected.json'), 'utf8'));
    const model = await loadKerasModel(path.join(INTEROP, name, 'model.h5'));
    const x = tf.tensor(e.input, undefined, e.inputDtype);
    const want = name === 'keras_func_two_heads' ? e.output : [e.output];
    expect(worst(model, [x], want)).toBeLessThan(1e-5);
    expect(model.countParams()).toBe(e.countParams);
    x.dispose();
    model.dispose();
  });

  test.each(['seq_emb_bilstm_sum_gru', 'seq_float_gru_before_rnn_back', 'func_sentiment_demo', 'func_two_heads_merges', 'func_states_bi_null'])(
    '%s: saveKeras, then loadKerasModel, gives the same model',
    async (name) => {
      const c = exportCases(lib, { buildClassifier, DEFAULTS }).find((k) => k.name === name)!;
      const model = c.build();
      const file = path.join(dir(), `${name}.keras`);
      await saveKeras(model, file);
      const back = await loadKerasModel(file);
      const x = tf.tensor(c.input as number[], undefined, c.inputDtype);
      const ours = [model.predict(x)].flat() as tf.Tensor[];
      expect(worst(back, [x], ours.map((y) => y.arraySync()))).toBe(0);
      tf.dispose([x, ...ours]);
      model.dispose();
      back.dispose();
    },
  );

  test("a Keras 3 file's hard_sigmoid is read as Keras 3's, which is ours", async () => {
    const model = await loadKerasModel(path.join(FILES, 'seq_float_gru_before', 'model.keras'));
    expect(model.layers[0].getConfig().recurrentActivation).toBe('hard_sigmoid');
    model.dispose();
  });
});

test('the command line reads them too: summary of a .keras file, export of an .h5 file', async () => {
  const printed: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
  try {
    expect(await main(['summary', path.join(FILES, 'func_sentiment', 'model.keras')])).toBe(0);
    expect(printed.join('\n')).toMatch(/bidirectional_1 \(Bidirectional\) \(None, 8\) +352 +embedding_1\[0\]\[0\]/);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keras-files-cli-')), 'model.onnx');
    expect(await main(['export', '--to', 'onnx', path.join(FILES, 'seq_emb_bigru_lstm', 'model.h5'), out])).toBe(0);
    expect(fs.statSync(out).size).toBeGreaterThan(1000);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  } finally {
    log.mockRestore();
  }
});

describe('hostile and wrong files', () => {
  const dir = scratchDir('keras-files-bad-');
  const keras = () => fs.readFileSync(path.join(FILES, 'seq_emb_bigru_lstm', 'model.keras'));
  const entries = () => unzipSync(keras());
  const write = (name: string, bytes: Uint8Array) => {
    const f = path.join(dir(), name);
    fs.writeFileSync(f, bytes);
    return f;
  };
  const refused = async (file: string, message: RegExp) => {
    const before = tf.memory().numTensors;
    await expect(loadKerasModel(file)).rejects.toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  };

  test('a .keras file without model.weights.h5', async () => {
    const e = entries();
    delete e['model.weights.h5'];
    await refused(write('no-weights.keras', zipSync(e)), /loadKerasModel: .*no-weights\.keras has no model\.weights\.h5; a \.keras file holds config\.json and model\.weights\.h5/);
  });

  test('config.json that is not JSON, or not a model config', async () => {
    await refused(write('bad-json.keras', zipSync({ ...entries(), 'config.json': strToU8('{"class_name": ') })), /bad-json\.keras \(config\.json\) is not JSON/);
    await refused(write('not-model.keras', zipSync({ ...entries(), 'config.json': strToU8('[1, 2]') })), /not-model\.keras \(config\.json\) is not a model config/);
  });

  test('a zip entry that would inflate far past its size (a zip bomb) is refused before it is inflated', async () => {
    const bomb = zipSync({ ...entries(), 'model.weights.h5': [new Uint8Array(64 * 2 ** 20), { level: 9 }] });
    await refused(write('bomb.keras', bomb), /the zip entry model\.weights\.h5 would inflate from \d+ to 67108864 bytes; refused/);
  });

  test('a config that makes more weights than the file holds is refused before they are allocated', async () => {
    const e = entries();
    const config = JSON.parse(Buffer.from(e['config.json']).toString('utf8'));
    config.config.layers[3].config.units = 3000; // the LSTM
    await refused(write('big.keras', zipSync({ ...e, 'config.json': strToU8(JSON.stringify(config)) })), /loadKerasModel: .*lstm.*the weight files hold \d+ bytes in all/);
  });

  test('weights that fit no layer, and a truncated HDF5 file', async () => {
    const e = entries();
    const config = JSON.parse(Buffer.from(e['config.json']).toString('utf8'));
    config.config.layers.pop(); // the Dense: its weights are left over
    await refused(write('extra.keras', zipSync({ ...e, 'config.json': strToU8(JSON.stringify(config)) })), /loadKerasModel: weight\(s\) layers\/dense\/vars\/0, layers\/dense\/vars\/1 belong to no layer of the model/);
    const h5 = fs.readFileSync(path.join(FILES, 'seq_emb_bigru_lstm', 'model.h5'));
    await refused(write('cut.h5', h5.subarray(0, 3000)), /loadKerasModel: .*cut\.h5 is not a readable HDF5 file/);
  });

  test('an HDF5 file of weights only, and a file that is neither', async () => {
    const model = await loadKerasModel(path.join(FILES, 'func_sentiment', 'model.keras'));
    model.dispose();
    const weightsOnly = entries()['model.weights.h5'];
    await refused(write('weights.h5', weightsOnly), /weights\.h5 has no model_config attribute: it holds weights only \(save_weights\), not a model/);
    await refused(write('text.keras', strToU8('hello')), /loadKerasModel: .*text\.keras is neither a \.keras file \(a zip\) nor an HDF5 file/);
  });

  test("a call's mask that is not its Embedding's padding mask is refused, naming the layer", async () => {
    const e = unzipSync(fs.readFileSync(path.join(FILES, 'func_sentiment', 'model.keras')));
    const config = JSON.parse(Buffer.from(e['config.json']).toString('utf8'));
    const bi = config.config.layers.find((l: { class_name: string }) => l.class_name === 'Bidirectional');
    bi.inbound_nodes[0].kwargs.mask.config.keras_history = ['ids', 0, 0];
    await refused(write('mask.keras', zipSync({ ...e, 'config.json': strToU8(JSON.stringify(config)) })),
      /loadKerasModel: layer 'bidirectional_1': its mask argument \(\["ids",0,0\]\) is not the padding mask of the Embedding\(mask_zero=True\) or Masking it reads/);
  });

  test('the process works after refusals: a good file still loads', async () => {
    const model = await loadKerasModel(path.join(FILES, 'func_sentiment', 'model.keras'));
    expect(model).toBeInstanceOf(Functional);
    model.dispose();
  });
});
