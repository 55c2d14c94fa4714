/**
 * What a recurrent cell is: one time step, from the precomputed input
 * projection and the previous state to the new state. The loop over time
 * (src/layers/loop.ts) is written once for every cell.
 *
 * Symbols are those of docs/equations.md: B batch, T time, D input features,
 * H units, G gate blocks (SimpleRNN 1, LSTM 4, GRU 3).
 */
import { tf } from '../tf';
import type { ActivationFn } from '../activations';

/** The state a cell carries: `[h]` for SimpleRNN and GRU, `[h, c]` for LSTM. h is always the output. */
export type State = tf.Tensor2D[];

export interface Cell<S extends State = State> {
  /**
   * One step. `xW` is `x_t W + b` for this step (hoisted out of the loop:
   * one matMul for all t), shape [B, G·H]; `state` is the state at t-1.
   * Returns the state at t; its first element is the output h_t.
   */
  step(xW: tf.Tensor2D, state: S): S;
}

/** What every cell is built from, in Keras layout. */
export interface CellParams {
  /** Recurrent kernel U, [H, G·H]. */
  U: tf.Tensor2D;
  /** Activation φ of the candidate / output (Keras `activation`, default tanh). */
  activation: ActivationFn;
  /** Gate activation σ (Keras `recurrentActivation`, default sigmoid). */
  recurrentActivation: ActivationFn;
  /**
   * Recurrent dropout mask for h_{t-1} ([B, H], entries 0 or 1/(1-rate)),
   * the same at every step (Gal & Ghahramani); only while training.
   */
  recurrentDropoutMask?: tf.Tensor2D;
}

/** h_{t-1} as it enters the recurrent product: with recurrent dropout applied, if any. */
export function dropped(hPrev: tf.Tensor2D, mask: tf.Tensor2D | undefined): tf.Tensor2D {
  return mask === undefined ? hPrev : tf.mul(hPrev, mask);
}

/** What a forward step keeps for its backward step. */
export type Cache = tf.Tensor[];

/**
 * A cell with a hand-written backward step (explicit BPTT, docs/equations.md#backward).
 * `forward` is `step` that also returns what `backward` needs. `backward`
 * takes ∂L/∂s_t (after the mask) and returns ∂L/∂(x_t W + b), ∂L/∂(h_{t-1} U)
 * (the same for SimpleRNN and LSTM; GRU differs) and the part of ∂L/∂s_{t-1}
 * that does not pass through U (null where there is none).
 */
export interface BPTTCell<S extends State = State> extends Cell<S> {
  /** The weights and masks the step uses; b_r is GRU's recurrent-side bias (resetAfter). */
  readonly params: CellParams & { recurrentBias?: tf.Tensor1D };
  forward(xW: tf.Tensor2D, state: S): { state: S; cache: Cache };
  backward(ds: tf.Tensor2D[], cache: Cache): { dXW: tf.Tensor2D; dHU: tf.Tensor2D; dPrev: Array<tf.Tensor2D | null> };
}

