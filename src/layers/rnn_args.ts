/**
 * The options SimpleRNN, LSTM and GRU share, with Keras's names and defaults:
 * their cell's (units, activation, ...) and the loop's (returnSequences, ...).
 */
import { CELL_KEYS, CellArgs } from './cell_layer';
import { LOOP_KEYS, RNNLoopArgs } from './rnn_layer';
import type { ActivityArgs } from './penalties';

/** Options shared by SimpleRNN, LSTM and GRU, with Keras's names and defaults. */
export interface RNNLayerArgs extends CellArgs, RNNLoopArgs, ActivityArgs {
  /** Legacy Keras shorthand for inputShape [inputLength, inputDim]. */
  inputDim?: number;
  inputLength?: number;
}

/** The options every recurrent layer accepts (LSTM and GRU add theirs). */
export const RNN_KEYS: readonly string[] = [...CELL_KEYS, ...LOOP_KEYS, 'activityRegularizer', 'inputDim', 'inputLength'];
