/**
 * y = a · b, with a gradient that transposes its operands explicitly before
 * multiplying:
 *
 *   ∂L/∂a = ∂L/∂y · bᵀ        ∂L/∂b = aᵀ · ∂L/∂y
 *
 * tfjs's own gradient of matMul asks for transposed operands
 * (`matMul(a, dy, true, false)`), which the wasm backend (tfjs 4.22) runs in a
 * naive loop instead of XNNPACK: both gradients of [3200, 128] · [128, 1024]
 * (LSTM(256)'s hoisted projection) take 1.44 s that way and 0.13 s with the
 * transposes made first (`npm run bench:kernels`). cpu's matMul has no such
 * slow path for transposed operands, so elsewhere this is plain tf.matMul.
 */
import { tf } from './tf';

export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (tf.getBackend() !== 'wasm') return tf.matMul(a, b);
  const f = (x: tf.Tensor2D, w: tf.Tensor2D, save: tf.GradSaveFunc) => {
    save([x, w]);
    return {
      value: tf.matMul(x, w),
      gradFunc: (dy: tf.Tensor2D, [xs, ws]: tf.Tensor[]) => [
        tf.matMul(dy, tf.transpose(ws as tf.Tensor2D)), //  ∂L/∂a = ∂L/∂y · bᵀ
        tf.matMul(tf.transpose(xs as tf.Tensor2D), dy), //  ∂L/∂b = aᵀ · ∂L/∂y
      ],
    };
  };
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0])(a, b) as tf.Tensor2D;
}

/**
 * aᵀ · b. On wasm the transpose is made explicitly first (see above); elsewhere
 * matMul reads a transposed (cpu's explicit transpose of a [3200, 32] tensor
 * costs about as much as the product itself).
 */
export function matMulAT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.getBackend() === 'wasm' ? tf.matMul(tf.transpose(a), b) : tf.matMul(a, b, true, false);
}
