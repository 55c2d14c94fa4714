/**
 * Cutting and joining tensors along time or gates, done on host memory when
 * the backend keeps its tensors there (`cpu`, `wasm`) and no gradient tape is
 * recording. Measured here with `npm run bench:kernels` (tfjs 4.22; the table
 * is in docs/benchmarks.md):
 *
 * - wasm's `slice`/`split`/`unstack` read the whole input back from the wasm
 *   heap for every piece they cut, so `unstack` over T steps costs O(T · size):
 *   0.4–1.1 s for [32, 100, 512] into 100 steps, against 4–7 ms here;
 * - cpu's `split` along the last axis walks every element through a generic
 *   strided path: about 6 ms for a [32, 512] tensor into 4, against 0.02 ms here.
 *
 * On wasm, `stackTime` uses tf.stack, which is the faster there.
 *
 * These copies are not differentiable, so they are only used where nothing
 * is taped: inside the forward and backward functions of a `tf.customGrad`
 * (explicit BPTT) and in inference. Elsewhere the tf op runs, with its
 * gradient. Values are identical either way: these functions only move floats.
 */
import { tf } from './tf';

/** True when ops are not being recorded for a gradient (tfjs tapes only at kernel depth 0 inside a gradient scope). */
function untaped(): boolean {
  const state = tf.engine().state as unknown as { gradientDepth: number; kernelDepth: number };
  return state.gradientDepth === 0 || state.kernelDepth > 0;
}

/** Whether to move floats on the host: a host-memory backend, nothing taped, float32. */
function onHost(t: tf.Tensor): boolean {
  const b = tf.getBackend();
  return (b === 'cpu' || b === 'wasm') && t.dtype === 'float32' && untaped();
}

/**
 * The floats of `t` for reading now: on wasm a view into its heap (no copy;
 * valid until the next allocation, so fetch it again after making a tensor),
 * elsewhere `dataSync()`.
 */
function floats(t: tf.Tensor): Float32Array {
  const backend = tf.backend() as unknown as { typedArrayFromHeap?: (t: tf.TensorInfo) => Float32Array };
  if (tf.getBackend() === 'wasm' && typeof backend.typedArrayFromHeap === 'function') {
    return backend.typedArrayFromHeap({ dataId: t.dataId, dtype: t.dtype, shape: t.shape });
  }
  return t.dataSync() as Float32Array;
}

/** [B, G·H] → G × [B, H]: `tf.split(z, G, 1)`. */
export function splitLast(z: tf.Tensor2D, G: number): tf.Tensor2D[] {
  if (G === 1) return [z];
  if (!onHost(z)) return tf.split(z, G, 1) as tf.Tensor2D[];
  const [B, GH] = z.shape;
  const H = GH / G;
  const v = floats(z);
  // One allocation, gate-major: piece g is buf[g·B·H, (g+1)·B·H). (Tensors copy or keep their piece; nothing writes buf again.)
  const buf = new Float32Array(B * GH);
  for (let b = 0; b < B; b++) {
    for (let g = 0; g < G; g++) buf.set(v.subarray(b * GH + g * H, b * GH + (g + 1) * H), (g * B + b) * H);
  }
  return Array.from({ length: G }, (_, g) => tf.tensor2d(buf.subarray(g * B * H, (g + 1) * B * H), [B, H]));
}

/** G × [B, H_g] → [B, Σ H_g]: `tf.concat(parts, 1)`. */
export function concatLast(parts: tf.Tensor2D[]): tf.Tensor2D {
  if (parts.length === 1) return parts[0];
  if (!parts.every(onHost)) return tf.concat(parts, 1);
  const B = parts[0].shape[0];
  const W = parts.reduce((n, p) => n + p.shape[1], 0);
  const buf = new Float32Array(B * W);
  let offset = 0;
  for (const p of parts) {
    const H = p.shape[1];
    const v = floats(p);
    for (let b = 0; b < B; b++) buf.set(v.subarray(b * H, (b + 1) * H), b * W + offset);
    offset += H;
  }
  return tf.tensor2d(buf, [B, W]);
}

/** N × [B_n, F] → [Σ B_n, F]: `tf.concat(parts, 0)`. */
export function concatRows(parts: tf.Tensor2D[]): tf.Tensor2D {
  if (parts.length === 1) return parts[0];
  if (!parts.every(onHost)) return tf.concat(parts, 0);
  const F = parts[0].shape[1];
  const buf = new Float32Array(parts.reduce((n, p) => n + p.size, 0));
  let offset = 0;
  for (const p of parts) {
    buf.set(floats(p), offset);
    offset += p.size;
  }
  return tf.tensor2d(buf, [buf.length / F, F]);
}

/** [B, T, F] → T × [B, F]: `tf.unstack(x, 1)`. */
export function timeSteps(x: tf.Tensor3D): tf.Tensor2D[] {
  if (!onHost(x)) return tf.unstack(x, 1) as tf.Tensor2D[];
  const [B, T, F] = x.shape;
  // One allocation, time-major: step t is buf[t·B·F, (t+1)·B·F).
  const v = floats(x);
  const buf = new Float32Array(B * T * F);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) buf.set(v.subarray((b * T + t) * F, (b * T + t + 1) * F), (t * B + b) * F);
  }
  return Array.from({ length: T }, (_, t) => tf.tensor2d(buf.subarray(t * B * F, (t + 1) * B * F), [B, F]));
}

/** T × [B, F] → [B, T, F]: `tf.stack(steps, 1)` (on the host for cpu only: wasm's own stack is the faster there, 0.5 against 1.1 ms for 100 × [32, 128]). */
export function stackTime(steps: tf.Tensor2D[]): tf.Tensor3D {
  if (tf.getBackend() === 'wasm' || !steps.every(onHost)) return tf.stack(steps, 1) as tf.Tensor3D;
  const [B, F] = steps[0].shape;
  const T = steps.length;
  const buf = new Float32Array(B * T * F);
  steps.forEach((s, t) => {
    const v = floats(s);
    for (let b = 0; b < B; b++) buf.set(v.subarray(b * F, (b + 1) * F), (b * T + t) * F);
  });
  return tf.tensor3d(buf, [B, T, F]);
}

/**
 * x[:, begin : begin + size, :] of x [B, T, F], differentiable: `tf.slice`,
 * or on the host, with the gradient placing ∂y back into zeros of x's shape.
 * (cpu's slice along axis 1 walks every element: 14 ms for a [32, 3, 32] split.)
 */
export function sliceTime(x: tf.Tensor3D, begin: number, size: number): tf.Tensor3D {
  const [B, T, F] = x.shape;
  const b = tf.getBackend();
  if ((b !== 'cpu' && b !== 'wasm') || x.dtype !== 'float32') return tf.slice(x, [0, begin, 0], [B, size, F]);
  const move = (src: tf.Tensor3D, from: [number, number], to: [number, number], shape: number[]) => {
    // Copies `size` rows of every batch entry from src (time offset from[0] of from[1] steps) into a new tensor.
    const buf = new Float32Array(shape.reduce((p, d) => p * d, 1));
    const v = floats(src);
    for (let i = 0; i < B; i++) buf.set(v.subarray((i * from[1] + from[0]) * F, (i * from[1] + from[0] + size) * F), (i * to[1] + to[0]) * F);
    return tf.tensor3d(buf, shape as [number, number, number]);
  };
  const f = (t: tf.Tensor3D) => ({
    value: move(t, [begin, T], [0, size], [B, size, F]), //                    y = x[:, begin:begin+size]
    gradFunc: (dy: tf.Tensor3D) => move(dy, [0, size], [begin, T], [B, T, F]), // ∂x = ∂y in place, zeros elsewhere
  });
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0])(x) as tf.Tensor3D;
}
