/**
 * The loop over time of the tf-op cells: `runLoop` (autodiff) here and
 * `runLoopBPTT` (hand-written backward) in bptt.ts, and what both share: the
 * mask per step, and the forward walk over the steps with masking.
 * docs/equations.md#the-loop
 */
import { tf } from '../tf';
import { stackTime, timeSteps } from '../host_ops';
import { Cell, State } from '../cells/cell';

/** Everything the loop needs besides the cell. */
export interface LoopOptions {
  /** [B, T] (bool or 0/1), false where a step is padding. */
  mask?: tf.Tensor;
  goBackwards: boolean;
  returnSequences: boolean;
  zeroOutputForMask: boolean;
}

/** The mask as [B, T, 1] of 0/1; any non-zero mask value is a real step, as in Keras. */
export function maskFloats(mask: tf.Tensor): tf.Tensor3D {
  return tf.expandDims(tf.cast(tf.notEqual(mask, 0), 'float32'), 2) as tf.Tensor3D;
}

/** m_t for every step, T × [B, 1] of 0/1. */
export function maskSteps(mask: tf.Tensor | undefined): tf.Tensor2D[] | null {
  return mask ? timeSteps(maskFloats(mask)) : null;
}

/**
 * Walks the steps in processing order (reversed with goBackwards), calling
 * `step` on x_t W + b and the previous state. A masked step keeps the state,
 * and outputs the previous output h_{t-1}, or zeros with zeroOutputForMask:
 *
 *   s_t = s_{t-1} + m_t ⊙ (s'_t − s_{t-1})
 *
 * Returns the outputs in processing order (every step, or only the last) and the final state.
 */
export function scanSteps<S extends State>(
  xs: tf.Tensor2D[],
  ms: tf.Tensor2D[] | null,
  initial: S,
  opts: LoopOptions,
  step: (xW: tf.Tensor2D, state: S) => S,
): { outs: tf.Tensor2D[]; state: S } {
  const T = xs.length;
  let state = initial;
  const outs: tf.Tensor2D[] = [];
  for (let k = 0; k < T; k++) {
    const t = opts.goBackwards ? T - 1 - k : k;
    let next = step(xs[t], state);
    let out: tf.Tensor2D = next[0];
    if (ms) {
      const m = ms[t];
      next = next.map((s, j) => tf.add(state[j], tf.mul(m, tf.sub(s, state[j])))) as S; // s_t = s_{t-1} + m_t (s'_t − s_{t-1})
      out = opts.zeroOutputForMask ? (tf.mul(m, next[0]) as tf.Tensor2D) : next[0];
    }
    state = next;
    if (opts.returnSequences || k === T - 1) outs.push(out);
  }
  return { outs, state };
}

/**
 * Runs `cell` over time. `xW` is x W + b for every step, [B, T, G·H].
 * A masked step keeps the previous state, and its output is the previous
 * output (h_{t-1}), or zeros with `zeroOutputForMask`:
 *
 *   s_t = m_t ⊙ cell(x_t, s_{t-1}) + (1 − m_t) ⊙ s_{t-1}
 *
 * Returns the outputs ([B, T, H] in processing order, or the last [B, H]) and the final state.
 */
export function runLoop<S extends State>(cell: Cell<S>, xW: tf.Tensor3D, initial: S, opts: LoopOptions): { output: tf.Tensor; state: S } {
  const xs = timeSteps(xW); //                                         T × [B, G·H]
  const { outs, state } = scanSteps(xs, maskSteps(opts.mask), initial, opts, (x, s) => cell.step(x, s));
  const output = opts.returnSequences ? stackTime(outs) : outs[0]; // [B, T, H] or [B, H]
  return { output, state };
}
