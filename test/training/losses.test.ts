/**
 * Our binary cross-entropy (src/training/losses.ts) against tfjs's, which
 * computes Keras's (a clip, the log-odds, sigmoid cross-entropy): values and
 * gradients, clipped predictions included; and `compile` uses it where
 * the loss is named, with tfjs's accuracy and serialization unchanged.
 */
import { tf } from '../../src/tf';
import { Sequential, Dense, LSTM } from '../../src';
import { binaryCrossentropy } from '../../src/training/losses';
import { onEachBackend } from '../helpers/backends';
import { maxAbsDiff } from '../helpers/close';

const tfjsBCE = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.metrics.binaryCrossentropy(yTrue, yPred);

/** Probabilities in (0, 1) with some at and past the clip (0, 1, 1e-9, 1 − 1e-9). */
function predictions(shape: number[], seed: number): tf.Tensor {
  const p = tf.sigmoid(tf.randomNormal(shape, 0, 3, 'float32', seed)).dataSync().slice();
  [0, 1, 1e-9, 1 - 1e-9].forEach((v, i) => (p[(i * 7) % p.length] = v));
  return tf.tensor(p, shape);
}

/** Our Sequential, or tfjs's (whose compile keeps tfjs's loss), of the same layers and weights. */
function model(ours: boolean): tf.LayersModel {
  const layers = [new LSTM({ units: 4, inputShape: [5, 3] }), new Dense({ units: 2, activation: 'sigmoid' })];
  const m = ours ? new Sequential({ layers }) : tf.sequential({ layers });
  m.setWeights(m.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.5, 'float32', 10 + i)));
  m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

onEachBackend(() => {
  test.each([
    ['[32, 1]', [32, 1]],
    ['[6, 3]', [6, 3]],
    ['[4, 5, 2]', [4, 5, 2]],
    ['[9] (one sample)', [9]],
  ])('%s: the value and the gradient are tfjs\'s', (_n, shape) => {
    const p = predictions(shape, 1);
    const y = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform(shape, 0, 1, 'float32', 2), 0.5), 'float32'));
    const soft = tf.randomUniform(shape, 0, 1, 'float32', 3); // soft labels too
    for (const labels of [y, soft]) {
      const ours = binaryCrossentropy(labels, p);
      const theirs = tfjsBCE(labels, p);
      expect(ours.shape).toEqual(theirs.shape);
      expect(maxAbsDiff(Array.from(ours.dataSync()), Array.from(theirs.dataSync()))).toBeLessThan(2e-6);
      const w = tf.range(1, ours.size + 1).reshape(ours.shape); // a weight per sample, so dy is not uniform
      const g = (f: typeof tfjsBCE) => tf.grad((q: tf.Tensor) => tf.sum(tf.mul(f(labels, q), w)))(p);
      const [go, gt] = [g(binaryCrossentropy), g(tfjsBCE)];
      const scale = Math.max(...Array.from(gt.dataSync()).map(Math.abs));
      expect(maxAbsDiff(Array.from(go.dataSync()), Array.from(gt.dataSync())) / scale).toBeLessThan(1e-5);
      expect(Array.from(go.dataSync()).filter((v) => v === 0).length).toBe(Array.from(gt.dataSync()).filter((v) => v === 0).length); // clipped: no gradient
      tf.dispose([ours, theirs, w, go, gt]);
    }
    tf.dispose([p, y, soft]);
  });

  test('Sequential compiled with \'binaryCrossentropy\' trains as tfjs\'s Sequential does: the same losses, accuracies and weights, and the same saved config', async () => {
    const x = tf.randomNormal([8, 5, 3], 0, 1, 'float32', 4);
    const y = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([8, 2], 0, 1, 'float32', 5), 0.5), 'float32'));
    const [ours, theirs] = [model(true), model(false)];
    const inner = (m: tf.LayersModel) => (m as unknown as { model: tf.LayersModel }).model;
    expect(inner(ours).lossFunctions[0]).toBe(binaryCrossentropy);
    expect(inner(theirs).lossFunctions[0]).not.toBe(binaryCrossentropy);
    for (let step = 0; step < 3; step++) {
      const [a, b] = [(await ours.trainOnBatch(x, y)) as number[], (await theirs.trainOnBatch(x, y)) as number[]];
      expect(Math.abs(a[0] - b[0])).toBeLessThan(1e-6);
      expect(a[1]).toBe(b[1]); // binary accuracy, picked by tfjs for binaryCrossentropy
    }
    ours.getWeights().forEach((w, i) => expect(maxAbsDiff(Array.from(w.dataSync()), Array.from(theirs.getWeights()[i].dataSync()))).toBeLessThan(1e-6));
    const before = tf.memory().numTensors;
    await ours.trainOnBatch(x, y);
    expect(tf.memory().numTensors).toBe(before);
    let config: unknown;
    await ours.save(tf.io.withSaveHandler(async (a) => ((config = a.trainingConfig), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })), { includeOptimizer: true });
    expect((config as { loss: unknown }).loss).toBe('binary_crossentropy');
    tf.dispose([x, y]);
    ours.dispose();
    theirs.dispose();
  });
});
