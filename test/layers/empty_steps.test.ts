/** Sequences of no time step through a model: the same clear error from fit, evaluate and predict, on every backend. */
import { tf } from '../../src/tf';
import { LSTM, Dense, Sequential, RecurrentInputError } from '../../src';
import { onEachBackend } from '../helpers/backends';

onEachBackend(() => {
  test('fit, evaluate and predict on [4, 0, 2] name the layer and the missing time steps', async () => {
    const m = new Sequential();
    m.add(new LSTM({ units: 3, inputShape: [null, 2], name: 'enc' } as ConstructorParameters<typeof LSTM>[0]));
    m.add(new Dense({ units: 1 }));
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = tf.zeros([4, 0, 2]);
    const y = tf.zeros([4, 1]);
    const before = tf.memory().numTensors;
    const message = /^LSTM expects at least one sequence of at least one time step, got shape \[4, 0, 2\] \(layer 'enc'\)/;
    await expect(m.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow(message);
    expect(() => m.evaluate(x, y)).toThrow(message);
    expect(() => m.predict(x)).toThrow(RecurrentInputError);
    expect(() => m.predict(x)).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    m.dispose();
  });
});
