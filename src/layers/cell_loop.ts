/**
 * The loop over time for any cell: a user's cell, or a stack that holds one.
 * The cell's own `call` runs at every step in tf ops, so tfjs's autodiff
 * differentiates the whole loop (our own cells take recurrence.ts's paths).
 * Masking as Keras's backend.rnn does it:
 *
 *   s_t = s_{t-1} + m_t ⊙ (s'_t − s_{t-1})      (every state)
 *   y_t = y'_t at a real step; at a masked step zeros (zeroOutputForMask), else the previous output:
 *         the first state of the (last) cell before the step, as Keras assumes it is the output.
 *
 * docs/equations.md#the-loop
 */
import { tf } from '../tf';
import { stackTime, timeSteps } from '../host_ops';
import { LoopOptions, maskSteps } from './loop';
import { CellLayer } from './cell_layer';
import { StackedRNNCells } from './stacked_rnn_cells';
import { RecurrentCell, outputSizeOf, stateSizesOf, stepCell } from './recurrent_cell';

/** Our cells inside `cell` (itself, or a stack's), whose dropout masks are fixed for the sequence. */
function ownCells(cell: RecurrentCell): CellLayer[] {
  const all = cell instanceof StackedRNNCells ? cell.cells : [cell];
  return all.filter((c): c is CellLayer => c instanceof CellLayer);
}

/**
 * Runs `cell` over `x` [B, T, D] from `initial` (one [B, size] per state).
 * Returns the output ([B, T, outputSize] in processing order, or the last) and the final states.
 */
export function runCellLoop(
  cell: RecurrentCell,
  x: tf.Tensor3D,
  initial: tf.Tensor2D[],
  o: LoopOptions & { training: boolean; who: string },
): { output: tf.Tensor; state: tf.Tensor2D[] } {
  const [B, T] = x.shape;
  const xs = timeSteps(x); //                                              T × [B, D]
  const ms = maskSteps(o.mask); //                                         T × [B, 1] of 0/1, or null
  // The state a masked step outputs again: the (last) cell's first, if it has the output's size; else the previous output.
  const first = cell instanceof StackedRNNCells ? cell.lastCellFirstState : 0;
  const carried = stateSizesOf(cell)[first] === outputSizeOf(cell) ? first : -1;
  const own = ownCells(cell);
  own.forEach((c) => c.fixDropoutMasks(B, o.training));
  try {
    let state = initial;
    let prev = tf.zeros([B, outputSizeOf(cell)]) as tf.Tensor2D;
    const outs: tf.Tensor2D[] = [];
    for (let k = 0; k < T; k++) {
      const t = o.goBackwards ? T - 1 - k : k;
      let [y, next] = stepCell(o.who, cell, xs[t], state, { training: o.training });
      if (ms) {
        const m = ms[t];
        next = next.map((s, j) => tf.add(state[j], tf.mul(m, tf.sub(s, state[j]))) as tf.Tensor2D); // s_t = s_{t-1} + m_t (s'_t − s_{t-1})
        const yPrev = carried >= 0 ? state[carried] : prev;
        y = (o.zeroOutputForMask ? tf.mul(m, y) : tf.add(yPrev, tf.mul(m, tf.sub(y, yPrev)))) as tf.Tensor2D;
      }
      prev = y;
      state = next;
      if (o.returnSequences || k === T - 1) outs.push(y);
    }
    return { output: o.returnSequences ? stackTime(outs) : outs[0], state };
  } finally {
    own.forEach((c) => c.releaseDropoutMasks());
  }
}
