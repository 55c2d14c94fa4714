/**
 * SimpleRNNCell: one step of the Elman recurrence, h_t = φ(x_t W + h_{t-1} U + b).
 * docs/equations.md#simplernn
 */
import { tf } from '../tf';
import { SimpleRNNStep } from '../cells/simple_rnn';
import { derivativeFromOutput } from '../activations';
import type { KernelCell } from '../kernels/sequence';
import { NS } from './base';
import { CellArgs, CellLayer } from './cell_layer';

/** Options of {@link SimpleRNNCell}: units, activation, useBias, the initializers, dropout, recurrentDropout, seed. */
export type SimpleRNNCellArgs = CellArgs;

/**
 * One step of a fully-connected recurrence, as Keras's `SimpleRNNCell`:
 * kernel W [D, H], recurrentKernel U [H, H], bias b [H]; one state h.
 * `new RNN({ cell: new SimpleRNNCell({ units }) })` computes what
 * `SimpleRNN({ units })` does, at the same speed.
 *
 * @example
 * ```ts
 * import { tf, RNN, SimpleRNNCell } from 'tfjs-recurrent';
 * const cell = new SimpleRNNCell({ units: 4 });
 * const [y, [h]] = cell.call(tf.ones([2, 3]), [tf.zeros([2, 4])]); // one step: y = h, [2, 4]
 * const seq = new RNN({ cell: new SimpleRNNCell({ units: 4 }), returnSequences: true });
 * const ys = seq.apply(tf.ones([2, 5, 3])) as tf.Tensor; // [2, 5, 4]
 * ```
 */
export class SimpleRNNCell extends CellLayer {
  static className = NS + 'SimpleRNNCell';
  readonly gates = 1;
  /** H: one state, h. */
  readonly stateSize: number;

  constructor(args: SimpleRNNCellArgs, owner?: string) {
    super(args, [], owner);
    this.stateSize = this.units;
  }

  hasBPTT(): boolean {
    return derivativeFromOutput(this.activationName) !== null;
  }

  kernelCell(): KernelCell {
    return { kind: 'simpleRNN', activation: this.activationName, recurrentActivation: 'linear' };
  }

  makeStep(rdm: tf.Tensor2D | undefined): SimpleRNNStep {
    return new SimpleRNNStep({
      U: this.recurrentKernelValue(),
      activation: this.activationFn,
      recurrentActivation: this.activationFn,
      recurrentDropoutMask: rdm,
    }, derivativeFromOutput(this.activationName));
  }
}
tf.serialization.registerClass(SimpleRNNCell);
