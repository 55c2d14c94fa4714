/**
 * LSTM: long short-term memory. docs/equations.md#lstm
 */
import { tf } from '../tf';
import { LSTMStep } from '../cells/lstm';
import { bool } from '../validate';
import { NS } from './base';
import { GatedRNNLayerArgs, GatedRecurrentLayer } from './gated';
import type { KernelCell } from '../kernels/sequence';

/** Options of {@link LSTM}: those of every gated recurrent layer, and `unitForgetBias`. */
export interface LSTMArgs extends GatedRNNLayerArgs {
  /** Start the forget-gate bias b_f at 1 (Jozefowicz et al. 2015); default true, as in Keras. */
  unitForgetBias?: boolean;
}

/**
 * Long short-term memory layer. Weights in Keras layout, gate order i, f, c, o:
 * kernel W [D, 4H], recurrentKernel U [H, 4H], bias b [4H]. With
 * `returnState` it returns `[output, h, c]`.
 *
 * @example
 * ```ts
 * import { tf, LSTM } from 'tfjs-recurrent';
 * const lstm = new LSTM({ units: 8, returnSequences: true, returnState: true });
 * const [seq, h, c] = lstm.apply(tf.randomNormal([2, 5, 3])) as tf.Tensor[];
 * // seq: [2, 5, 8]  h: [2, 8]  c: [2, 8]
 * ```
 */
export class LSTM extends GatedRecurrentLayer {
  static className = NS + 'LSTM';
  protected readonly gates = 4;
  readonly stateSize = 2;
  readonly unitForgetBias: boolean;

  constructor(args: LSTMArgs) {
    super(args, ['unitForgetBias']);
    this.unitForgetBias = bool('LSTM', 'unitForgetBias', args.unitForgetBias, true);
  }

  /** With unitForgetBias, b = [b_i, b_f, b_c, b_o] starts as [init, 1, init, init] (Keras does the same). */
  protected override initialBias(shape: number[]): tf.Tensor {
    if (!this.unitForgetBias) return super.initialBias(shape);
    const H = this.units;
    return tf.tidy(() => tf.concat([this.biasInit.make([H]), tf.ones([H]), this.biasInit.make([2 * H])]));
  }

  protected hasBPTT(): boolean {
    return this.activationsHaveDerivatives();
  }

  protected makeCell(rdm: tf.Tensor2D | undefined): LSTMStep {
    const { params, dφ, dσ } = this.cellParts(rdm);
    return new LSTMStep(params, dφ, dσ);
  }

  protected override kernelCell(): KernelCell {
    return { kind: 'lstm', activation: this.activationName, recurrentActivation: this.recurrentActivationName };
  }

  /** The config Keras writes for an LSTM, `unitForgetBias` included. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), unitForgetBias: this.unitForgetBias };
  }
}
tf.serialization.registerClass(LSTM);
