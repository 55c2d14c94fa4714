/**
 * An op with a hand-written gradient per input, each computed only when
 * backpropagation needs that input's gradient. `tf.customGrad` computes every
 * input's gradient; for y = x W, that is ∂L/∂x even when x is data (the first
 * layer's input), a product as large as the forward one. This goes through the
 * engine's `runKernelFunc`, the same door `tf.customGrad` uses (tfjs 4.22).
 */
import { tf } from './tf';

interface KernelFuncEngine {
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: tf.GradSaveFunc) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
    inputs: Record<string, tf.Tensor>;
  }): tf.Tensor;
}

/**
 * y = forward(save) of `inputs`; `grads(dy, saved)` gives, for each input in
 * order, a function computing ∂L/∂input from ∂L/∂y. Tensors the gradients read
 * must be passed to `save` (others may be disposed by then).
 */
export function lazyGrad(
  inputs: tf.Tensor[],
  forward: (save: tf.GradSaveFunc) => tf.Tensor,
  grads: (dy: tf.Tensor, saved: tf.Tensor[]) => Array<() => tf.Tensor>,
): tf.Tensor {
  const engine = tf.engine() as unknown as KernelFuncEngine;
  return engine.runKernelFunc({
    forwardFunc: (_backend, save) => forward(save),
    backwardsFunc: (dy, saved) => Object.fromEntries(grads(dy, saved).map((g, i) => [String(i), g])),
    inputs: Object.fromEntries(inputs.map((t, i) => [String(i), t])),
  });
}
