/**
 * Masking semantics beyond the goldens: any non-zero mask value is a real
 * step, and padding with maskZero does not change what a model predicts.
 */
import { tf } from '../../src/tf';
import { Sequential, Embedding, LSTM, GRU, Bidirectional, Dense, Dropout, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

onEachBackend(() => {
  beforeEach(() => resetNames());

  test('a float mask counts any non-zero value as a real step, as Keras does', () => {
    const lstm = new LSTM({ units: 3, returnSequences: true });
    const x = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 1);
    const bool = tf.tensor2d([[1, 1, 0, 1], [0, 1, 1, 1]]).cast('bool');
    const float = tf.tensor2d([[0.5, 2, 0, 1], [0, 1, 3, 0.1]]);
    const a = (lstm.apply(x, { mask: bool }) as tf.Tensor).arraySync();
    const b = (lstm.apply(x, { mask: float }) as tf.Tensor).arraySync();
    expect(b).toEqual(a);
  });

  test.each([
    ['LSTM', () => new LSTM({ units: 4 })],
    ['GRU', () => new GRU({ units: 4 })],
    ['Bidirectional(GRU)', () => new Bidirectional({ layer: new GRU({ units: 4 }) })],
  ])('%s after Embedding(maskZero): padding before a sequence does not change the prediction', (_n, make) => {
    const model = new Sequential({ layers: [new Embedding({ inputDim: 30, outputDim: 6, maskZero: true }), make(), new Dense({ units: 1 })] });
    const short = tf.tensor2d([[4, 9, 17]], [1, 3], 'int32');
    const padded = tf.tensor2d([[0, 0, 0, 4, 9, 17]], [1, 6], 'int32');
    const a = (model.predict(short) as tf.Tensor).dataSync()[0];
    const b = (model.predict(padded) as tf.Tensor).dataSync()[0];
    expect(Math.abs(a - b)).toBeLessThan(1e-6);
  });

  test('a seeded Dropout draws a new mask for each batch, reproducibly', () => {
    const x = tf.ones([1, 64]);
    const run = () => {
      const d = new Dropout({ rate: 0.5, seed: 7 });
      return [0, 1].map(() => Array.from((d.apply(x, { training: true }) as tf.Tensor).dataSync()));
    };
    const [a1, a2] = run();
    const [b1, b2] = run();
    expect(a1).not.toEqual(a2);
    expect([b1, b2]).toEqual([a1, a2]);
  });
});
