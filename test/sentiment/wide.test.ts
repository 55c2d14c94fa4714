/**
 * The bag-of-words path inside the classifier: WordCountLogit sums one
 * weight per real word, and with `wide` its sum is added to the logit.
 */
import * as path from 'path';
import { tf, resetNames, fileIO, loadModel } from '../../src';
import { DEFAULTS } from '../../src/sentiment/options';
import { buildClassifier } from '../../src/sentiment/model';
import { WordCountLogit } from '../../src/sentiment/wide';
import { scratchDir } from '../helpers/scratch';

const scratch = scratchDir('tfjs-recurrent-wide-');
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNames());

const w = [5, 0.5, -1, 2, 0.25, -3]; // w[0] is not zero, so a padding that counted would show
const kernel = () => tf.tensor2d(w, [6, 1]);

describe('WordCountLogit', () => {
  test('sums the weight of each real word, repeats included, and ignores the padding', () => {
    const layer = new WordCountLogit({ inputDim: 6 });
    layer.build([null, 4]);
    layer.setWeights([kernel()]);
    const ids = tf.tensor2d([[0, 0, 2, 3], [0, 4, 4, 1], [0, 0, 0, 0]], [3, 4], 'int32');
    const s = (layer.apply(ids) as tf.Tensor).arraySync() as number[][];
    expect(s[0][0]).toBeCloseTo(-1 + 2, 6);
    expect(s[1][0]).toBeCloseTo(0.25 + 0.25 + 0.5, 6);
    expect(s[2][0]).toBeCloseTo(0, 6);
    layer.dispose();
  });

  test('starts at zero, and its gradient for w[v] is the count of v in the text', () => {
    const layer = new WordCountLogit({ inputDim: 6 });
    const ids = tf.tensor2d([[0, 3, 5, 3]], [1, 4], 'int32');
    expect((layer.apply(ids) as tf.Tensor).dataSync()[0]).toBe(0);
    const k = layer.trainableWeights[0].read() as tf.Variable;
    const { grads } = tf.variableGrads(() => tf.sum(layer.apply(ids) as tf.Tensor) as tf.Scalar, [k]);
    expect(Array.from(grads[k.name].dataSync())).toEqual([0, 0, 0, 2, 0, 1]);
    layer.dispose();
  });

  test('an L2 penalty is a regularization loss λ Σ w²; none without it', () => {
    const a = new WordCountLogit({ inputDim: 6, l2: 0.01 });
    a.build([null, 4]);
    a.setWeights([kernel()]);
    const loss = a.losses.map((l) => (typeof l === 'function' ? l() : l));
    expect(loss).toHaveLength(1);
    expect(loss[0].dataSync()[0]).toBeCloseTo(0.01 * w.reduce((t, x) => t + x * x, 0), 5);
    const b = new WordCountLogit({ inputDim: 6 });
    b.build([null, 4]);
    expect(b.losses).toHaveLength(0);
  });

  test('with scale c, it uses w = c · v, and one Adam step moves w by c times the learning rate', () => {
    const layer = new WordCountLogit({ inputDim: 6, scale: 10, l2: 0.01 });
    layer.build([null, 4]);
    layer.setWeights([kernel()]);
    const ids = tf.tensor2d([[0, 3, 5, 3]], [1, 4], 'int32');
    expect((layer.apply(ids) as tf.Tensor).dataSync()[0]).toBeCloseTo(10 * (2 + -3 + 2), 4);
    // The penalty is on the weights used: λ Σ w² = λ Σ (c v)².
    const pen = layer.losses.map((l) => (typeof l === 'function' ? l() : l))[0].dataSync()[0];
    expect(pen).toBeCloseTo(0.01 * w.reduce((t, x) => t + 100 * x * x, 0), 2);

    const fresh = new WordCountLogit({ inputDim: 6, scale: 10 });
    const before = (fresh.apply(ids) as tf.Tensor).dataSync()[0];
    expect(before).toBe(0);
    // Minimising s itself: Adam's first step is −lr per weight with a gradient, so each w moves by −c·lr.
    tf.train.adam(0.01).minimize(() => tf.sum(fresh.apply(ids) as tf.Tensor) as tf.Scalar, false, [fresh.trainableWeights[0].read() as tf.Variable]);
    const used = Array.from(fresh.getWeights()[0].dataSync()).map((v) => 10 * v);
    [0, 1, 2, 4].forEach((k) => expect(used[k]).toBe(0));
    expect(used[3]).toBeCloseTo(-0.1, 4);
    expect(used[5]).toBeCloseTo(-0.1, 4);
    layer.dispose();
    fresh.dispose();
  });

  test.each([
    [{ inputDim: 6, scale: 0 }, /argument `scale` of WordCountLogit, expected a number > 0, got 0/],
    [{ inputDim: 0 }, /argument `inputDim` of WordCountLogit, expected a positive integer, got 0/],
    [{ inputDim: 6, l2: -1 }, /argument `l2` of WordCountLogit, expected a number >= 0, got -1/],
  ])('%j is a clear error', (args, re) => {
    expect(() => new WordCountLogit(args)).toThrow(re);
  });
});

test('with wide, the probability is σ(logit of the recurrent part + Σ_t w[ids_t]), and it survives save and load', async () => {
  const o = { ...DEFAULTS, out: '', cell: 'lstm' as const, units: 3, embeddingDim: 4, maxlen: 5, wide: true, subwords: false };
  const model = buildClassifier(o, 6);
  const ids = tf.tensor2d([[0, 0, 2, 3, 3], [0, 1, 4, 5, 5]], [2, 5], 'int32');
  const p0 = (model.predict(ids) as tf.Tensor).dataSync();
  const zRnn = (tf.model({ inputs: model.inputs, outputs: model.getLayer('dense').output as tf.SymbolicTensor }).predict(ids) as tf.Tensor).dataSync();
  // The wide path starts at zero: p = σ(z_rnn).
  p0.forEach((p, i) => expect(p).toBeCloseTo(1 / (1 + Math.exp(-zRnn[i])), 5));
  model.getLayer('word_count_logit').setWeights([kernel()]);
  const p = (model.predict(ids) as tf.Tensor).dataSync();
  const s = [-1 + 2 + 2, 0.5 + 0.25 - 3 - 3];
  p.forEach((q, i) => expect(q).toBeCloseTo(1 / (1 + Math.exp(-(zRnn[i] + s[i]))), 5));

  await model.save(fileIO(path.join(scratch(), 'm')));
  const again = await loadModel(path.join(scratch(), 'm'));
  expect(Array.from((again.predict(ids) as tf.Tensor).dataSync())).toEqual(Array.from(p));
  model.dispose();
  again.dispose();
});

test('wideLearningRate sets the scale of the per-word weights: its ratio to learningRate', () => {
  const model = buildClassifier({ ...DEFAULTS, out: '', cell: 'lstm', units: 3, embeddingDim: 4, maxlen: 5, wide: true, subwords: false, learningRate: 0.002, wideLearningRate: 0.03 }, 6);
  expect((model.getLayer('word_count_logit') as WordCountLogit).scale).toBeCloseTo(15, 10);
  model.dispose();
});
