/**
 * LSTM: long short-term memory, the RNN of an LSTMCell. docs/equations.md#lstm
 */
import { tf } from '../tf';
import { NS } from './base';
import { GatedRNNLayerArgs, GatedRecurrentLayer } from './gated';
import { LSTMCell, LSTMCellArgs } from './lstm_cell';

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
  static override className = NS + 'LSTM';
  declare readonly cell: LSTMCell;

  constructor(args: LSTMArgs) {
    super(args, (cellArgs, owner) => new LSTMCell(cellArgs as LSTMCellArgs, owner), ['unitForgetBias']);
  }

  /** Whether the forget-gate bias starts at 1. */
  get unitForgetBias(): boolean {
    return this.cell.unitForgetBias;
  }
}
tf.serialization.registerClass(LSTM);
