/**
 * LSTMCell: one step of long short-term memory. docs/equations.md#lstm
 */
import { tf } from '../tf';
import { LSTMStep } from '../cells/lstm';
import type { KernelCell } from '../kernels/sequence';
import { bool } from '../validate';
import { NS } from './base';
import { GatedCell, GatedCellArgs } from './gated_cell';

/** Options of {@link LSTMCell}: those of every gated cell, and `unitForgetBias`. */
export interface LSTMCellArgs extends GatedCellArgs {
  /** Start the forget-gate bias b_f at 1 (Jozefowicz et al. 2015); default true, as in Keras. */
  unitForgetBias?: boolean;
}

/**
 * One step of an LSTM, as Keras's `LSTMCell`. Weights in Keras layout, gate
 * order i, f, c, o: kernel W [D, 4H], recurrentKernel U [H, 4H], bias b [4H];
 * two states, h and c. `new RNN({ cell: new LSTMCell({ units }) })` computes
 * what `LSTM({ units })` does, in the same kernels.
 *
 * @example
 * ```ts
 * import { tf, RNN, LSTMCell } from 'tfjs-recurrent';
 * const cell = new LSTMCell({ units: 4 });
 * const [y, [h, c]] = cell.call(tf.ones([2, 3]), cell.getInitialState(2)); // one step, each [2, 4]
 * const rnn = new RNN({ cell: new LSTMCell({ units: 8 }), returnState: true });
 * const [out, hT, cT] = rnn.apply(tf.ones([2, 5, 3])) as tf.Tensor[]; // [2, 8] each
 * ```
 */
export class LSTMCell extends GatedCell {
  static className = NS + 'LSTMCell';
  readonly gates = 4;
  /** [H, H]: the states h and c. */
  readonly stateSize: [number, number];
  readonly unitForgetBias: boolean;

  constructor(args: LSTMCellArgs, owner?: string) {
    super(args, ['unitForgetBias'], owner);
    this.unitForgetBias = bool(this.owner, 'unitForgetBias', args.unitForgetBias, true);
    this.stateSize = [this.units, this.units];
  }

  /** With unitForgetBias, b = [b_i, b_f, b_c, b_o] starts as [init, 1, init, init] (Keras does the same). */
  protected override initialBias(shape: number[]): tf.Tensor {
    if (!this.unitForgetBias) return super.initialBias(shape);
    const H = this.units;
    return tf.tidy(() => tf.concat([this.biasInit.make([H]), tf.ones([H]), this.biasInit.make([2 * H])]));
  }

  hasBPTT(): boolean {
    return this.activationsHaveDerivatives();
  }

  makeStep(rdm: tf.Tensor2D | undefined): LSTMStep {
    const { params, dφ, dσ } = this.stepParts(rdm);
    return new LSTMStep(params, dφ, dσ);
  }

  kernelCell(): KernelCell {
    return { kind: 'lstm', activation: this.activationName, recurrentActivation: this.recurrentActivationName };
  }

  /** The config Keras writes for an LSTMCell, `unitForgetBias` included. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), unitForgetBias: this.unitForgetBias };
  }
}
tf.serialization.registerClass(LSTMCell);
