/**
 * GRU: the gated recurrent unit, both Keras forms; the RNN of a GRUCell. docs/equations.md#gru
 */
import { tf } from '../tf';
import { NS } from './base';
import { GatedRNNLayerArgs, GatedRecurrentLayer } from './gated';
import { GRUCell, GRUCellArgs } from './gru_cell';

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
  static override className = NS + 'GRU';
  declare readonly cell: GRUCell;

  constructor(args: GRUArgs) {
    super(args, (cellArgs, owner) => new GRUCell(cellArgs as GRUCellArgs, owner), ['resetAfter']);
  }

  /** Whether the reset gate applies after the recurrent product. */
  get resetAfter(): boolean {
    return this.cell.resetAfter;
  }
}
tf.serialization.registerClass(GRU);
