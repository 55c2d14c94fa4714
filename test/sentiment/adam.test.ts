/**
 * ScheduledAdam: a new learning rate holds from the next step on, while the
 * moments m, v and the bias correction carry on, as the schedule of
 * `learningRateDecay` needs.
 */
import { tf, resetNames, padSequences } from '../../src';
import { ScheduledAdam, isScheduledAdam } from '../../src/sentiment/adam';
import { DEFAULTS } from '../../src/sentiment/options';
import { buildClassifier } from '../../src/sentiment/model';
import { epochLearningRate, trainMember } from '../../src/sentiment/member';
import { onEachBackend } from '../helpers/backends';

/**
 * Adam by hand, in float64, on one parameter vector (Kingma & Ba, as tfjs computes it):
 *   m_t = β₁ m_{t-1} + (1 − β₁) g_t        v_t = β₂ v_{t-1} + (1 − β₂) g_t²
 *   θ_t = θ_{t-1} − α_t · (m_t / (1 − β₁ᵗ)) / (√(v_t / (1 − β₂ᵗ)) + ε)
 * `restartAt`: forget m, v and t before that step, as a new optimizer would.
 */
function adamByHand(theta: number[], gs: number[][], alphas: number[], eps: number, restartAt = -1): number[] {
  const [b1, b2] = [0.9, 0.999];
  let m = theta.map(() => 0);
  let v = theta.map(() => 0);
  let t = 0;
  let th = theta.slice();
  gs.forEach((g, k) => {
    if (k === restartAt) [m, v, t] = [m.map(() => 0), v.map(() => 0), 0];
    t++;
    m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]);
    v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i] ** 2);
    th = th.map((x, i) => x - alphas[k] * (m[i] / (1 - b1 ** t)) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps));
  });
  return th;
}

onEachBackend(() => {
  test('a new learning rate holds from the next step, and the moments carry on', () => {
    const theta0 = [0.5, -1, 2];
    const gs = [[0.3, -0.2, 1], [0.1, 0.4, -0.5], [-0.6, 0.05, 0.2], [0.2, -0.3, 0.7]];
    const alphas = [0.1, 0.1, 0.02, 0.005];
    const theta = tf.variable(tf.tensor1d(theta0), true, 'theta_scheduled_adam');
    const adam = new ScheduledAdam(alphas[0]);
    gs.forEach((g, k) => {
      adam.setLearningRate(alphas[k]);
      expect(adam.getLearningRate()).toBe(alphas[k]);
      const gt = tf.tensor1d(g);
      adam.applyGradients([{ name: theta.name, tensor: gt }]);
      gt.dispose();
    });
    const got = Array.from(theta.dataSync());
    const eps = tf.backend().epsilon();
    const want = adamByHand(theta0, gs, alphas, eps);
    got.forEach((x, i) => expect(x).toBeCloseTo(want[i], 5));
    // A fresh optimizer at the third step (moments and bias correction restarted) lands elsewhere:
    // the comparison above tells the two apart.
    const restarted = adamByHand(theta0, gs, alphas, eps, 2);
    expect(Math.max(...got.map((x, i) => Math.abs(x - restarted[i])))).toBeGreaterThan(1e-3);
    expect(adam.iterations).toBe(gs.length);
    theta.dispose();
    adam.dispose();
  });

  test('serializes as tfjs Adam, with the current learning rate', () => {
    const adam = new ScheduledAdam(0.004);
    adam.setLearningRate(0.001);
    const plain = tf.train.adam(0.001);
    expect(adam.getClassName()).toBe('Adam');
    expect(adam.getConfig()).toEqual(plain.getConfig());
    adam.dispose();
    plain.dispose();
  });
});

test('trainMember keeps one optimizer over all epochs, at the rate of each epoch', async () => {
  await tf.setBackend('cpu');
  resetNames();
  const o = { ...DEFAULTS, out: '', cell: 'lstm' as const, units: 2, embeddingDim: 4, maxlen: 6, subwords: false, averageEmbeddings: false,
    epochs: 3, patience: 5, batchSize: 4, ensemble: 1, progress: false, learningRate: 0.004, learningRateDecay: 0.5 };
  const seqs = [...Array(10)].map((_, i) => [2 + (i % 5), 3 + (i % 3), 4 + (i % 2)]);
  const labels = seqs.map((_, i) => i % 2);
  const sTr = padSequences(seqs, { maxlen: o.maxlen });
  const [yTr, yVa] = [tf.tensor2d(labels, [10, 1]), tf.tensor2d(labels.slice(0, 4), [4, 1])];
  const xVa = tf.tensor2d(sTr.slice(0, 4), [4, o.maxlen], 'int32');
  const model = buildClassifier(o, 8);
  const adam = model.optimizer;
  expect(isScheduledAdam(adam)).toBe(true);
  const r = await trainMember(model, o, { sTr, yTr, xVa, yVa, oovId: 1 }, () => undefined);
  expect(r.epochsRun).toBe(3);
  expect(r.learningRates).toEqual([0, 1, 2].map((e) => epochLearningRate(o, e)));
  // The same optimizer took every step: 3 epochs × ⌈10 / 4⌉ batches, and it ends at the last epoch's rate.
  expect(model.optimizer).toBe(adam);
  expect(adam.iterations).toBe(3 * 3);
  expect((adam as ScheduledAdam).getLearningRate()).toBe(epochLearningRate(o, 2));
  tf.dispose([yTr, yVa, xVa]);
  model.dispose();
});

test("trainMember's schedule works on any optimizer whose rate can change (here tfjs's adam), through the public LearningRateScheduler", async () => {
  await tf.setBackend('cpu');
  resetNames();
  const o = { ...DEFAULTS, out: '', cell: 'lstm' as const, units: 2, embeddingDim: 4, maxlen: 6, subwords: false, averageEmbeddings: false,
    epochs: 2, patience: 5, batchSize: 4, ensemble: 1, progress: false, learningRate: 0.004, learningRateDecay: 0.25 };
  const model = buildClassifier(o, 8);
  const adam = tf.train.adam(0.5);
  model.compile({ optimizer: adam, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const y = tf.tensor2d([0, 1, 0, 1], [4, 1]);
  const x = tf.tensor2d([[0, 0, 0, 0, 0, 2], [0, 0, 0, 0, 3, 4], [0, 0, 0, 5, 2, 2], [0, 0, 0, 0, 6, 7]], [4, 6], 'int32');
  const r = await trainMember(model, o, { sTr: [[0, 0, 0, 0, 0, 2], [0, 0, 0, 0, 3, 4], [0, 0, 0, 5, 2, 2], [0, 0, 0, 0, 6, 7]], yTr: y as tf.Tensor2D, xVa: x, yVa: y as tf.Tensor2D, oovId: 1 }, () => undefined);
  expect(r.learningRates).toEqual([0.004, 0.001]);
  expect((adam as unknown as { learningRate: number }).learningRate).toBe(0.001);
  tf.dispose([x, y]);
  model.dispose();
});
