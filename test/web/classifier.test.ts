/**
 * The sentiment page's computations (web/sentiment/classifier.ts), in Node on
 * a run's own files: its probabilities are predict's; each word's effect is
 * p(text) − p(text without the word) scored by predict; and the state it
 * shows at word t is what the run's recurrent layer itself ends on: the
 * forward direction after reading the words up to t alone, the backward one
 * after reading the words from t on alone.
 */
import * as path from 'path';
import * as backend from '../../src/backend';
import { tf } from '../../src/tf';
import { Bidirectional, RNN, loadModel, resetNames, textToWordSequence } from '../../src';
import { DEFAULTS, SentimentOptions, runSentiment } from '../../src/sentiment/train';
import { predictSentiment } from '../../src/sentiment/predict';
import { encodeTexts, idsTensor } from '../../src/sentiment/encode';
import { readReport, readTokenizer } from '../../src/sentiment/run_folder';
import { Classifier, liveliestUnits } from '../../web/sentiment/classifier';
import { scratchDir } from '../helpers/scratch';

const scratch = scratchDir('tfjs-recurrent-web-classifier-');
const RUNS: Record<string, Partial<SentimentOptions>> = {
  'a BiLSTM on subword bags beside the mean word vector, an ensemble of two': { cell: 'bilstm', subwords: true, subwordBuckets: 300, ensemble: 2 },
  'a GRU on word ids, max-pooled, in a Sequential': { cell: 'gru', subwords: false, pooling: 'max', averageEmbeddings: false, ensemble: 1 },
};
const run = (name: string) => path.join(scratch(), name.split(' ')[1]);
const TEXT = 'The battery is great but the screen broke after a week';

beforeAll(async () => {
  await backend.setBackend('cpu');
  for (const [name, o] of Object.entries(RUNS)) {
    resetNames();
    const small = { ...DEFAULTS, units: 4, embeddingDim: 8, maxlen: 15, epochs: 1, limit: 150, backend: 'cpu', progress: false };
    await runSentiment({ ...small, ...o, out: run(name) }, () => undefined);
  }
}, 120_000);

async function classifier(dir: string): Promise<Classifier> {
  const report = readReport(dir);
  const models = await Promise.all(report.members.map((m) => loadModel(path.join(dir, m))));
  return new Classifier(models, readTokenizer(dir), report.encoding, 'test');
}

describe.each(Object.keys(RUNS))('%s', (name) => {
  let c: Classifier;
  beforeAll(async () => void (c = await classifier(run(name))));
  afterAll(() => c.dispose());

  test("its probabilities are predict's", async () => {
    const texts = [TEXT, 'awful', '', 'xyzzy unheardofword'];
    const ours = c.predict(texts);
    (await predictSentiment(run(name), texts)).forEach((p, i) => expect(Math.abs(p - ours[i])).toBeLessThan(1e-6));
  });

  test('each word\'s effect is p(text) − p(text without it), both scored by predict', async () => {
    const { p, words, effects } = c.effects(TEXT);
    const split = textToWordSequence(TEXT);
    expect(words).toEqual(split);
    const without = split.map((_, i) => split.filter((_, k) => k !== i).join(' '));
    const [q, ...rest] = await predictSentiment(run(name), [TEXT, ...without]);
    expect(Math.abs(p - q)).toBeLessThan(1e-6);
    rest.forEach((r, i) => expect(Math.abs(effects[i] - (q - r))).toBeLessThan(1e-6));
  });

  test("the state at each word is where the model's own recurrent layer ends on that part of the text", async () => {
    const steps = c.steps(TEXT)!;
    const words = textToWordSequence(TEXT);
    expect(steps.words).toEqual(words);
    const model = c.models[0];
    const layer = model.layers.find((l) => l instanceof RNN || l instanceof Bidirectional)!;
    const bi = layer instanceof Bidirectional;
    expect(steps.directions.map((d) => d.direction)).toEqual(bi ? ['forward', 'backward'] : ['']);
    expect(steps.note).toMatch(bi ? /^bidirectional LSTM \(4 units each way\), model 1 of 2\. .*the → rows at the last word and the ← rows at the first\.$/ : /^GRU \(4 units\)\. .*the largest value of each unit over the words\.$/);
    // The run's own layer as it is (its last state, or its sequence, pooled after it).
    const own = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
    const report = readReport(run(name));
    const ends = (texts: string[]) => {
      const x = idsTensor(encodeTexts(readTokenizer(run(name)), texts, report.encoding), report.encoding);
      const y = own.predict(x) as tf.Tensor;
      const out = y.arraySync() as number[][] | number[][][];
      tf.dispose([x, y]);
      return out;
    };
    const H = steps.directions[0].h[0].length;
    const n = words.length;
    if ((layer as RNN | Bidirectional).returnSequences) {
      // A pooled model's layer returns its sequence already: the same rows.
      const seq = ends([TEXT])[0] as number[][];
      steps.directions[0].h.forEach((row, t) => row.forEach((v, j) => expect(Math.abs(v - seq[seq.length - n + t][j])).toBeLessThan(1e-5)));
      return;
    }
    const prefixes = ends(words.map((_, t) => words.slice(0, t + 1).join(' '))) as number[][]; // [→h after w_1..w_t ; ←h after w_t..w_1]
    steps.directions[0].h.forEach((row, t) => row.forEach((v, j) => expect(Math.abs(v - prefixes[t][j])).toBeLessThan(1e-5)));
    if (bi) {
      const suffixes = ends(words.map((_, t) => words.slice(t).join(' '))) as number[][]; // ← over w_n..w_t ends at h←_t
      steps.directions[1].h.forEach((row, t) => row.forEach((v, j) => expect(Math.abs(v - suffixes[t][H + j])).toBeLessThan(1e-5)));
    }
  });

  test('a text with no word has no steps; leaks nothing', () => {
    expect(c.steps(' ,. ')).toBeNull();
    c.steps(TEXT); // the copied layer is made once
    const before = tf.memory().numTensors;
    c.steps(TEXT);
    c.effects(TEXT);
    expect(tf.memory().numTensors).toBe(before);
  });
});

test('liveliestUnits: the units whose state varies most over the words, most varying first', () => {
  const h = [[0.1, -0.9, 0.5], [0.1, 0.9, 0.4], [0.1, 0.0, -0.5]];
  expect(liveliestUnits(h, 2)).toEqual([1, 2]);
  expect(liveliestUnits([[0.2, -0.7, 0.1]], 3)).toEqual([1, 0, 2]);
});
