/**
 * Keras's binary cross-entropy as one op with its gradient written out,
 * in place of tfjs's: the same value (to float32 rounding), from 2 engine
 * calls where tfjs's makes 25 (a clip, a log-odds, the logistic loss and
 * their gradients), about 1 ms of a 32-unit LSTM's 8 ms training step on
 * wasm. `compile({ loss: 'binaryCrossentropy' })` uses it (see
 * `fuseLosses`); the model still names and saves the loss as tfjs's.
 *
 * With q = clip(p, ε, 1 − ε), over the C values of a sample's last axis:
 *
 *   L       = −(1/C) Σ_c [y log q + (1 − y) log(1 − q)]
 *   ∂L/∂p   = (1/C) (q − y) / (q (1 − q))      where ε ≤ p ≤ 1 − ε, else 0
 *
 * which is tfjs's clip, log(q / (1 − q)) and sigmoid cross-entropy on those
 * log-odds, and their gradients, in one step.
 */
import { tf } from '../tf';
import { lazyGrad } from '../lazy_grad';
import { make } from '../host_ops';
import { hostMemory } from '../placement';

/** Keras's and tfjs's fuzz factor (`epsilon()`): predictions are clipped to [ε, 1 − ε], as float32s. */
const EPSILON = 1e-7;
const [LO, HI] = [Math.fround(EPSILON), Math.fround(1 - EPSILON)];

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * The binary cross-entropy of each sample, the mean over the last axis:
 * yPred [..., C] of probabilities gives [...].
 */
export function binaryCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  if (!hostMemory()) return tf.metrics.binaryCrossentropy(yTrue, yPred); // a GPU backend: tfjs's, whose ops stay there
  const C = yPred.shape[yPred.rank - 1] ?? 1;
  const samples = yPred.size / C;
  return lazyGrad(
    [yTrue, yPred],
    (save) => {
      save([yTrue, yPred]);
      return make([yPred.shape.slice(0, -1)], ([out], read) => {
        const y = read(yTrue);
        const p = read(yPred);
        for (let n = 0; n < samples; n++) {
          let sum = 0;
          for (let i = n * C; i < (n + 1) * C; i++) {
            const q = Math.min(Math.max(p[i], LO), HI);
            sum += y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
          }
          out[n] = -sum / C;
        }
      })[0];
    },
    (dy, [y0, p0]) => [
      () => tf.zerosLike(y0), // the labels are data
      () =>
        make([p0.shape], ([dp], read) => {
          const y = read(y0);
          const p = read(p0);
          const d = read(dy);
          for (let i = 0; i < p.length; i++) {
            const q = p[i];
            dp[i] = q < LO || q > HI ? 0 : (d[Math.floor(i / C)] * (q - y[i])) / (q * (1 - q)) / C;
          }
        })[0],
    ],
  );
}

/** Our op for each tfjs loss name that has one. */
const FUSED: Record<string, LossFn> = { binaryCrossentropy };

/**
 * After tfjs's compile: each output's loss given by a name we have an op
 * for (`loss` is compile's tfjs-named argument: one name for every output,
 * or one per output) runs as ours. tfjs has already picked the accuracy
 * that goes with the loss and kept its own function for the checks of y's
 * shape, so both still see tfjs's.
 */
export function fuseLosses(loss: unknown, lossFunctions: LossFn[]): void {
  lossFunctions.forEach((_, i) => {
    const name = Array.isArray(loss) ? loss[i] : loss;
    if (typeof name === 'string' && Object.prototype.hasOwnProperty.call(FUSED, name)) lossFunctions[i] = FUSED[name];
  });
}
