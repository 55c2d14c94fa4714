/**
 * The loop over time with a hand-written backward pass (explicit BPTT):
 * the same forward as `runLoop`, wrapped in one `tf.customGrad`, whose
 * gradient walks the steps in reverse with each cell's `backward` and then
 * computes the weight gradient of U as one matMul over all steps:
 *
 *   ∂L/∂U = Σ_t h_{t-1}ᵀ ∂L/∂(h_{t-1} U) = H_prevᵀ · dHU      ([H, B·T] × [B·T, G·H])
 *
 * (∂L/∂W and ∂L/∂b follow by autodiff of the hoisted projection X W + b.)
 * docs/equations.md#backward
 */
import { tf } from '../tf';
import { concatRows, sliceTime, stackTime, timeSteps } from '../host_ops';
import { matMulAT } from '../matmul';
import { BPTTCell, State } from '../cells/cell';
import { LoopOptions, maskFloats, scanSteps } from './loop';

/** Runs `cell` over time; gradients by explicit BPTT. Same result as `runLoop`. */
export function runLoopBPTT(cell: BPTTCell, xW: tf.Tensor3D, initial: tf.Tensor2D[], opts: LoopOptions): { output: tf.Tensor; state: State } {
  // The cell's own weights and masks are the inputs the gradient is for (U, b_r) or needs (m_h).
  const { U: U0, recurrentBias, recurrentDropoutMask: rdmIn } = cell.params;
  const [B, T] = xW.shape;
  const H = U0.shape[0];
  const S = initial.length;
  const hasBias = recurrentBias !== undefined;
  const nOut = opts.returnSequences ? T : 1;
  let cacheSize = 0;

  const f = (...args: unknown[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const init = args.slice(hasBias ? 3 : 2, (hasBias ? 3 : 2) + S) as tf.Tensor2D[];
    const xs = timeSteps(args[0] as tf.Tensor3D); //                                 T × [B, G·H]
    const m3 = opts.mask ? maskFloats(opts.mask) : null; //                          [B, T, 1]
    const ms = m3 ? timeSteps(m3) : null;
    const kept: tf.Tensor[] = []; // per step: the cell's cache
    const hs: tf.Tensor2D[] = []; // per step: h_{t-1}, for ∂U
    const { outs, state } = scanSteps(xs, ms, init, opts, (x, s) => {
      const { state: next, cache } = cell.forward(x, s);
      cacheSize = cache.length;
      hs.push(s[0]);
      kept.push(...cache);
      return next;
    });
    // Saved tensors are copied: h_{t-1} of every step and the mask go as one tensor each.
    save([U0, ...(rdmIn ? [rdmIn] : []), ...(m3 ? [m3] : []), concatRows(hs), ...kept]);
    // One tensor out: [B, nOut + S, H] = outputs, then the final states.
    const value = stackTime([...outs, ...state]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      let at = 0; // saved is read in the order it was written
      const U = saved[at++] as tf.Tensor2D;
      const rdm = rdmIn ? (saved[at++] as tf.Tensor2D) : undefined;
      const msSaved = m3 ? timeSteps(saved[at++] as tf.Tensor3D) : null;
      const hPrevAll = saved[at++] as tf.Tensor2D; //                                 [T·B, H], h_{t-1} in processing order
      const caches = saved.slice(at); //                                             T × the cell's cache, in processing order
      const per = cacheSize;
      const Ut = tf.transpose(U); //                                                 [G·H, H], transposed once, explicitly
      const parts = timeSteps(dy as tf.Tensor3D); //                                 (nOut + S) × [B, H]
      const dOuts = parts.slice(0, nOut);
      let ds = parts.slice(nOut); //                                                 ∂L/∂s_T
      const dXWs: tf.Tensor2D[] = new Array(T);
      const dHUs: tf.Tensor2D[] = new Array(T);
      for (let k = T - 1; k >= 0; k--) {
        const t = opts.goBackwards ? T - 1 - k : k;
        const cache = caches.slice(k * per, (k + 1) * per);
        const dOut = opts.returnSequences ? dOuts[k] : k === T - 1 ? dOuts[0] : null;
        const m = msSaved ? msSaved[t] : null;
        if (dOut) ds[0] = tf.add(ds[0], m && opts.zeroOutputForMask ? tf.mul(m, dOut) : dOut) as tf.Tensor2D;
        // Through the mask: ∂s'_t = m_t ∂s_t; the rest goes straight to s_{t-1}.
        const dCell = m ? ds.map((d) => tf.mul(m, d) as tf.Tensor2D) : ds;
        const carry = m ? ds.map((d) => tf.mul(tf.sub(1, m), d) as tf.Tensor2D) : null;
        const { dXW, dHU, dPrev } = cell.backward(dCell, cache);
        dXWs[t] = dXW;
        dHUs[k] = dHU;
        let dhU: tf.Tensor = tf.matMul(dHU, Ut); //                                  ∂h_{t-1} through U
        if (rdm) dhU = tf.mul(dhU, rdm);
        ds = ds.map((_, j) => {
          let g: tf.Tensor | null = j === 0 ? dhU : null;
          if (dPrev[j]) g = g ? tf.add(g, dPrev[j]!) : dPrev[j];
          if (carry) g = g ? tf.add(g, carry[j]) : carry[j];
          return (g ?? tf.zeros([B, H])) as tf.Tensor2D;
        });
      }
      const dXW = stackTime(dXWs); //                                                [B, T, G·H]
      const dHUall = concatRows(dHUs); //                                            [T·B, G·H]
      const hIn = rdm ? tf.reshape(tf.mul(tf.reshape(hPrevAll, [T, B, H]), rdm), [T * B, H]) as tf.Tensor2D : hPrevAll; // h_{t-1} ⊙ m_h
      const dU = matMulAT(hIn, dHUall); //                                           ∂L/∂U = H_prevᵀ dHU
      const grads: tf.Tensor[] = [dXW, dU];
      if (hasBias) grads.push(tf.sum(dHUall, 0)); //                                 ∂L/∂b_r = Σ dHU
      return [...grads, ...ds]; //                                                   ∂L/∂s_0
    };
    return { value, gradFunc };
  };
  const inputs = [xW, U0, ...(hasBias ? [recurrentBias!] : []), ...initial];
  const packed = tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0])(...inputs) as tf.Tensor3D;
  const output = opts.returnSequences ? sliceTime(packed, 0, nOut) : tf.reshape(sliceTime(packed, 0, 1), [B, H]);
  return { output, state: initial.map((_, j) => tf.reshape(sliceTime(packed, nOut + j, 1), [B, H]) as tf.Tensor2D) };
}
