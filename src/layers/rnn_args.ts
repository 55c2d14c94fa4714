/**
 * The options SimpleRNN, LSTM and GRU share, with Keras's names and defaults.
 */
import type { InitializerSpec } from '../initializers';
import type { LayerArgs } from './base';

/** Options shared by SimpleRNN, LSTM and GRU, with Keras's names and defaults. */
export interface RNNLayerArgs extends LayerArgs {
  /** H, the size of the state and of the output. */
  units: number;
  /** φ, applied to the candidate and the output (default 'tanh'). */
  activation?: string;
  useBias?: boolean;
  kernelInitializer?: InitializerSpec;
  recurrentInitializer?: InitializerSpec;
  biasInitializer?: InitializerSpec;
  /** Fraction of the inputs x_t dropped while training, one mask for all steps. */
  dropout?: number;
  /** Fraction of h_{t-1} dropped in the recurrent product while training, one mask for all steps. */
  recurrentDropout?: number;
  /** Return the output at every step [B, T, H] rather than the last [B, H]. */
  returnSequences?: boolean;
  /** Also return the final state: [output, h] or, for LSTM, [output, h, c]. */
  returnState?: boolean;
  /** Process the sequence from the last step to the first; the output sequence comes in that order. */
  goBackwards?: boolean;
  /** Carry the final state of each batch into the next call (needs a fixed batch size). */
  stateful?: boolean;
  /** At masked steps output zeros instead of the previous output (Keras sets it inside Bidirectional). */
  zeroOutputForMask?: boolean;
  /** Seed of the dropout masks: call k draws with seed + k, so training is repeatable. */
  seed?: number;
  /** Legacy Keras shorthand for inputShape [inputLength, inputDim]. */
  inputDim?: number;
  inputLength?: number;
}

/** The options every recurrent layer accepts (LSTM and GRU add theirs). */
export const RNN_KEYS = [
  'units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'dropout',
  'recurrentDropout', 'returnSequences', 'returnState', 'goBackwards', 'stateful', 'zeroOutputForMask', 'seed',
  'inputDim', 'inputLength',
];
