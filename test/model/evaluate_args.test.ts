/** evaluate never ignores an option it accepts: tfjs's would drop sampleWeight and return the unweighted loss. */
import { tf } from '../../src/tf';
import { Sequential, Functional, LSTM, Dense, RecurrentConfigError } from '../../src';

describe('evaluate with sampleWeight', () => {
  const x = () => tf.ones([4, 3, 2]);
  const y = () => tf.zeros([4, 1]);
  const w = () => tf.tensor1d([1, 0.25, 0, 2]);

  test('Sequential and Functional refuse it, naming the model and the option, before any tensor work', () => {
    const s = new Sequential({ name: 'seq' });
    s.add(new LSTM({ units: 2, inputShape: [3, 2] }));
    s.add(new Dense({ units: 1 }));
    s.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const input = tf.input({ shape: [3, 2] });
    const f = new Functional({ name: 'fun', inputs: input, outputs: new Dense({ units: 1 }).apply(new LSTM({ units: 2 }).apply(input)) as tf.SymbolicTensor });
    f.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [xs, ys, ws] = [x(), y(), w()];
    const before = tf.memory().numTensors;
    expect(() => s.evaluate(xs, ys, { sampleWeight: ws })).toThrow(RecurrentConfigError);
    expect(() => s.evaluate(xs, ys, { sampleWeight: ws })).toThrow(/^evaluate \(model 'seq'\): evaluate's sampleWeight is not supported \(tfjs would ignore it and return the unweighted loss\); got /);
    expect(() => f.evaluate(xs, ys, { sampleWeight: ws })).toThrow(/^evaluate \(model 'fun'\): evaluate's sampleWeight is not supported/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose((s.evaluate(xs, ys) as tf.Scalar)); // without it, evaluate works
    tf.dispose([xs, ys, ws]);
  });
});
