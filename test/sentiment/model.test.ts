/**
 * The classifier's options: word dropout, the averaged word vectors beside
 * the recurrent features, and an ensemble whose probabilities `predict` averages.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf, resetNames, loadModel, padSequences, Tokenizer } from '../../src';
import { DEFAULTS } from '../../src/sentiment/options';
import { wordDropout } from '../../src/sentiment/encode';
import { buildClassifier } from '../../src/sentiment/model';
import { epochLearningRate } from '../../src/sentiment/member';
import { runSentiment } from '../../src/sentiment/train';
import { predictSentiment } from '../../src/sentiment/predict';
import { binaryCrossentropy } from '../../src/sentiment/metrics';
import { rng } from '../../src/sentiment/split';
import { scratchDir } from '../helpers/scratch';

const scratch = scratchDir('tfjs-recurrent-model-');
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNames());

describe('wordDropout', () => {
  const seqs = [...Array(200)].map((_, i) => [0, 0, ...[...Array(30)].map((_, t) => 2 + ((i * 31 + t * 7) % 500))]);

  test('replaces about the given fraction of the real words by the OOV id, and never the padding', () => {
    const out = wordDropout(seqs, 0.25, rng(1), 1);
    const real = seqs.flat().filter((id) => id > 0).length;
    const dropped = out.flat().filter((id) => id === 1).length;
    expect(dropped / real).toBeGreaterThan(0.22);
    expect(dropped / real).toBeLessThan(0.28);
    out.forEach((row, i) => row.forEach((id, t) => {
      if (seqs[i][t] === 0) expect(id).toBe(0);
      else expect([seqs[i][t], 1]).toContain(id);
    }));
  });

  test('is seeded: the same seed drops the same words, another seed others', () => {
    expect(wordDropout(seqs, 0.2, rng(7), 1)).toEqual(wordDropout(seqs, 0.2, rng(7), 1));
    expect(wordDropout(seqs, 0.2, rng(8), 1)).not.toEqual(wordDropout(seqs, 0.2, rng(7), 1));
  });

  test('on word ids, draws as it always has: one draw per real word, in order, the OOV id below the rate', () => {
    // The rule the figures of the earlier defaults were made with (--no-subwords reproduces them).
    const reference = (rows: number[][], rate: number, rand: () => number) => rows.map((s) => s.map((id) => (id > 0 && rand() < rate ? 1 : id)));
    expect(wordDropout(seqs, 0.25, rng(1), 1)).toEqual(reference(seqs, 0.25, rng(1)));
  });

  test('leaves its input alone, and does nothing at rate 0', () => {
    const copy = seqs.map((s) => s.slice());
    wordDropout(seqs, 0.5, rng(3), 1);
    expect(seqs).toEqual(copy);
    expect(wordDropout(seqs, 0, rng(3), 1)).toEqual(seqs);
  });
});

test('binaryCrossentropy matches tf.metrics.binaryCrossentropy', () => {
  const p = [0.9, 0.2, 0.6, 1, 0];
  const y = [1, 0, 0, 1, 0];
  const ref = tf.metrics.binaryCrossentropy(tf.tensor1d(y), tf.tensor1d(p)).dataSync()[0];
  expect(binaryCrossentropy(p, y)).toBeCloseTo(ref, 5);
});

test('averageEmbeddings concatenates the recurrent features with the mean of the word vectors over the real words', () => {
  const o = { ...DEFAULTS, out: '', cell: 'lstm' as const, units: 3, embeddingDim: 4, maxlen: 5, averageEmbeddings: true, subwords: false };
  const model = buildClassifier(o, 20);
  const lines: string[] = [];
  model.summary(undefined, undefined, (l) => lines.push(String(l)));
  expect(lines.join('\n')).toMatch(/concatenate \(Concatenate\) +\(None, 7\)/);
  expect(model.countParams()).toBe(20 * 4 + 4 * (4 * 3 + 3 * 3 + 3) + (7 + 1));
  // The pooled half of the features depends only on the real words, not on the padding.
  const E = model.getLayer('embedding').getWeights()[0];
  const pooled = tf.model({ inputs: model.inputs, outputs: model.getLayer('global_average_pooling1d').output as tf.SymbolicTensor });
  const got = (pooled.predict(tf.tensor2d([[0, 0, 3, 5, 5]], [1, 5], 'int32')) as tf.Tensor).arraySync() as number[][];
  const want = tf.mean(tf.gather(E, tf.tensor1d([3, 5, 5], 'int32')), 0).arraySync() as number[];
  got[0].forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
  model.dispose();
});

test('an ensemble with word dropout and averaged embeddings: one folder per model, and predict averages them', async () => {
  const a = await runSentiment(
    { ...DEFAULTS, cell: 'lstm', units: 4, embeddingDim: 8, maxlen: 10, epochs: 1, limit: 150, backend: 'cpu', progress: false,
      wordDropout: 0.3, averageEmbeddings: true, subwords: false, ensemble: 2, out: path.join(scratch(), 'a') },
    () => undefined,
  );
  expect(a.members.map((m) => [m.dir, m.seed])).toEqual([['model', 42], ['model_2', 1042]]);
  expect(a.members[1].history).not.toEqual(a.members[0].history);
  for (const m of a.members) expect(fs.existsSync(path.join(scratch(), 'a', m.dir, 'model.json'))).toBe(true);

  const texts = ['a wonderful film', 'terrible service, cold food'];
  const got = await predictSentiment(path.join(scratch(), 'a'), texts);
  const tok = Tokenizer.fromJSON(fs.readFileSync(path.join(scratch(), 'a', 'tokenizer.json'), 'utf8'));
  const x = tf.tensor2d(padSequences(tok.textsToSequences(texts), { maxlen: 10 }), [2, 10], 'int32');
  const each = await Promise.all(['model', 'model_2'].map(async (d) => {
    const m = await loadModel(path.join(scratch(), 'a', d));
    const p = Array.from((m.predict(x) as tf.Tensor).dataSync());
    m.dispose();
    return p;
  }));
  got.forEach((p, i) => expect(p).toBeCloseTo((each[0][i] + each[1][i]) / 2, 6));
  // Prediction has no word dropout: it gives the same numbers every time.
  expect(await predictSentiment(path.join(scratch(), 'a'), texts)).toEqual(got);
});

test('learningRateDecay multiplies the learning rate after each epoch; the report has the rate of each epoch', async () => {
  expect(epochLearningRate({ learningRate: 0.004, learningRateDecay: 0.5 }, 0)).toBe(0.004);
  expect(epochLearningRate({ learningRate: 0.004, learningRateDecay: 0.5 }, 2)).toBeCloseTo(0.001, 12);
  const r = await runSentiment(
    { ...DEFAULTS, cell: 'lstm', units: 2, embeddingDim: 4, maxlen: 8, epochs: 3, patience: 5, limit: 100, backend: 'cpu', progress: false,
      ensemble: 1, learningRate: 0.004, learningRateDecay: 0.5, out: path.join(scratch(), 'decay') },
    () => undefined,
  );
  expect(r.members[0].learningRates).toHaveLength(3);
  r.members[0].learningRates.forEach((lr, e) => expect(lr).toBeCloseTo(0.004 * 0.5 ** e, 12));
});
