/**
 * y = a · b, the one seam for the products of the recurrent layers' input
 * projection and Dense, with a hand-written gradient per operand, each
 * computed only when needed (src/lazy_grad.ts):
 *
 *   ∂L/∂a = ∂L/∂y · bᵀ        ∂L/∂b = aᵀ · ∂L/∂y
 *
 * - cpu: our kernels' SIMD gemm (src/kernels/gemm.ts); tf.matMul there runs
 *   at about 0.4 GFLOP/s.
 * - wasm: tf.matMul, with the transposes made explicitly first: tfjs's own
 *   gradient of matMul asks for transposed operands (`matMul(a, dy, true,
 *   false)`), which the wasm backend (tfjs 4.22) runs in a naive loop instead
 *   of XNNPACK: both gradients of [3200, 128] · [128, 1024] (LSTM(256)'s
 *   hoisted projection) take 1.44 s that way and 0.13 s with the transposes
 *   made first (`npm run bench:kernels`).
 * - elsewhere (tensorflow): tf.matMul and its own gradient.
 */
import { tf } from './tf';
import { lazyGrad } from './lazy_grad';
import { productPath } from './placement';
import { kernelProduct } from './kernels/gemm';

/** x · y (either transposed) where src/placement.ts puts products, not differentiable by itself. */
function product(x: tf.Tensor2D, y: tf.Tensor2D, tx: boolean, ty: boolean): tf.Tensor2D {
  if (productPath() === 'kernels') return kernelProduct(x, y, tx, ty);
  return tf.matMul(tx ? tf.transpose(x) : x, ty ? tf.transpose(y) : y);
}

export function matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (productPath() === 'tf') return tf.matMul(a, b);
  return lazyGrad(
    [a, b],
    (save) => {
      save([a, b]);
      return product(a, b, false, false);
    },
    (dy, [as, bs]) => [
      () => product(dy as tf.Tensor2D, bs as tf.Tensor2D, false, true), //  ∂L/∂a = ∂L/∂y · bᵀ
      () => product(as as tf.Tensor2D, dy as tf.Tensor2D, true, false), //  ∂L/∂b = aᵀ · ∂L/∂y
    ],
  ) as tf.Tensor2D;
}

/**
 * aᵀ · b. On wasm the transpose is made explicitly first (see above); on cpu
 * the kernels' gemm reads a transposed; elsewhere matMul reads a transposed.
 */
export function matMulAT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return productPath() === 'tf' ? tf.matMul(a, b, true, false) : product(a, b, true, false);
}
