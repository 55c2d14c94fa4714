/**
 * Activation functions by their Keras names. A config holds the name, so it
 * serializes as Keras writes it (`'tanh'`, `'sigmoid'`, ...).
 */
import { tf } from './tf';
import { RecurrentConfigError, fmtValue } from './errors';

export type ActivationFn = (x: tf.Tensor) => tf.Tensor;

/**
 * Keras 3's hard sigmoid, a piecewise-linear sigmoid:
 *
 *   hard_sigmoid(x) = relu6(x + 3) / 6 = clip(x / 6 + 1/2, 0, 1)
 *
 * (0 for x ≤ −3, 1 for x ≥ 3). Keras 2 defined it as clip(0.2 x + 0.5, 0, 1), another function.
 */
function hardSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.div(tf.relu6(tf.add(x, 3)), 6);
}

const ACTIVATIONS: Record<string, ActivationFn> = {
  linear: (x) => x,
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  hard_sigmoid: hardSigmoid,
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
