/**
 * Our cells (SimpleRNNCell, LSTMCell, GRUCell) over a whole sequence: the
 * dropout masks drawn once for all steps, then one of the three paths that
 * src/placement.ts chooses: the kernels (src/kernels/, the whole sequence in
 * one call), or the tf-op steps of src/cells/ with the loop of bptt.ts
 * (hand-written backward) or loop.ts (autodiff). A stack of our cells runs
 * cell after cell, each the same way. docs/equations.md#the-loop
 */
import { tf } from '../tf';
import { matMul } from '../matmul';
import { kernelsProject, sequencePath } from '../placement';
import { BPTTCell, State } from '../cells/cell';
import { runSequence } from '../kernels/sequence';
import { runLoopBPTT } from './bptt';
import { LoopOptions, runLoop } from './loop';
import { dropoutMask } from './dropout';
import type { CellLayer } from './cell_layer';

/** A layer's flags that force a path (tests and benchmarks compare the paths). */
export interface PathFlags {
  /** The kernels may run the sequence (when they compute the cell). */
  useKernels: boolean;
  /** tfjs's autodiff through the tf-op steps, always: the reference the others are tested against. */
  useAutodiff: boolean;
}

/** A sequence call's options: the loop's, whether it trains (dropout), and who is named in errors. */
export interface SequenceOptions extends LoopOptions {
  training: boolean;
  who: string;
}

/**
 * Runs our `cell` over `x` [B, T, D] from `initial` (one [B, H] per state).
 * Returns the output ([B, T, H] in processing order, or the last [B, H]) and the final states.
 */
export function runOwnCell(cell: CellLayer, x: tf.Tensor3D, initial: tf.Tensor2D[], o: SequenceOptions, flags: PathFlags): { output: tf.Tensor; state: tf.Tensor2D[] } {
  const [B, , D] = x.shape;
  let xIn = x;
  if (o.training && cell.dropout > 0) {
    xIn = tf.mul(x, tf.expandDims(dropoutMask([B, D], cell.dropout, cell.nextSeed()), 1)) as tf.Tensor3D; // x_t ⊙ m_x, one mask for every t
  }
  const rdm = o.training && cell.recurrentDropout > 0 ? dropoutMask([B, cell.units], cell.recurrentDropout, cell.nextSeed()) : undefined;
  const loopOpts: LoopOptions = { mask: o.mask, goBackwards: o.goBackwards, returnSequences: o.returnSequences, zeroOutputForMask: o.zeroOutputForMask };
  const kc = cell.kernelCell();
  const path = sequencePath({
    useKernels: flags.useKernels, useAutodiff: flags.useAutodiff, hasBPTT: cell.hasBPTT(),
    kernelActivations: kc && [kc.activation, kc.recurrentActivation],
  });
  if (path === 'kernels') {
    return runSequence(kc!, {
      ...(kernelsProject()
        ? { x: xIn, W: cell.kernelValue(), bias: (cell.inputBias() ?? undefined) as tf.Tensor1D | undefined }
        : { xW: projection(cell, xIn) }),
      U: cell.recurrentKernelValue(), recurrentBias: cell.recurrentBias(), initial, recurrentDropoutMask: rdm, who: o.who,
    }, loopOpts);
  }
  // The tf-op steps of src/cells/: with their hand-written backward through time (bptt.ts), or step by step (loop.ts), which
  // tfjs's autodiff differentiates where a tape records.
  const step = cell.makeStep(rdm);
  const run = path === 'bptt' ? runLoopBPTT(step as BPTTCell, projection(cell, xIn), initial, loopOpts) : runLoop(step, projection(cell, xIn), initial, loopOpts);
  return run as { output: tf.Tensor; state: State };
}

/** Hoisted input projection: x_t W + b for all t in one matMul.   [B·T, D] × [D, G·H] → [B, T, G·H] */
function projection(cell: CellLayer, xIn: tf.Tensor3D): tf.Tensor3D {
  const [B, T, D] = xIn.shape;
  let xW: tf.Tensor = matMul(tf.reshape(xIn, [B * T, D]) as tf.Tensor2D, cell.kernelValue());
  const bIn = cell.inputBias();
  if (bIn) xW = tf.add(xW, bIn);
  return tf.reshape(xW, [B, T, cell.gates * cell.units]) as tf.Tensor3D;
}

/**
 * A stack of our cells (StackedRNNCells), cell after cell: each runs the whole
 * sequence as `runOwnCell` does and the next reads its outputs. This equals
 * Keras's step-by-step stack: at a real step each cell reads the new output of
 * the one below; at a masked step every state is kept and the output is the
 * last cell's h_{t−1} (or zeros), whatever the cells below read there.
 * With goBackwards the first cell reads backwards and the others read its
 * outputs, already in processing order, forwards (with the mask reversed).
 */
export function runOwnStack(cells: CellLayer[], x: tf.Tensor3D, initial: tf.Tensor2D[], o: SequenceOptions, flags: PathFlags): { output: tf.Tensor; state: tf.Tensor2D[] } {
  let seq: tf.Tensor = x;
  let mask = o.mask;
  let at = 0;
  const state: tf.Tensor2D[] = [];
  cells.forEach((cell, k) => {
    const n = cell.stateSizes.length;
    const last = k === cells.length - 1;
    const first = k === 0;
    const r = runOwnCell(cell, seq as tf.Tensor3D, initial.slice(at, at + n), {
      ...o,
      mask,
      goBackwards: first && o.goBackwards,
      returnSequences: last ? o.returnSequences : true,
      zeroOutputForMask: last && o.zeroOutputForMask,
    }, flags);
    if (first && o.goBackwards && mask) mask = tf.reverse(tf.cast(mask, 'float32'), 1); // the next cells read in processing order
    seq = r.output;
    state.push(...r.state);
    at += n;
  });
  return { output: seq, state };
}
