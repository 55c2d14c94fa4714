/**
 * `tfjs-recurrent export --to keras|onnx|torch SOURCE OUT` on a run folder of
 * the sentiment demo (--no-subwords, an ensemble of two), on one model
 * folder, and its errors. The formats themselves are tested against their
 * runtimes in export_onnx, export_keras and export_torch.test.ts; here the
 * exported ONNX files also run in onnxruntime and match the saved models.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { unzipSync, strFromU8 } from 'fflate';
import { main } from '../../src/cli/main';
import { exportModels } from '../../src/cli/export';
import { tf } from '../../src/tf';
import { EmbeddingBag, Sequential, fileIO, loadModel, resetNames } from '../../src';
import { maxAbsDiff } from '../helpers/close';
import { scratchDir } from '../helpers/scratch';
import { captureOutput } from '../helpers/capture_output';

const scratch = scratchDir('tfjs-recurrent-export-');
const { out, err } = captureOutput({ stderr: true, stdout: true });
beforeEach(() => resetNames());

const run = () => path.join(scratch(), 'run');

beforeAll(async () => {
  const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const code = await main([
    'sentiment', '--no-subwords', '--limit', '150', '--epochs', '1', '--ensemble', '2', '--units', '4', '--embedding-dim', '8',
    '--maxlen', '12', '--backend', 'cpu', '--out', path.join(scratch(), 'run'), '--no-progress',
  ]);
  quiet.mockRestore();
  if (code !== 0) throw new Error(`the demo run failed (exit ${code})`);
}, 120000);

test('--to onnx: a file per model of the ensemble, each giving the saved model\'s probabilities in onnxruntime', async () => {
  const dir = path.join(scratch(), 'onnx');
  expect(await main(['export', '--to', 'onnx', run(), dir])).toBe(0);
  expect(err).toEqual([]);
  expect(out).toEqual([path.join(dir, 'model.onnx'), path.join(dir, 'model_2.onnx'), path.join(dir, 'preprocessing.json')]);
  const ids = [[0, 0, 0, 0, 0, 0, 0, 4, 12, 7, 3, 9], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5], [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]];
  for (const m of ['model', 'model_2']) {
    const model = await loadModel(path.join(run(), m));
    const x = tf.tensor2d(ids, undefined, 'int32');
    const ours = model.predict(x) as tf.Tensor;
    const session = await ort.InferenceSession.create(path.join(dir, `${m}.onnx`));
    const r = await session.run({ [session.inputNames[0]]: new ort.Tensor('int32', Int32Array.from(ids.flat()), [3, 12]) });
    expect(maxAbsDiff(Array.from(r[session.outputNames[0]].data as Float32Array), Array.from(ours.dataSync()))).toBeLessThan(1e-5);
    await session.release();
    tf.dispose([x, ours]);
    model.dispose();
  }
});

test('--to keras and --to torch: Keras 3 files and state dicts with the same keys for every model', async () => {
  const k = path.join(scratch(), 'keras');
  const t = path.join(scratch(), 'torch');
  expect(await main(['export', '--to', 'keras', run(), k])).toBe(0);
  expect(await main(['export', '--to', 'torch', run(), t])).toBe(0);
  expect(err).toEqual([]);
  const config = JSON.parse(strFromU8(unzipSync(fs.readFileSync(path.join(k, 'model_2.keras')))['config.json']));
  expect(config.class_name).toBe('Functional');
  expect(config.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(
    ['InputLayer', 'Embedding', 'Bidirectional', 'GlobalAveragePooling1D', 'Concatenate', 'Dropout', 'Dense'],
  );
  const keys = (f: string) => Object.keys(JSON.parse(fs.readFileSync(path.join(t, f), 'utf8')));
  expect(keys('model.json')).toEqual([
    'embedding.weight',
    ...['', '_reverse'].flatMap((s) => ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((w) => `bidirectional.${w}_l0${s}`)),
    'dense.weight', 'dense.bias',
  ]);
  expect(keys('model_2.json')).toEqual(keys('model.json'));
});

test('one model folder goes to the file OUT names', async () => {
  const file = path.join(scratch(), 'one', 'sentiment.onnx');
  expect(await main(['export', '--to', 'onnx', path.join(run(), 'model_2'), file])).toBe(0);
  expect(out).toEqual([file, path.join(scratch(), 'one', 'preprocessing.json')]);
  expect(fs.statSync(file).size).toBeGreaterThan(1000);
});

test.each([
  ['an ensemble into one file name', () => ['export', '--to', 'onnx', run(), path.join(scratch(), 'x.onnx')], /^error: export: .* holds 2 models \(an ensemble\), so OUT must be a folder, got the file name .*x\.onnx$/],
  ['a missing source', () => ['export', '--to', 'torch', path.join(scratch(), 'nope'), 'x.json'], /^error: export: SOURCE .*nope does not exist$/],
])('%s is one line on stderr, exit 1', async (_, args, message) => {
  expect(await main(args())).toBe(1);
  expect(err).toHaveLength(1);
  expect(err[0]).toMatch(message);
});

test('a model with a layer the format has no form for is refused, naming the layer, and nothing is written', async () => {
  const dir = path.join(scratch(), 'flat');
  const model = new Sequential();
  model.add(new EmbeddingBag({ inputDim: 9, outputDim: 3, inputShape: [4, 2] }));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  await model.save(fileIO(dir));
  const file = path.join(scratch(), 'flat.keras');
  expect(await main(['export', '--to', 'keras', dir, file])).toBe(1);
  expect(err.join('\n')).toMatch(/^error: saveKeras: layer 'flatten' \(Flatten\) has no Keras counterpart here/);
  expect(fs.existsSync(file)).toBe(false);
  model.dispose();
});

test('--to must be keras, onnx or torch', async () => {
  expect(await main(['export', '--to', 'tflite', run(), 'x'])).not.toBe(0);
  expect(err.join('\n')).toMatch(/--to.*tflite.*keras, onnx, torch/s);
});

describe('files that exist', () => {
  const hash = (f: string) => fs.readFileSync(f).toString('base64');
  const model = () => path.join(run(), 'model');

  test.each([
    ['its model.json', () => path.join(model(), 'model.json')],
    ['its weights', () => path.join(model(), fs.readdirSync(model()).find((f) => f.endsWith('.bin'))!)],
    ['its folder (model.json inside)', () => model()],
  ])('OUT naming a file of the model being exported (%s) is refused, even with --force, and the model still loads', async (_, target) => {
    const before = hash(path.join(model(), 'model.json'));
    const format = target().endsWith('.json') || target() === model() ? 'torch' : 'onnx';
    expect(await main(['export', '--to', format, model(), target()])).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error: export: OUT .* is a file of the model being exported \(.*model\); refused, with or without --force: choose another OUT$/);
    await expect(exportModels(format, model(), target(), { force: true })).rejects.toThrow(/is a file of the model being exported/);
    expect(hash(path.join(model(), 'model.json'))).toBe(before);
    (await loadModel(model())).dispose();
  });

  test('export --to onnx run/model_2 run/model_2/model.json leaves the run whole', async () => {
    const member = path.join(run(), 'model_2');
    const json = path.join(member, 'model.json');
    const before = hash(json);
    expect(await main(['export', '--to', 'onnx', member, json])).toBe(1);
    expect(err[0]).toMatch(/is a file of the model being exported/);
    expect(hash(json)).toBe(before);
    (await loadModel(member)).dispose();
  });

  test('an existing file is replaced only with force; nothing is written when it is refused', async () => {
    const file = path.join(scratch(), 'exists', 'state.json');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, 'results I keep');
    expect(await main(['export', '--to', 'torch', model(), file])).toBe(1);
    expect(err).toEqual([`error: export: ${file} exists; refused to replace it (pass --force to replace it)`]);
    expect(fs.readFileSync(file, 'utf8')).toBe('results I keep');
    expect(await exportModels('torch', model(), file, { force: true })).toEqual([file, path.join(path.dirname(file), 'preprocessing.json')]);
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')))).toContain('dense.weight');
    fs.writeFileSync(file, 'results I keep');
    const out = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['export', '--to', 'torch', '--force', model(), file])).toBe(0); // the command line's --force
    out.mockRestore();
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')))).toContain('dense.weight');
  });

  test('an ensemble into a folder where one of its files exists writes none of them', async () => {
    const dir = path.join(scratch(), 'partly');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'model_2.onnx'), 'mine');
    expect(await main(['export', '--to', 'onnx', run(), dir])).toBe(1);
    expect(err[0]).toMatch(/model_2\.onnx exists; refused to replace it/);
    expect(fs.readdirSync(dir)).toEqual(['model_2.onnx']);
  });

  test.each([
    ['an ensemble into an existing file', () => {
      const f = path.join(scratch(), 'a-file');
      fs.writeFileSync(f, 'x');
      return [run(), f];
    }, /^error: export: .* holds 2 models \(an ensemble\), so OUT must be a folder, but .*a-file is a file$/],
    ['OUT under a file', () => {
      const f = path.join(scratch(), 'b-file');
      fs.writeFileSync(f, 'x');
      return [model(), path.join(f, 'm.onnx')];
    }, /^error: export: cannot write .*b-file\/m\.onnx: .*b-file is a file, not a folder$/],
  ])('%s is our one-line error, not a raw ENOTDIR or EEXIST', async (_, args, message) => {
    expect(await main(['export', '--to', 'onnx', ...args()])).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });
});
