/**
 * `tfjs-recurrent export` of a run folder writes preprocessing.json beside
 * the models: the tokenizer and the encoding that turn texts into their input,
 * naming no file of the run. Where it goes for each SOURCE (a run, one of its
 * model folders or model.json files, a model folder outside any run: none),
 * the rules it is written under (checked before any file is written; an
 * existing one replaced only with --force or where it holds the same bytes),
 * and the Node recipe examples/serve_onnx.mjs, which serves the exported
 * ONNX models with it and gives predict's probabilities.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { exportModels } from '../../src/cli/export';
import { Tokenizer, padSequences, resetNames, subwordBags } from '../../src';
import { predictSentiment } from '../../src/sentiment/predict';
import { encodeTexts } from '../../src/sentiment/encode';
import { readReport, readTokenizer } from '../../src/sentiment/run_folder';
import { Preprocessing, preprocessingOf } from '../../src/sentiment/preprocessing';
import { builtDist } from '../helpers/dist';
import { scratchDir } from '../helpers/scratch';
import { trainSmallRuns } from '../helpers/small_runs';
import { captureOutput } from '../helpers/capture_output';

const ROOT = path.join(__dirname, '..', '..');
const scratch = scratchDir('tfjs-recurrent-export-pre-');
const words = () => path.join(scratch(), 'words'); // --no-subwords, an ensemble of two
const bags = () => path.join(scratch(), 'bags'); //   subword bags, one model

beforeAll(() => trainSmallRuns({ words: words(), bags: bags() }), 120_000);

const { out, err } = captureOutput({ stderr: true });
beforeEach(() => resetNames());

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Preprocessing;
const TEXTS = ['A wonderful phone, great battery!', 'terrible service 👎 never again', '', 'xyzzy unwatchablish 😀 Café', 'the '.repeat(30)];

test('a run of word ids into a folder: preprocessing.json listed last, holding the tokenizer and the encoding, naming no file', async () => {
  const dir = path.join(scratch(), 'words-onnx');
  expect(await main(['export', '--to', 'onnx', words(), dir])).toBe(0);
  expect(err).toEqual([]);
  expect(out).toEqual(['model.onnx', 'model_2.onnx', 'preprocessing.json'].map((f) => path.join(dir, f)));
  const text = fs.readFileSync(path.join(dir, 'preprocessing.json'), 'utf8');
  expect(text).not.toContain(scratch());
  const p = JSON.parse(text) as Preprocessing;
  expect(Object.keys(p)).toEqual(['format', 'version', 'maxlen', 'padding', 'truncating', 'subwords', 'inputShape', 'dtype', 'tokenizer']);
  expect(p).toMatchObject({ format: 'tfjs-recurrent-preprocessing', version: 1, maxlen: 12, padding: 'pre', truncating: 'pre', subwords: null, inputShape: [12], dtype: 'int32' });
  expect(p.tokenizer).toEqual(JSON.parse(fs.readFileSync(path.join(words(), 'tokenizer.json'), 'utf8')));
  // What a server in Node does with it gives the ids predict gives.
  const tok = Tokenizer.fromJSON(JSON.stringify(p.tokenizer));
  const ids = padSequences(tok.textsToSequences(TEXTS), { maxlen: p.maxlen, padding: p.padding, truncating: p.truncating });
  expect(ids).toEqual(encodeTexts(readTokenizer(words()), TEXTS, readReport(words()).encoding));
});

test('a run of subword bags: its settings and the vocabulary size the buckets start at', async () => {
  const file = path.join(scratch(), 'bags-torch', 'state.json');
  expect(await main(['export', '--to', 'torch', bags(), file])).toBe(0);
  expect(out).toEqual([file, path.join(scratch(), 'bags-torch', 'preprocessing.json')]);
  const p = read(path.join(scratch(), 'bags-torch', 'preprocessing.json'));
  const V = JSON.parse(fs.readFileSync(path.join(bags(), 'report.json'), 'utf8')).config.vocabularySize;
  expect(p.subwords).toEqual({ buckets: 500, minN: 3, maxN: 5, maxNgrams: 24, vocabularySize: V, width: 25 });
  expect(p.inputShape).toEqual([12, 25]);
  const tok = Tokenizer.fromJSON(JSON.stringify(p.tokenizer));
  const s = p.subwords!;
  expect(subwordBags(tok, TEXTS, { buckets: s.buckets, minN: s.minN, maxN: s.maxN, maxNgrams: s.maxNgrams, maxlen: p.maxlen }))
    .toEqual(encodeTexts(readTokenizer(bags()), TEXTS, readReport(bags()).encoding));
});

describe('which SOURCE gets one', () => {
  test.each([
    ['a model folder of a run', () => path.join(words(), 'model_2')],
    ['a model.json of a run', () => path.join(words(), 'model_2', 'model.json')],
  ])('%s: beside the file OUT names, the run\'s', async (_, source) => {
    const file = path.join(fs.mkdtempSync(path.join(scratch(), 'member-')), 'm.json');
    expect(await main(['export', '--to', 'torch', source(), file])).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([file, path.join(path.dirname(file), 'preprocessing.json')]);
    expect(read(out[1]).tokenizer).toEqual(JSON.parse(fs.readFileSync(path.join(words(), 'tokenizer.json'), 'utf8')));
  });

  test.each([
    ['a model folder outside any run', (dir: string) => fs.cpSync(path.join(words(), 'model'), path.join(dir, 'model'), { recursive: true })],
    ['a model folder in a run without tokenizer.json', (dir: string) => {
      fs.cpSync(path.join(words(), 'model'), path.join(dir, 'model'), { recursive: true });
      fs.copyFileSync(path.join(words(), 'report.json'), path.join(dir, 'report.json'));
      return 'model';
    }],
    ['a folder not named as a run\'s models, in a run', (dir: string) => {
      fs.cpSync(path.join(words(), 'model'), path.join(dir, 'mine'), { recursive: true });
      for (const f of ['report.json', 'tokenizer.json']) fs.copyFileSync(path.join(words(), f), path.join(dir, f));
      return 'mine';
    }],
  ])('%s: none, and nothing said about it', async (_, make) => {
    const dir = fs.mkdtempSync(path.join(scratch(), 'alone-'));
    const source = path.join(dir, make(dir) ?? 'model');
    const file = path.join(dir, 'exported', 'm.onnx');
    expect(await main(['export', '--to', 'onnx', source, file])).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([file]);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['m.onnx']);
  });
});

describe('the rules it is written under', () => {
  test('an existing preprocessing.json is refused without --force, and nothing is written; --force replaces it', async () => {
    const dir = path.join(scratch(), 'kept');
    fs.mkdirSync(dir);
    const pre = path.join(dir, 'preprocessing.json');
    fs.writeFileSync(pre, '{"mine": true}');
    expect(await main(['export', '--to', 'torch', words(), dir])).toBe(1);
    expect(err).toEqual([`error: export: ${pre} exists; refused to replace it (pass --force to replace it)`]);
    expect(fs.readdirSync(dir)).toEqual(['preprocessing.json']);
    expect(fs.readFileSync(pre, 'utf8')).toBe('{"mine": true}');
    expect(await exportModels('torch', words(), dir, { force: true })).toEqual(['model.json', 'model_2.json', 'preprocessing.json'].map((f) => path.join(dir, f)));
    expect(read(pre).format).toBe('tfjs-recurrent-preprocessing');
  });

  test('one that holds the same bytes is no file replaced: a second format into the same folder needs no --force', async () => {
    const dir = path.join(scratch(), 'two-formats');
    expect(await exportModels('onnx', words(), dir)).toHaveLength(3);
    const before = fs.readFileSync(path.join(dir, 'preprocessing.json'));
    expect(await exportModels('torch', words(), dir)).toEqual(['model.json', 'model_2.json', 'preprocessing.json'].map((f) => path.join(dir, f)));
    expect(fs.readFileSync(path.join(dir, 'preprocessing.json')).equals(before)).toBe(true);
    // Another run's preprocessing is another file: refused.
    await expect(exportModels('onnx', bags(), path.join(dir, 'model.onnx'), { force: false })).rejects.toThrow(/model\.onnx exists; refused/);
    await expect(exportModels('onnx', bags(), path.join(dir, 'bags.onnx'))).rejects.toThrow(`export: ${path.join(dir, 'preprocessing.json')} exists; refused to replace it (pass --force to replace it)`);
    expect(fs.existsSync(path.join(dir, 'bags.onnx'))).toBe(false);
  });

  test('OUT named preprocessing.json is refused: the run\'s preprocessing goes there', async () => {
    const file = path.join(scratch(), 'clash', 'preprocessing.json');
    expect(await main(['export', '--to', 'torch', path.join(words(), 'model'), file])).toBe(1);
    expect(err).toEqual([`error: export: OUT ${file} is where the run's preprocessing.json goes (beside the exported models); choose another file name`]);
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  test('OUT naming the run\'s tokenizer.json or report.json is refused, even with --force', async () => {
    for (const f of ['tokenizer.json', 'report.json']) {
      const target = path.join(words(), f);
      const before = fs.readFileSync(target, 'utf8');
      await expect(exportModels('torch', path.join(words(), 'model'), target, { force: true }))
        .rejects.toThrow(`export: OUT ${target} is a file of the model being exported (${words()}); refused, with or without --force: choose another OUT`);
      expect(fs.readFileSync(target, 'utf8')).toBe(before);
    }
  });

  test.each([
    ['tokenizer.json is missing', (dir: string) => fs.rmSync(path.join(dir, 'tokenizer.json')),
      (dir: string) => `error: export: ${path.join(dir, 'tokenizer.json')} is missing; a run folder written by 'tfjs-recurrent sentiment' holds the tokenizer its models were trained with`],
    ['report.json has no maxlen', (dir: string) => {
      const r = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
      delete r.config.maxlen;
      fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(r));
    }, (dir: string) => `error: export: ${path.join(dir, 'report.json')}: config.maxlen must be a positive integer, got undefined`],
  ])('a run whose %s: an error naming the file, before any file is written', async (_, damage, message) => {
    const run = path.join(fs.mkdtempSync(path.join(scratch(), 'damaged-')), 'run');
    fs.cpSync(words(), run, { recursive: true });
    damage(run);
    const dir = path.join(path.dirname(run), 'out');
    expect(await main(['export', '--to', 'onnx', run, dir])).toBe(1);
    expect(err).toEqual([message(run)]);
    expect(fs.existsSync(dir)).toBe(false);
  });
});

test('preprocessingOf: bad arguments are errors naming the argument, what was expected and what came', () => {
  const tok = new Tokenizer({ oovToken: '<OOV>' });
  tok.fitOnTexts(['not bad', 'bad']);
  const enc = { maxlen: 3, subwords: true, subwordBuckets: 100, subwordMinN: 3, subwordMaxN: 5, subwordMaxNgrams: 2 };
  expect(preprocessingOf(tok, enc)).toMatchObject({ inputShape: [3, 3], subwords: { vocabularySize: 4, width: 3 } });
  expect(() => preprocessingOf({} as Tokenizer, enc)).toThrow('preprocessingOf: tokenizer must be a Tokenizer (fitted, or read with Tokenizer.fromJSON), got {}');
  expect(() => preprocessingOf(tok, { ...enc, maxlen: 0 })).toThrow('preprocessingOf: encoding.maxlen must be a positive integer, got 0');
  expect(() => preprocessingOf(tok, { ...enc, subwordBuckets: undefined as unknown as number }))
    .toThrow('preprocessingOf: encoding.subwordBuckets must be a positive integer (encoding.subwords is true), got undefined');
  expect(() => preprocessingOf(tok, { ...enc, subwordMaxN: 2 })).toThrow('preprocessingOf: encoding.subwordMaxN must be >= encoding.subwordMinN (3), got 2');
});

describe('the Node recipe, examples/serve_onnx.mjs', () => {
  const serve = (model: string, texts: string[]) => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'examples', 'serve_onnx.mjs'), model, ...texts], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.slice(l.indexOf('  ') + 2))).toEqual(texts);
    return lines.map((l) => parseFloat(l));
  };
  beforeAll(() => builtDist(), 300_000);

  test.each([
    ['an ensemble of word-id models (a folder)', words, (dir: string) => dir],
    ['a model of subword bags (a file)', bags, (dir: string) => path.join(dir, 'model.onnx')],
  ])('%s: P(positive) as predict gives it', async (_, run, model) => {
    const dir = fs.mkdtempSync(path.join(scratch(), 'served-'));
    await exportModels('onnx', run(), dir);
    const texts = TEXTS.filter((t) => t !== '').map((t) => t.trim());
    const p = serve(model(dir), texts);
    const want = await predictSentiment(run(), texts);
    p.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(2e-5));
  });
});
