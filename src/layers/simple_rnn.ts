/**
 * SimpleRNN: the Elman recurrent layer, h_t = φ(x_t W + h_{t-1} U + b); the
 * RNN of a SimpleRNNCell. docs/equations.md#simplernn
 */
import { tf } from '../tf';
import { NS } from './base';
import { RNNLayerArgs, RecurrentLayer } from './rnn';
import { SimpleRNNCell } from './simple_rnn_cell';

/** Options of {@link SimpleRNN}: those every recurrent layer takes (units, activation, returnSequences, ...). */
export type SimpleRNNArgs = RNNLayerArgs;

/**
 * Fully-connected recurrent layer. Weights in Keras layout:
 * kernel W [D, H], recurrentKernel U [H, H], bias b [H].
 *
 * @example
 * ```ts
 * import { Sequential, Embedding, SimpleRNN } from 'tfjs-recurrent';
 * const model = new Sequential();
 * model.add(new Embedding({ inputDim: 10000, outputDim: 32 }));
 * model.add(new SimpleRNN({ units: 32 }));
 * model.summary(); // Total params: 322,080
 * ```
 */
export class SimpleRNN extends RecurrentLayer {
  static override className = NS + 'SimpleRNN';
  declare readonly cell: SimpleRNNCell;

  constructor(args: SimpleRNNArgs) {
    super(args, (cellArgs, owner) => new SimpleRNNCell(cellArgs, owner));
  }
}
tf.serialization.registerClass(SimpleRNN);
