/**
 * `predict` on a run folder: one member's folder scores with that member
 * alone, a damaged folder is an error naming the file and what is wrong, empty
 * standard input is an error, and the backend is chosen as `sentiment` does.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import { main } from '../../src/cli/main';
import * as backend from '../../src/backend';
import { resetNames } from '../../src';
import { DEFAULTS, runSentiment } from '../../src/sentiment/train';
import { predictSentiment } from '../../src/sentiment/predict';
import { loadModel } from '../../src/model/io';
import { tf } from '../../src/tf';
import { scratchDir } from '../helpers/scratch';
import { captureOutput } from '../helpers/capture_output';

const { out, err } = captureOutput();

const scratch = scratchDir('tfjs-recurrent-predict-');
let run = '';

beforeAll(async () => {
  resetNames();
  await backend.setBackend('cpu');
  run = path.join(scratch(), 'run');
  await runSentiment(
    { ...DEFAULTS, cell: 'lstm', units: 2, embeddingDim: 4, maxlen: 8, epochs: 1, limit: 60, backend: 'cpu', progress: false,
      subwords: true, subwordBuckets: 50, ensemble: 2, out: run },
    () => undefined,
  );
}, 120_000);


/** A copy of the run folder, changed by `damage`. */
function damaged(name: string, damage: (dir: string) => void): string {
  const dir = path.join(scratch(), name);
  fs.cpSync(run, dir, { recursive: true });
  damage(dir);
  return dir;
}
/** report.json as the tests edit it. */
type Report = { config?: Record<string, unknown>; members?: unknown };
const editReport = (dir: string, edit: (r: Report) => void) => {
  const file = path.join(dir, 'report.json');
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(r);
  fs.writeFileSync(file, JSON.stringify(r));
};

test('a member folder scores with that member alone; the run folder averages the members', async () => {
  const texts = ['a wonderful film', 'terrible service'];
  const all = await predictSentiment(run, texts);
  const one = await predictSentiment(path.join(run, 'model_2'), texts);
  const first = await predictSentiment(path.join(run, 'model', 'model.json'), texts);
  const m = await loadModel(path.join(run, 'model_2'));
  const report = JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8'));
  expect(report.members.map((x: { dir: string }) => x.dir)).toEqual(['model', 'model_2']);
  const { encodeTexts, idsTensor } = await import('../../src/sentiment/encode');
  const { Tokenizer } = await import('../../src/text/tokenizer');
  const tok = Tokenizer.fromJSON(fs.readFileSync(path.join(run, 'tokenizer.json'), 'utf8'));
  const x = idsTensor(encodeTexts(tok, texts, report.config), report.config);
  const direct = Array.from((m.predict(x) as tf.Tensor).dataSync());
  tf.dispose(x);
  m.dispose();
  one.forEach((p, i) => expect(p).toBeCloseTo(direct[i], 6));
  all.forEach((p, i) => expect(p).toBeCloseTo((first[i] + one[i]) / 2, 6));
  expect(one).not.toEqual(all);
});

test.each<[string, (dir: string) => void, (dir: string) => RegExp]>([
  ['members not an array', (d) => editReport(d, (r) => void (r.members = { dir: 'model' })),
    (d) => new RegExp(`^predict: ${esc(d)}/report\\.json: members must be a non-empty array of \\{ dir: 'model' \\| 'model_N', \\.\\.\\. \\}, got \\{"dir":"model"\\}$`)],
  ['a member folder outside the run', (d) => editReport(d, (r) => void (r.members = [{ dir: '../../etc' }])),
    (d) => new RegExp(`^predict: ${esc(d)}/report\\.json: members must be a non-empty array`)],
  ['no config', (d) => editReport(d, (r) => void delete r.config),
    (d) => new RegExp(`^predict: ${esc(d)}/report\\.json: config must be an object of the run's options \\(maxlen, subwords, \\.\\.\\.\\), got undefined$`)],
  ['no maxlen (the tensor shape [1,])', (d) => editReport(d, (r) => void delete r.config!.maxlen),
    (d) => new RegExp(`^predict: ${esc(d)}/report\\.json: config\\.maxlen must be a positive integer, got undefined$`)],
  ['subwords without their settings', (d) => editReport(d, (r) => void delete r.config!.subwordBuckets),
    (d) => new RegExp(`^predict: ${esc(d)}/report\\.json: config\\.subwordBuckets must be a positive integer \\(config\\.subwords is true\\), got undefined$`)],
  ['a maxlen other than the model\'s', (d) => editReport(d, (r) => void (r.config!.maxlen = 5)),
    (d) => new RegExp(`^predict: ${esc(d)}/model/model\\.json takes input \\[null, 8, 25\\], but ${esc(d)}/report\\.json's config encodes texts as \\[null, 5, 25\\]$`)],
  ['report.json not JSON', (d) => fs.writeFileSync(path.join(d, 'report.json'), '{"config": '),
    (d) => new RegExp(`^predict: ${esc(d)}/report\\.json is not valid JSON \\(`)],
  ['report.json an array', (d) => fs.writeFileSync(path.join(d, 'report.json'), '[1]'),
    (d) => new RegExp(`^predict: ${esc(d)}/report\\.json: the report must be the object 'tfjs-recurrent sentiment' writes, got \\[1\\]$`)],
  ['tokenizer.json missing', (d) => fs.rmSync(path.join(d, 'tokenizer.json')),
    (d) => new RegExp(`^predict: ${esc(d)}/tokenizer\\.json is missing; a run folder written by 'tfjs-recurrent sentiment' holds the tokenizer its models were trained with$`)],
  ['tokenizer.json not JSON', (d) => fs.writeFileSync(path.join(d, 'tokenizer.json'), 'nope'),
    (d) => new RegExp(`^predict: ${esc(d)}/tokenizer\\.json: Tokenizer\\.fromJSON: not valid JSON`)],
])('a damaged run folder, %s: the error names the file and what is wrong', async (name, damage, re) => {
  const d = damaged(`d-${name.replace(/\W+/g, '-')}`, damage);
  await expect(predictSentiment(d, ['good'])).rejects.toThrow(re(d));
  expect(await main(['predict', '--backend', 'cpu', '--model', d, 'good'])).toBe(1);
  expect(err).toEqual([`error: ${(await predictSentiment(d, ['good']).catch((e: Error) => e.message))}`]);
  expect(out).toEqual([]);
});

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

test('empty standard input is an error on stderr with a non-zero exit, not silence', async () => {
  expect(await main(['predict', '--backend', 'cpu', '--model', run], { stdin: Readable.from(['\n', '  \n']) })).toBe(1);
  expect(err).toEqual(['error: predict: no text to score: standard input had no non-empty line (give texts as arguments, or one per line on standard input)']);
  expect(out).toEqual([]);
});

test("predict's backend is 'auto' by default, as sentiment's: the fastest that runs here, not cpu", async () => {
  const spy = jest.spyOn(backend, 'setBackend');
  try {
    expect(await main(['predict', '--model', run, 'good'])).toBe(0);
    expect(spy).toHaveBeenCalledWith('auto', { verbose: false });
    const can = await backend.availableBackends();
    expect(tf.getBackend()).toBe(can.includes('tensorflow') ? 'tensorflow' : can.includes('wasm') ? 'wasm' : 'cpu');
  } finally {
    await backend.setBackend('cpu');
  }
  expect(out).toEqual([expect.stringMatching(/^0\.\d{4}\tgood$/)]);
  expect(err).toEqual([]);
});
