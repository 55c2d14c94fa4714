/**
 * A matrix product in the kernels' packed SIMD gemm (assembly/matmul.ts), for
 * backends whose own is slow: on cpu (tfjs 4.22) tf.matMul runs at about
 * 0.4 GFLOP/s, the kernels' gemm at 20–27 (`npm run bench:kernels`).
 */
import { tf } from '../tf';
import { make } from '../host_ops';
import { Arena, requireKernels } from './module';

/**
 * x · y for 2-D tensors, either read transposed (xᵀ with `tx`, yᵀ with `ty`),
 * as a new tensor. Not differentiable by itself (src/matmul.ts gives it a gradient).
 */
export function kernelProduct(x: tf.Tensor2D, y: tf.Tensor2D, tx = false, ty = false): tf.Tensor2D {
  const k = requireKernels('kernelProduct');
  const [M, K] = tx ? [x.shape[1], x.shape[0]] : x.shape;
  const N = ty ? y.shape[0] : y.shape[1];
  return make([[M, N]], ([out], read) => {
    const a = new Arena(k);
    const p = { x: a.floats(x.size), y: a.floats(y.size), packed: a.bytes(k.packedBytes(K, N)), out: a.floats(M * N) };
    const view = a.view();
    view.set(read(x), p.x / 4);
    view.set(read(y), p.y / 4);
    k.pack(p.y, ty ? K : N, K, N, p.packed, ty ? 1 : 0); //                     y (or yᵀ) in panels
    k.gemm(M, N, K, p.x, tx ? 1 : K, tx ? M : 1, p.packed, p.out, N, 0); //    x(i, k) at i·K + k, or xᵀ(i, k) at k·M + i
    out.set(view.subarray(p.out / 4, p.out / 4 + M * N));
  })[0] as tf.Tensor2D;
}
