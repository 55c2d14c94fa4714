/**
 * Numerical safety and long runs: no NaN from the gate math at ±1e4, and a
 * few thousand predict and train steps with the tensor count and bytes flat.
 */
import { tf } from '../src/tf';
import { Sequential, Embedding, SimpleRNN, LSTM, GRU, Bidirectional, Dense, resetNames } from '../src';
import { onEachBackend } from './helpers/backends';

onEachBackend(() => {
  beforeEach(() => resetNames());

  test.each([
    ['SimpleRNN', () => new SimpleRNN({ units: 4, returnSequences: true })],
    ['LSTM', () => new LSTM({ units: 4, returnSequences: true, returnState: true })],
    ['GRU', () => new GRU({ units: 4, returnSequences: true })],
    ['GRU resetAfter false', () => new GRU({ units: 4, resetAfter: false, returnSequences: true })],
    ['Bidirectional(LSTM)', () => new Bidirectional({ layer: new LSTM({ units: 4, returnSequences: true }) })],
  ])('%s: outputs and gradients stay finite for inputs of ±1e4', (_n, make) => {
    const layer = make();
    layer.build([3, 6, 5]);
    const x = tf.mul(tf.sign(tf.randomNormal([3, 6, 5], 0, 1, 'float32', 9)), 1e4);
    const f = (xx: tf.Tensor) => {
      const y = layer.apply(xx) as tf.Tensor | tf.Tensor[];
      return tf.addN((Array.isArray(y) ? y : [y]).map((t) => tf.sum(t))) as tf.Scalar;
    };
    const { value, grads } = tf.variableGrads(() => f(x), layer.trainableWeights.map((w) => w.read() as tf.Variable));
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    for (const g of Object.values(grads)) expect(tf.all(tf.isFinite(g)).dataSync()[0]).toBe(1);
    tf.dispose([x, value, ...Object.values(grads)]);
    layer.dispose();
  });

  test('soak: 2,000 predictions and 500 training steps leave memory flat', async () => {
    const model = new Sequential({
      layers: [new Embedding({ inputDim: 30, outputDim: 4, maskZero: true }), new GRU({ units: 4, returnSequences: true }), new LSTM({ units: 3, dropout: 0.1 }), new Dense({ units: 1, activation: 'sigmoid' })],
    });
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    const x = tf.tensor2d([[0, 0, 4, 9, 12], [3, 8, 1, 2, 29]], [2, 5], 'int32');
    const y = tf.tensor2d([[1], [0]]);
    await model.trainOnBatch(x, y);
    tf.dispose(model.predict(x));
    const { numTensors, numBytes } = tf.memory();
    for (let i = 0; i < 2000; i++) tf.dispose(model.predict(x));
    for (let i = 0; i < 500; i++) await model.trainOnBatch(x, y);
    expect(tf.memory().numTensors).toBe(numTensors);
    expect(tf.memory().numBytes).toBe(numBytes);
    tf.dispose([x, y]);
    model.dispose();
  }, 120000);
});
