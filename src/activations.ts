/**
 * Activation functions by their Keras names. A config holds the name, so it
 * serializes as Keras writes it (`'tanh'`, `'sigmoid'`, ...).
 */
import { tf } from './tf';
import { RecurrentConfigError, fmtValue } from './errors';

export type ActivationFn = (x: tf.Tensor) => tf.Tensor;

/**
 * tanh(x) = 2σ(2x) − 1, for wasm: there (tfjs 4.22) Tanh is far slower than
 * Sigmoid, so on a [32, 128] tensor tanh takes about 42 µs and these four
 * ops about 20 µs (idle machine); LSTM(128) inference went from 46.3 to
 * 43.5 ms. The two agree to float32 rounding (max |Δ| 1.5e-7 measured);
 * every other backend calls tf.tanh.
 */
function tanh(x: tf.Tensor): tf.Tensor {
  if (tf.getBackend() !== 'wasm') return tf.tanh(x);
  const s = tf.sigmoid(tf.add(x, x)); //                                 σ(2x)
  return tf.sub(tf.add(s, s), 1); //                                     2σ(2x) − 1
}

const ACTIVATIONS: Record<string, ActivationFn> = {
  linear: (x) => x,
  tanh,
  sigmoid: (x) => tf.sigmoid(x),
  relu: (x) => tf.relu(x),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.div(x, tf.add(tf.abs(x), 1)),
  swish: (x) => tf.mul(x, tf.sigmoid(x)),
  softmax: (x) => tf.softmax(x, -1),
};

/**
 * The activation names accepted by `activation`, `recurrentActivation`.
 *
 * @example
 * ```ts
 * import { ACTIVATION_NAMES, SimpleRNN } from 'tfjs-recurrent';
 * ACTIVATION_NAMES.includes('relu'); // true
 * new SimpleRNN({ units: 4, activation: 'relu' });
 * ```
 */
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS);

/** Looks up an activation by name; `null`/`undefined` gives `dflt`. */
export function getActivation(owner: string, arg: string, name: unknown, dflt: string): [string, ActivationFn] {
  const key = name == null ? dflt : name;
  if (typeof key !== 'string' || !(key in ACTIVATIONS)) {
    throw new RecurrentConfigError(
      `${owner}: ${arg} must be one of ${ACTIVATION_NAMES.map((a) => `'${a}'`).join(', ')}, got ${fmtValue(name)}`,
    );
  }
  return [key, ACTIVATIONS[key]];
}
