/**
 * The activations by name, and the derivatives from their outputs that the
 * hand-written backward steps use, against values by hand and against autodiff.
 */
import { tf } from '../src/tf';
import { getActivation } from '../src/activations';
import { derivativeFromOutput } from '../src/activations';
import { onEachBackend } from './helpers/backends';
import { expectClose } from './helpers/close';

const act = (name: string) => getActivation('test', 'activation', name, 'linear')[1];

onEachBackend(() => {
  test("hard_sigmoid is Keras 3's relu6(x + 3) / 6: 0 up to −3, x/6 + 1/2 between, 1 from 3", () => {
    tf.tidy(() => {
      const x = tf.tensor1d([-4, -3, -1.5, 0, 1.5, 2.4, 3, 4]);
      expectClose(act('hard_sigmoid')(x), [0, 0, 0.25, 0.5, 0.75, 0.9, 1, 1], 1e-7);
    });
  });

  test("hard_sigmoid's derivative from its output is 1/6 where 0 < y < 1, else 0", () => {
    tf.tidy(() => {
      const y = tf.tensor1d([0, 1e-3, 0.25, 0.5, 0.999, 1]);
      expectClose(derivativeFromOutput('hard_sigmoid')!(y), [0, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 0], 1e-7);
    });
  });

  test('tanh is tf.tanh itself, on every backend', () => {
    tf.tidy(() => {
      const x = tf.linspace(-6, 6, 97);
      expect(Array.from(act('tanh')(x).dataSync())).toEqual(Array.from(tf.tanh(x).dataSync()));
    });
  });

  test.each(['tanh', 'sigmoid', 'hard_sigmoid', 'relu', 'linear'])('%s: the derivative from the output equals autodiff', (name) => {
    tf.tidy(() => {
      const f = act(name);
      const x = tf.tensor1d([-5.1, -2.9, -1.3, -0.4, 0.35, 1.7, 2.95, 4.2]); // away from the kinks at 0 and ±3
      const byHand = derivativeFromOutput(name)!(f(x));
      const auto = tf.grad((v: tf.Tensor) => tf.mul(f(v), 1))(x); // × 1: linear returns x itself, which tf.grad refuses
      expectClose(byHand, auto.arraySync() as number[], 1e-6, name);
    });
  });

  test('activations without a hand-written derivative say so (their layers use autodiff)', () => {
    expect(derivativeFromOutput('softsign')).toBeNull();
    expect(derivativeFromOutput('elu')).toBeNull();
  });
});
