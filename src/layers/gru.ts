/**
 * GRU: the gated recurrent unit, both Keras forms. docs/equations.md#gru
 */
import { tf } from '../tf';
import { GRUStep } from '../cells/gru';
import { bool } from '../validate';
import { NS } from './base';
import { GatedRNNLayerArgs, GatedRecurrentLayer } from './gated';
import type { KernelCell } from '../kernels/sequence';

/** Options of {@link GRU}: those of every gated recurrent layer, and `resetAfter`. */
export interface GRUArgs extends GatedRNNLayerArgs {
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
export class GRU extends GatedRecurrentLayer {
  static className = NS + 'GRU';
  protected readonly gates = 3;
  readonly stateSize = 1;
  readonly resetAfter: boolean;

  constructor(args: GRUArgs) {
    super(args, ['resetAfter']);
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
    return this.resetAfter && this.activationsHaveDerivatives();
  }

  protected makeCell(rdm: tf.Tensor2D | undefined): GRUStep {
    const b = this.bias?.read();
    const { params, dφ, dσ } = this.cellParts(rdm);
    return new GRUStep({
      ...params,
      resetAfter: this.resetAfter,
      recurrentBias: this.resetAfter && b ? (tf.squeeze(tf.slice(b, [1, 0], [1, -1]), [0]) as tf.Tensor1D) : undefined,
    }, dφ, dσ);
  }

  protected override kernelCell(): KernelCell {
    return { kind: this.resetAfter ? 'gruResetAfter' : 'gruResetBefore', activation: this.activationName, recurrentActivation: this.recurrentActivationName };
  }

  /** b_r, the recurrent-side bias row (resetAfter with a bias). */
  protected override recurrentBias(): tf.Tensor1D | undefined {
    const b = this.bias?.read();
    return this.resetAfter && b ? (tf.squeeze(tf.slice(b, [1, 0], [1, -1]), [0]) as tf.Tensor1D) : undefined;
  }

  /** The config Keras writes for a GRU, `resetAfter` included. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), resetAfter: this.resetAfter };
  }
}
tf.serialization.registerClass(GRU);
