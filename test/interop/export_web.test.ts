/**
 * `tfjs-recurrent export --to web RUN OUT`: a run's models in tfjs's own
 * format, one folder each, read by `tf.loadLayersModel` over http, with
 * preprocessing.json and run.json; what a page does with them (encodingOf,
 * encodeTexts, the mean of the models) gives predict's probabilities. Then
 * which SOURCE it takes and the rules its files are written under.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';
import { main } from '../../src/cli/main';
import { exportModels } from '../../src/cli/export';
import { WebRun } from '../../src/cli/export_web';
import { tf } from '../../src/tf';
import { Tokenizer, resetNames } from '../../src';
import { predictSentiment } from '../../src/sentiment/predict';
import { encodeTexts, idsTensor } from '../../src/sentiment/encode';
import { readReport } from '../../src/sentiment/run_folder';
import { Preprocessing, encodingOf, preprocessingOf } from '../../src/sentiment/preprocessing';
import { scratchDir } from '../helpers/scratch';
import { trainSmallRuns } from '../helpers/small_runs';
import { captureOutput } from '../helpers/capture_output';

const scratch = scratchDir('tfjs-recurrent-export-web-');
const words = () => path.join(scratch(), 'words'); // --no-subwords, an ensemble of two
const bags = () => path.join(scratch(), 'bags'); //   subword bags, one model
const TEXTS = ['A wonderful phone, great battery!', 'terrible service 👎 never again', '', 'xyzzy unwatchablish 😀 Café', 'the '.repeat(30)];

beforeAll(() => trainSmallRuns({ words: words(), bags: bags() }, 'bigru'), 120_000);

const { out, err } = captureOutput({ stderr: true });
beforeEach(() => resetNames());

/** Serves `root` over http on 127.0.0.1 while `use` runs. */
async function serving<T>(root: string, use: (url: string) => Promise<T>): Promise<T> {
  const server = http.createServer((req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(root) || !fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

/**
 * Node's fetch, its bodies parsed inside this test's realm: jest runs the test in a sandbox,
 * whose arrays tfjs's `instanceof Array` tells apart from those of JSON parsed outside it.
 */
async function fetchHere(url: string | URL | Request, init?: RequestInit): Promise<Response> {
  const r = await fetch(url, init);
  const bytes = new Uint8Array(await r.arrayBuffer()).slice();
  const text = () => new TextDecoder().decode(bytes);
  return { ok: r.ok, status: r.status, statusText: r.statusText, headers: r.headers, url: r.url,
    json: async () => JSON.parse(text()), text: async () => text(), arrayBuffer: async () => bytes.buffer } as unknown as Response;
}

/** What the page does: run.json's models over http, the texts encoded from preprocessing.json alone, the mean of the models. */
async function scoreAsThePage(dir: string, texts: string[]): Promise<number[]> {
  return serving(dir, async (url) => {
    const run = (await (await fetchHere(`${url}run.json`)).json()) as WebRun;
    const p = (await (await fetchHere(`${url}${run.preprocessing}`)).json()) as Preprocessing;
    const encoding = encodingOf(p);
    const x = idsTensor(encodeTexts(Tokenizer.fromJSON(JSON.stringify(p.tokenizer)), texts, encoding), encoding);
    const sum = new Array<number>(texts.length).fill(0);
    for (const m of run.models) {
      const model = await tf.loadLayersModel(tf.io.http(`${url}${m}`, { fetchFunc: fetchHere }));
      const y = model.predict(x) as tf.Tensor;
      Array.from(y.dataSync()).forEach((v, i) => (sum[i] += v / run.models.length));
      y.dispose();
      model.dispose();
    }
    x.dispose();
    return sum;
  });
}

test('a run into a folder: a folder per model in tfjs\'s format, then preprocessing.json and run.json, listed in that order', async () => {
  const dir = path.join(scratch(), 'words-web');
  expect(await main(['export', '--to', 'web', words(), dir])).toBe(0);
  expect(err).toEqual([]);
  expect(out).toEqual(['model/model.json', 'model/weights.bin', 'model_2/model.json', 'model_2/weights.bin', 'preprocessing.json', 'run.json'].map((f) => path.join(dir, f)));
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model_2', 'model.json'), 'utf8'));
  expect(json.format).toBe('layers-model');
  expect(json.weightsManifest).toEqual([{ paths: ['weights.bin'], weights: expect.any(Array) }]);
  const bytes = json.weightsManifest[0].weights.reduce((n: number, w: { shape: number[] }) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  expect(fs.statSync(path.join(dir, 'model_2', 'weights.bin')).size).toBe(bytes);
  const run = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as WebRun;
  const report = JSON.parse(fs.readFileSync(path.join(words(), 'report.json'), 'utf8'));
  expect(run).toEqual({
    format: 'tfjs-recurrent-web-run',
    version: 1,
    models: ['model/model.json', 'model_2/model.json'],
    preprocessing: 'preprocessing.json',
    config: { cell: 'lstm', pooling: 'last', units: 4, ensemble: 2 },
    testAccuracy: report.model.test.accuracy,
    data: report.data.source,
  });
  expect(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')).not.toContain(scratch());
});

test.each([
  ['word ids, an ensemble of two', words],
  ['subword bags, a BiGRU', bags],
])('%s: tf.loadLayersModel over http, on ids from preprocessing.json alone, gives predict\'s probabilities', async (_, run) => {
  const dir = path.join(scratch(), `${path.basename(run())}-http`);
  await exportModels('web', run(), dir);
  const theirs = await scoreAsThePage(dir, TEXTS);
  const ours = await predictSentiment(run(), TEXTS);
  theirs.forEach((v, i) => expect(Math.abs(v - ours[i])).toBeLessThan(1e-6));
});

test('one model folder of a run: that model alone, and no test accuracy (the run\'s is the ensemble\'s)', async () => {
  const dir = path.join(scratch(), 'member-web');
  expect(await exportModels('web', path.join(words(), 'model_2'), dir)).toEqual(
    ['model_2/model.json', 'model_2/weights.bin', 'preprocessing.json', 'run.json'].map((f) => path.join(dir, f)),
  );
  const run = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as WebRun;
  expect(run.models).toEqual(['model_2/model.json']);
  expect(run.testAccuracy).toBeNull();
  expect(await scoreAsThePage(dir, TEXTS)).toEqual(await predictSentiment(path.join(words(), 'model_2'), TEXTS));
});

test('encodingOf gives back the encoding preprocessing.json was made from, and refuses what is no such file', () => {
  const tok = new Tokenizer({ oovToken: '<OOV>' });
  tok.fitOnTexts(['not bad at all', 'bad']);
  const bagsEncoding = { maxlen: 7, subwords: true, subwordBuckets: 50, subwordMinN: 2, subwordMaxN: 4, subwordMaxNgrams: 6 };
  expect(encodingOf(preprocessingOf(tok, bagsEncoding))).toEqual(bagsEncoding);
  expect(encodingOf(preprocessingOf(tok, { ...bagsEncoding, subwords: false })).subwords).toBe(false);
  expect(encodingOf(JSON.parse(JSON.stringify(preprocessingOf(tok, readReport(words()).encoding))))).toEqual({
    ...readReport(words()).encoding, subwordBuckets: 0, subwordMinN: 0, subwordMaxN: 0, subwordMaxNgrams: 0,
  });
  expect(() => encodingOf({ format: 'x' } as never)).toThrow(/^encodingOf: the format field must be 'tfjs-recurrent-preprocessing' \(the content of a preprocessing\.json\), got 'x'$/);
  const p = preprocessingOf(tok, bagsEncoding);
  expect(() => encodingOf({ ...p, subwords: { ...p.subwords!, buckets: 0 } })).toThrow(/^encodingOf: subwords\.buckets must be a positive integer, got 0$/);
  expect(() => encodingOf({ ...p, version: 2 } as never)).toThrow(/^encodingOf: version must be 1, got 2$/);
});

describe('which SOURCE and OUT it takes', () => {
  test('a model folder in no run is refused (the page needs the tokenizer), and nothing is written', async () => {
    const alone = path.join(scratch(), 'alone');
    fs.cpSync(path.join(words(), 'model'), path.join(alone, 'model'), { recursive: true });
    const dir = path.join(scratch(), 'alone-web');
    expect(await main(['export', '--to', 'web', path.join(alone, 'model'), dir])).toBe(1);
    expect(err).toEqual([
      `error: export: --to web needs a run folder written by 'tfjs-recurrent sentiment' (or one of its model folders), whose tokenizer the page encodes texts with; ${path.join(alone, 'model')} is in no run`,
    ]);
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('OUT a file is refused', async () => {
    const file = path.join(scratch(), 'a-file');
    fs.writeFileSync(file, 'x');
    expect(await main(['export', '--to', 'web', words(), file])).toBe(1);
    expect(err).toEqual([`error: export: --to web writes a folder, but OUT ${file} is a file`]);
  });

  test('OUT the run itself is refused, even with --force, and the run still predicts', async () => {
    const before = await predictSentiment(words(), TEXTS);
    expect(await main(['export', '--to', 'web', '--force', words(), words()])).toBe(1);
    expect(err[0]).toMatch(/^error: export: OUT .*model\.json is a file of the model being exported \(.*model\); refused, with or without --force: choose another OUT$/);
    expect(await predictSentiment(words(), TEXTS)).toEqual(before);
  });

  test('files that exist are replaced only with --force; when refused, none is written', async () => {
    const dir = path.join(scratch(), 'again-web');
    await exportModels('web', words(), dir);
    const run = path.join(dir, 'run.json');
    fs.writeFileSync(run, '{"mine": true}');
    fs.rmSync(path.join(dir, 'model_2'), { recursive: true });
    expect(await main(['export', '--to', 'web', words(), dir])).toBe(1);
    expect(err).toEqual([`error: export: ${path.join(dir, 'model', 'model.json')} exists; refused to replace it (pass --force to replace it)`]);
    expect(fs.existsSync(path.join(dir, 'model_2'))).toBe(false);
    expect(fs.readFileSync(run, 'utf8')).toBe('{"mine": true}');
    expect(await main(['export', '--to', 'web', '--force', words(), dir])).toBe(0);
    expect((JSON.parse(fs.readFileSync(run, 'utf8')) as WebRun).models).toEqual(['model/model.json', 'model_2/model.json']);
  });
});
