/** evaluate never ignores an option: sampleWeight weighs the loss (tfjs's own evaluate dropped it), an unknown option is refused. */
import { tf } from '../../src/tf';
import { Sequential, Functional, LSTM, Dense, RecurrentConfigError } from '../../src';

describe('evaluate with sampleWeight', () => {
  const x = () => tf.randomNormal([4, 3, 2], 0, 1, 'float32', 7);
  const y = () => tf.tensor2d([[0.5], [-1], [2], [0]]);
  const w = () => tf.tensor1d([1, 0.25, 0, 2]);

  test('Sequential and Functional weigh the loss: Σ w ℓ / B, not the unweighted mean', () => {
    const s = new Sequential({ name: 'seq' });
    s.add(new LSTM({ units: 2, inputShape: [3, 2] }));
    s.add(new Dense({ units: 1 }));
    s.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const input = tf.input({ shape: [3, 2] });
    const f = new Functional({ name: 'fun', inputs: input, outputs: s.apply(input) as tf.SymbolicTensor });
    f.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [xs, ys, ws] = [x(), y(), w()];
    const p = s.predict(xs) as tf.Tensor;
    const ℓ = tf.squeeze(tf.square(tf.sub(p, ys))).arraySync() as number[];
    const weighted = ℓ.reduce((a, l, i) => a + l * [1, 0.25, 0, 2][i], 0) / 4;
    const before = tf.memory().numTensors;
    for (const model of [s, f]) {
      const r = model.evaluate(xs, ys, { sampleWeight: ws }) as tf.Scalar;
      expect(r.dataSync()[0]).toBeCloseTo(weighted, 5);
      expect(Math.abs(r.dataSync()[0] - ℓ.reduce((a, b) => a + b) / 4)).toBeGreaterThan(1e-3);
      r.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(() => s.evaluate(xs, ys, { sampleWeights: ws } as never)).toThrow(RecurrentConfigError);
    expect(() => s.evaluate(xs, ys, { sampleWeights: ws } as never)).toThrow(/^evaluate \(model 'seq'\): unknown evaluate option 'sampleWeights' \(did you mean 'sampleWeight'\?\)/);
    expect(() => f.evaluate(xs, ys, 32 as never)).toThrow(/^evaluate \(model 'fun'\): evaluate's options must be an object such as \{ batchSize, sampleWeight \}, got 32$/);
    tf.dispose([xs, ys, ws, p]);
  });
});
