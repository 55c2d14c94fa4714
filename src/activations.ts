/**
 * Activation functions by their Keras names. A config holds the name, so it
 * serializes as Keras writes it (`'tanh'`, `'sigmoid'`, ...).
 */
import { tf } from './tf';
import { RecurrentConfigError, fmtValue } from './errors';

export type ActivationFn = (x: tf.Tensor) => tf.Tensor;

const ACTIVATIONS: Record<string, ActivationFn> = {
  linear: (x) => x,
  tanh: (x) => tf.tanh(x),
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
