/**
 * GRU: the gated recurrent unit, both Keras forms. docs/equations.md#gru
 */
import { tf } from '../tf';
import { GRUCell } from '../cells/gru';
import { derivativeFromOutput } from '../cells/cell';
import { ActivationFn, getActivation } from '../activations';
import { bool } from '../validate';
import { NS } from './base';
import { RNNLayerArgs, RecurrentLayer } from './rnn';

export interface GRUArgs extends RNNLayerArgs {
  /** σ, the gate activation (default 'sigmoid'). */
  recurrentActivation?: string;
  /**
   * Apply the reset gate after the recurrent product (default true, the
   * Keras 2/3 and cuDNN form, with two bias rows); false is the original GRU.
   */
  resetAfter?: boolean;
}

/**
 * Gated recurrent unit layer. Weights in Keras layout, gate order z, r, h:
 * kernel W [D, 3H], recurrentKernel U [H, 3H], bias [2, 3H] (input-side row,
 * then recurrent-side row) with `resetAfter: true`, else [3H].
 *
 * @example
 * ```ts
 * import { tf, GRU } from 'tfjs-recurrent';
 * const gru = new GRU({ units: 4 });              // resetAfter: true, as Keras
 * const h = gru.apply(tf.ones([1, 6, 3])) as tf.Tensor; // [1, 4]
 * ```
 */
export class GRU extends RecurrentLayer {
  static className = NS + 'GRU';
  protected readonly gates = 3;
  readonly stateSize = 1;
  readonly recurrentActivationName: string;
  private readonly recurrentActivationFn: ActivationFn;
  readonly resetAfter: boolean;

  constructor(args: GRUArgs) {
    super(args, ['recurrentActivation', 'resetAfter']);
    [this.recurrentActivationName, this.recurrentActivationFn] = getActivation(
      'GRU',
      'recurrentActivation',
      args.recurrentActivation,
      'sigmoid',
    );
    this.resetAfter = bool('GRU', 'resetAfter', args.resetAfter, true);
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  /** b_i: the input-side bias row with resetAfter, else the whole bias. */
  protected override inputBias(): tf.Tensor | null {
    if (!this.bias) return null;
    const b = this.bias.read();
    return this.resetAfter ? tf.squeeze(tf.slice(b, [0, 0], [1, -1]), [0]) : b;
  }

  protected hasBPTT(): boolean {
    return this.resetAfter && derivativeFromOutput(this.activationName) !== null && derivativeFromOutput(this.recurrentActivationName) !== null;
  }

  protected makeCell(rdm: tf.Tensor2D | undefined): GRUCell {
    const b = this.bias?.read();
    return new GRUCell({
      U: this.recurrentKernel!.read() as tf.Tensor2D,
      activation: this.activationFn,
      recurrentActivation: this.recurrentActivationFn,
      recurrentDropoutMask: rdm,
      resetAfter: this.resetAfter,
      recurrentBias: this.resetAfter && b ? (tf.squeeze(tf.slice(b, [1, 0], [1, -1]), [0]) as tf.Tensor1D) : undefined,
    }, derivativeFromOutput(this.activationName), derivativeFromOutput(this.recurrentActivationName),
    this.activationName === 'tanh' && this.recurrentActivationName === 'sigmoid');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName, resetAfter: this.resetAfter };
  }
}
tf.serialization.registerClass(GRU);
