/**
 * The classifier with fastText subword vectors (`subwords`): word dropout
 * on bags, the EmbeddingBag in the model, and `predict` rebuilding the bags.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf, resetNames, loadModel, subwordBags, Tokenizer, EmbeddingBag } from '../../src';
import { DEFAULTS } from '../../src/sentiment/options';
import { wordDropout } from '../../src/sentiment/encode';
import { buildClassifier } from '../../src/sentiment/model';
import { runSentiment } from '../../src/sentiment/train';
import { predictSentiment } from '../../src/sentiment/predict';
import { rng } from '../../src/sentiment/split';
import { main } from '../../src/cli/main';
import { scratchDir } from '../helpers/scratch';

const scratch = scratchDir('tfjs-recurrent-subwords-');
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNames());

test('word dropout on bags drops the word with its n-grams ([OOV, 0, ...]), never an empty bag, with the same draws as on word ids', () => {
  const ids = [...Array(50)].map((_, i) => [0, 0, ...[...Array(12)].map((_, t) => 2 + ((i * 13 + t * 5) % 90))]);
  const bags = ids.map((row) => row.map((id) => (id === 0 ? [0, 0, 0] : [id, 100 + id, 0])));
  const dropped = wordDropout(bags, 0.3, rng(5), 1);
  const droppedIds = wordDropout(ids, 0.3, rng(5), 1);
  dropped.forEach((row, i) => row.forEach((bag, t) => {
    if (ids[i][t] === 0) expect(bag).toEqual([0, 0, 0]);
    else if (droppedIds[i][t] === 1) expect(bag).toEqual([1, 0, 0]);
    else expect(bag).toEqual(bags[i][t]);
  }));
  expect(droppedIds.flat().filter((id) => id === 1).length).toBeGreaterThan(100);
});

test('the model starts with an EmbeddingBag of vocabularySize + subwordBuckets rows over [maxlen, 25] bags', () => {
  const model = buildClassifier({ ...DEFAULTS, out: '', cell: 'lstm', units: 3, embeddingDim: 4, maxlen: 5, subwords: true, subwordBuckets: 30 }, 20);
  const bag = model.layers.find((l) => l instanceof EmbeddingBag) as EmbeddingBag;
  expect(bag.inputDim).toBe(50);
  expect(model.inputs[0].shape).toEqual([null, 5, 25]);
  expect(model.countParams()).toBe(50 * 4 + 4 * (4 * 3 + 3 * 3 + 3) + (7 + 1));
  model.dispose();
  expect(() => buildClassifier({ ...DEFAULTS, out: '', subwords: true, wide: true }, 20)).toThrow(/sentiment: `wide: true` needs one word id per step, got `subwords: true` as well \(on the command line: --wide --no-subwords\)/);
});

test('a run with subwords: predict rebuilds the bags from the saved tokenizer and settings, and averages the models', async () => {
  const run = path.join(scratch(), 'sub');
  const r = await runSentiment(
    { ...DEFAULTS, cell: 'lstm', units: 4, embeddingDim: 8, maxlen: 10, epochs: 1, limit: 150, backend: 'cpu', progress: false,
      subwords: true, subwordBuckets: 500, subwordMinN: 2, subwordMaxN: 4, ensemble: 2, out: run },
    () => undefined,
  );
  expect(r.config).toEqual(expect.objectContaining({ subwords: true, subwordBuckets: 500, subwordMinN: 2, subwordMaxN: 4 }));
  const texts = ['a wonderful film', 'unwatchably terrible service'];
  const got = await predictSentiment(run, texts);
  const tok = Tokenizer.fromJSON(fs.readFileSync(path.join(run, 'tokenizer.json'), 'utf8'));
  const x = tf.tensor3d(subwordBags(tok, texts, { buckets: 500, minN: 2, maxN: 4, maxlen: 10 }), undefined, 'int32');
  const each = await Promise.all(['model', 'model_2'].map(async (d) => {
    const m = await loadModel(path.join(run, d));
    const p = Array.from((m.predict(x) as tf.Tensor).dataSync());
    m.dispose();
    return p;
  }));
  got.forEach((p, i) => expect(p).toBeCloseTo((each[0][i] + each[1][i]) / 2, 6));
  x.dispose();
});

test('--no-subwords on the command line trains on word ids and says so in report.json', async () => {
  const run = path.join(scratch(), 'cli');
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    expect(await main(['sentiment', '--no-subwords', '--limit', '60', '--epochs', '1', '--units', '2', '--embedding-dim', '4', '--cell', 'lstm', '--ensemble', '1', '--backend', 'cpu', '--no-progress', '--out', run])).toBe(0);
  } finally {
    log.mockRestore();
  }
  const report = JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8'));
  expect(report.config.subwords).toBe(false);
  const model = await loadModel(path.join(run, 'model'));
  expect(model.inputs[0].shape).toEqual([null, 40]);
  model.dispose();
});

test('a run folder written before subwords existed (no subwords in its config) still predicts from word ids', async () => {
  const run = path.join(scratch(), 'old');
  await runSentiment(
    { ...DEFAULTS, cell: 'lstm', units: 2, embeddingDim: 4, maxlen: 8, epochs: 1, limit: 100, backend: 'cpu', progress: false, subwords: false, ensemble: 1, out: run },
    () => undefined,
  );
  const texts = ['great', 'awful food'];
  const now = await predictSentiment(run, texts);
  const file = path.join(run, 'report.json');
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const k of ['subwords', 'subwordBuckets', 'subwordMinN', 'subwordMaxN', 'subwordMaxNgrams']) delete report.config[k];
  fs.writeFileSync(file, JSON.stringify(report));
  expect(await predictSentiment(run, texts)).toEqual(now);
  expect(await predictSentiment(run, [])).toEqual([]);
});
