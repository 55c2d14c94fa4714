/**
 * No tensor leaks: tf.memory().numTensors is the same after predict and after
 * a training step as before it, for every layer, on every backend.
 */
import { tf } from '../src/tf';
import { Sequential, Embedding, SimpleRNN, LSTM, GRU, Bidirectional, Dense, resetNames } from '../src';
import { onEachBackend } from './helpers/backends';

type Build = () => Sequential;
const MODELS: Array<[string, Build]> = [
  ['Embedding(maskZero) + SimpleRNN', () => new Sequential({ layers: [new Embedding({ inputDim: 20, outputDim: 4, maskZero: true }), new SimpleRNN({ units: 3 }), new Dense({ units: 1, activation: 'sigmoid' })] })],
  ['Embedding + LSTM(dropout, recurrentDropout)', () => new Sequential({ layers: [new Embedding({ inputDim: 20, outputDim: 4 }), new LSTM({ units: 3, dropout: 0.2, recurrentDropout: 0.2 }), new Dense({ units: 1, activation: 'sigmoid' })] })],
  ['Embedding(maskZero) + GRU + GRU(resetAfter false)', () => new Sequential({ layers: [new Embedding({ inputDim: 20, outputDim: 4, maskZero: true }), new GRU({ units: 3, returnSequences: true }), new GRU({ units: 3, resetAfter: false }), new Dense({ units: 1, activation: 'sigmoid' })] })],
  ['Embedding + Bidirectional(LSTM)', () => new Sequential({ layers: [new Embedding({ inputDim: 20, outputDim: 4, maskZero: true }), new Bidirectional({ layer: new LSTM({ units: 3 }) }), new Dense({ units: 1, activation: 'sigmoid' })] })],
  ['stateful LSTM', () => new Sequential({ layers: [new Embedding({ inputDim: 20, outputDim: 4, batchInputShape: [4, 6] }), new LSTM({ units: 3, stateful: true }), new Dense({ units: 1, activation: 'sigmoid' })] })],
];

onEachBackend(() => {
  beforeEach(() => resetNames());

  test.each(MODELS)('%s: predict and a training step leave the tensor count unchanged', async (_n, build) => {
    const model = build();
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    const x = tf.tensor2d([[0, 3, 5, 7, 1, 2], [4, 4, 0, 0, 9, 1], [1, 2, 3, 4, 5, 6], [0, 0, 0, 8, 8, 8]], [4, 6], 'int32');
    const y = tf.tensor2d([[1], [0], [1], [0]]);
    // Warm up: the optimizer creates its slots on the first step.
    await model.trainOnBatch(x, y);
    tf.dispose(model.predict(x));

    const n0 = tf.memory().numTensors;
    const b0 = tf.memory().numBytes;
    const same = () => expect([tf.memory().numTensors, tf.memory().numBytes]).toEqual([n0, b0]);
    tf.dispose(model.predict(x));
    same();
    await model.trainOnBatch(x, y);
    same();
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    same();
    tf.dispose(model.evaluate(x, y, { batchSize: 4 }) as tf.Scalar);
    same();
    // An error thrown mid-call (a bad id reaches the Embedding) leaves nothing behind.
    const bad = tf.tensor2d([[0, 3, 5, 7, 1, 99], [4, 4, 0, 0, 9, 1], [1, 2, 3, 4, 5, 6], [0, 0, 0, 8, 8, 8]], [4, 6], 'int32');
    expect(() => model.predict(bad)).toThrow(/Embedding expects ids in \[0, inputDim\) = \[0, 20\), got 99/);
    bad.dispose();
    same();

    tf.dispose([x, y]);
    model.dispose();
  });

  const LAYERS: Array<[string, (o: Record<string, unknown>) => tf.layers.Layer]> = [
    ['SimpleRNN', (o) => new SimpleRNN({ units: 3, ...o })],
    ['LSTM', (o) => new LSTM({ units: 3, ...o })],
    ['GRU', (o) => new GRU({ units: 3, ...o })],
    ['GRU resetAfter false', (o) => new GRU({ units: 3, resetAfter: false, ...o })],
    ['Bidirectional(LSTM)', (o) => new Bidirectional({ layer: new LSTM({ units: 3, ...o }) })],
  ];
  const MODES: Array<[string, Record<string, unknown>, boolean, boolean]> = [
    ['plain', {}, false, false],
    ['returnSequences + returnState', { returnSequences: true, returnState: true }, false, false],
    ['goBackwards with a mask', { goBackwards: true }, true, false],
    ['dropout while training', { dropout: 0.3, recurrentDropout: 0.3 }, false, true],
  ];
  test.each(LAYERS.flatMap(([n, make]) => MODES.map(([m, o, masked, training]) => [`${n}, ${m}`, make, o, masked, training] as const)))(
    '%s: a call and a gradient step leave the tensor count unchanged',
    (_n, make, o, masked, training) => {
      const layer = make(o);
      const x = tf.randomNormal([2, 4, 3]);
      const mask = masked ? tf.tensor2d([[1, 1, 0, 0], [0, 1, 1, 1]]).cast('bool') : undefined;
      const kwargs = { mask, training };
      tf.dispose(layer.apply(x, kwargs) as tf.Tensor);
      const n0 = tf.memory().numTensors;
      tf.dispose(layer.apply(x, kwargs) as tf.Tensor);
      const { value, grads } = tf.variableGrads(() => {
        const y = layer.apply(x, kwargs) as tf.Tensor | tf.Tensor[];
        return tf.sum((Array.isArray(y) ? y[0] : y)) as tf.Scalar;
      }, layer.trainableWeights.map((w) => w.read() as tf.Variable));
      tf.dispose([value, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(n0);
      tf.dispose([x, ...(mask ? [mask] : [])]);
      layer.dispose();
    },
  );

  test('disposing a model frees every weight and carried state', () => {
    const n0 = tf.memory().numTensors;
    const model = MODELS[4][1]();
    const x = tf.zeros([4, 6], 'int32');
    tf.dispose(model.predict(x));
    x.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(n0);
  });

  test('resetStates replaces the carried state without leaking', () => {
    const lstm = new LSTM({ units: 3, stateful: true, batchInputShape: [2, 4, 3] });
    const x = tf.ones([2, 4, 3]);
    // Steady state: the layer holds the carried state and the one before it
    // (the last step's gradient may still need it).
    tf.dispose(lstm.apply(x) as tf.Tensor);
    tf.dispose(lstm.apply(x) as tf.Tensor);
    const n0 = tf.memory().numTensors;
    tf.dispose(lstm.apply(x) as tf.Tensor);
    lstm.resetStates();
    tf.dispose(lstm.apply(x) as tf.Tensor);
    expect(tf.memory().numTensors).toBe(n0);
    x.dispose();
    lstm.dispose();
  });
});
