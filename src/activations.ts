/**
 * Activation functions by their Keras names: the one table every path reads.
 * A config holds the name, so it serializes as Keras writes it (`'tanh'`,
 * `'sigmoid'`, ...). For each: the function (tf ops); φ'(z) from y = φ(z)
 * where a hand-written backward step uses it (src/cells/); ONNX's recurrent
 * activation of the same function, where ONNX has one (src/interop/). The
 * kernels compute the ones their module exports a code for (src/kernels/codes.ts).
 */
import { tf } from './tf';
import { RecurrentConfigError, fmtValue } from './errors';
import { toSnakeCase } from './naming';

export type ActivationFn = (x: tf.Tensor) => tf.Tensor;

/** φ'(z) as a function of y = φ(z): what a backward step multiplies by. */
export type Derivative = (y: tf.Tensor) => tf.Tensor;

/** An ONNX recurrent activation function, with its alpha and beta. */
export interface OnnxActivation {
  name: string;
  alpha?: number;
  beta?: number;
}

interface Activation {
  fn: ActivationFn;
  /** φ'(z) from y = φ(z); absent where a backward step cannot have it from y alone (autodiff is used). */
  derivative?: Derivative;
  /** ONNX's RNN/LSTM/GRU activation of the same function. */
  onnx?: OnnxActivation;
}

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

const ACTIVATIONS: Record<string, Activation> = {
  linear: { fn: (x) => x, derivative: (y) => tf.onesLike(y), onnx: { name: 'Affine', alpha: 1, beta: 0 } }, //   1
  tanh: { fn: (x) => tf.tanh(x), derivative: (y) => tf.sub(1, tf.square(y)), onnx: { name: 'Tanh' } }, //      1 − y²
  sigmoid: { fn: (x) => tf.sigmoid(x), derivative: (y) => tf.mul(y, tf.sub(1, y)), onnx: { name: 'Sigmoid' } }, // y (1 − y)
  hard_sigmoid: {
    fn: hardSigmoid,
    derivative: (y) => tf.div(tf.cast(tf.logicalAnd(tf.greater(y, 0), tf.less(y, 1)), 'float32'), 6), //        [0 < y < 1] / 6
    onnx: { name: 'HardSigmoid', alpha: 1 / 6, beta: 0.5 }, //                                                  Keras 3's relu6(x + 3) / 6
  },
  relu: { fn: (x) => tf.relu(x), derivative: (y) => tf.cast(tf.greater(y, 0), 'float32'), onnx: { name: 'Relu' } }, // [y > 0]
  elu: { fn: (x) => tf.elu(x) },
  selu: { fn: (x) => tf.selu(x) },
  softplus: { fn: (x) => tf.softplus(x) },
  softsign: { fn: (x) => tf.div(x, tf.add(tf.abs(x), 1)) },
  swish: { fn: (x) => tf.mul(x, tf.sigmoid(x)) },
  softmax: { fn: (x) => tf.softmax(x, -1) },
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
  return [key, ACTIVATIONS[key].fn];
}

/**
 * The activation options of a config read back from tfjs's model format, which camelCases string values
 * on load (`'hard_sigmoid'` → `'hardSigmoid'`): each back to our name. (A user's `'hardSigmoid'` stays
 * refused: tfjs's hardSigmoid is Keras 2's, not ours.)
 */
export function activationsFromFile(config: Record<string, unknown>): Record<string, unknown> {
  const out = { ...config };
  for (const key of ['activation', 'recurrentActivation']) {
    const v = out[key];
    if (typeof v === 'string' && !(v in ACTIVATIONS) && toSnakeCase(v) in ACTIVATIONS) out[key] = toSnakeCase(v);
  }
  return out;
}

/** φ'(z) from y = φ(z), for the activations a hand-written backward step can use; null for the others. */
export function derivativeFromOutput(name: string): Derivative | null {
  return ACTIVATIONS[name]?.derivative ?? null;
}

/** ONNX's recurrent activation for `name`; null where ONNX's recurrences have none. */
export function onnxActivation(name: string): OnnxActivation | null {
  return ACTIVATIONS[name]?.onnx ?? null;
}

/** The names ONNX's recurrences take (for errors). */
export const ONNX_ACTIVATION_NAMES = ACTIVATION_NAMES.filter((n) => ACTIVATIONS[n].onnx);
