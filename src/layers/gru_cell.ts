/**
 * GRUCell: one step of the gated recurrent unit, both Keras forms. docs/equations.md#gru
 */
import { tf } from '../tf';
import { GRUStep } from '../cells/gru';
import type { KernelCell } from '../kernels/sequence';
import { bool } from '../validate';
import { NS } from './base';
import { GatedCell, GatedCellArgs } from './gated_cell';

/** Options of {@link GRUCell}: those of every gated cell, and `resetAfter`. */
export interface GRUCellArgs extends GatedCellArgs {
  /**
   * Apply the reset gate after the recurrent product (default true, the
   * Keras 2/3 and cuDNN form, with two bias rows); false is the original GRU.
   */
  resetAfter?: boolean;
}

/**
 * One step of a GRU, as Keras's `GRUCell`. Weights in Keras layout, gate order
 * z, r, h: kernel W [D, 3H], recurrentKernel U [H, 3H], bias [2, 3H]
 * (input-side row, then recurrent-side row) with `resetAfter: true`, else
 * [3H]; one state h.
 *
 * @example
 * ```ts
 * import { tf, RNN, GRUCell } from 'tfjs-recurrent';
 * const cell = new GRUCell({ units: 4 }); // resetAfter: true, as Keras
 * const [y, [h]] = cell.call(tf.ones([2, 3]), [tf.zeros([2, 4])]); // y = h, [2, 4]
 * const rnn = new RNN({ cell: new GRUCell({ units: 4 }), goBackwards: true });
 * const last = rnn.apply(tf.ones([2, 6, 3])) as tf.Tensor; // [2, 4]
 * ```
 */
export class GRUCell extends GatedCell {
  static className = NS + 'GRUCell';
  readonly gates = 3;
  /** H: one state, h. */
  readonly stateSize: number;
  readonly resetAfter: boolean;

  constructor(args: GRUCellArgs, owner?: string) {
    super(args, ['resetAfter'], owner);
    this.resetAfter = bool(this.owner, 'resetAfter', args.resetAfter, true);
    this.stateSize = this.units;
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  /** b_i: the input-side bias row with resetAfter, else the whole bias. */
  override inputBias(): tf.Tensor | null {
    if (!this.bias) return null;
    const b = this.bias.read();
    return this.resetAfter ? tf.squeeze(tf.slice(b, [0, 0], [1, -1]), [0]) : b;
  }

  /** b_r, the recurrent-side bias row (resetAfter with a bias). */
  override recurrentBias(): tf.Tensor1D | undefined {
    const b = this.bias?.read();
    return this.resetAfter && b ? (tf.squeeze(tf.slice(b, [1, 0], [1, -1]), [0]) as tf.Tensor1D) : undefined;
  }

  hasBPTT(): boolean {
    return this.resetAfter && this.activationsHaveDerivatives();
  }

  makeStep(rdm: tf.Tensor2D | undefined): GRUStep {
    const { params, dφ, dσ } = this.stepParts(rdm);
    return new GRUStep({ ...params, resetAfter: this.resetAfter, recurrentBias: this.recurrentBias() }, dφ, dσ);
  }

  kernelCell(): KernelCell {
    return { kind: this.resetAfter ? 'gruResetAfter' : 'gruResetBefore', activation: this.activationName, recurrentActivation: this.recurrentActivationName };
  }

  /** The config Keras writes for a GRUCell, `resetAfter` included. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), resetAfter: this.resetAfter };
  }
}
tf.serialization.registerClass(GRUCell);
