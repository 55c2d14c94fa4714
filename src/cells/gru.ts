/**
 * The GRU cell (Cho et al. 2014), Keras layout, gate order z, r, h.
 * docs/equations.md#gru
 *
 * W: [D, 3H]  U: [H, 3H]
 * resetAfter = true (Keras 2/3 default, cuDNN-compatible): b: [2, 3H], the
 *   input-side row b_i is in the precomputed x_t W + b_i, the recurrent-side
 *   row b_r is `recurrentBias` here; the reset gate applies after U_h.
 * resetAfter = false (the original GRU): b: [3H], all in x_t W + b; the reset
 *   gate applies to h_{t-1} before U_h. This form has no backward step here.
 */
import { tf } from '../tf';
import { BPTTCell, Cache, CellParams, dropped } from './cell';
import type { Derivative } from '../activations';

export type GRUState = [h: tf.Tensor2D];

export interface GRUParams extends CellParams {
  resetAfter: boolean;
  /** b_r, [3H]: the recurrent-side bias row (resetAfter only; undefined when useBias is false). */
  recurrentBias?: tf.Tensor1D;
}

export class GRUStep implements BPTTCell<GRUState> {
  /** resetAfter = false: U = [U_z U_r | U_h], split once, since r_t applies to h_{t-1} before U_h. */
  private readonly Uzr?: tf.Tensor2D; // [H, 2H]
  private readonly Uh?: tf.Tensor2D; //  [H, H]

  /** dφ, dσ: φ' and σ' from the activations' outputs, for the backward step (resetAfter only; null: none). */
  constructor(
    readonly params: GRUParams,
    private readonly dφ: Derivative | null = null,
    private readonly dσ: Derivative | null = null,
  ) {
    if (!params.resetAfter) {
      const H = params.U.shape[0];
      [this.Uzr, this.Uh] = tf.split(params.U, [2 * H, H], 1) as tf.Tensor2D[];
    }
  }

  step(xW: tf.Tensor2D, state: GRUState): GRUState {
    return this.params.resetAfter ? this.forward(xW, state).state : this.stepResetBefore(xW, state);
  }

  /** resetAfter = false: the original GRU. */
  private stepResetBefore(xW: tf.Tensor2D /* x_t W + b */, [hPrev]: GRUState): GRUState {
    const { activation: φ, recurrentActivation: σ, recurrentDropoutMask } = this.params;
    const [xZ, xR, xH] = tf.split(xW, 3, 1); //                          x_t W_· + b_·   [B, H] each
    const hIn = dropped(hPrev, recurrentDropoutMask);
    const [hZ, hR] = tf.split(tf.matMul(hIn, this.Uzr!), 2, 1); //       h_{t-1} U_z, h_{t-1} U_r   [B, H] each
    const z = σ(tf.add(xZ, hZ)); //                                      z_t = σ(x_t W_z + h_{t-1} U_z + b_z)
    const r = σ(tf.add(xR, hR)); //                                      r_t = σ(x_t W_r + h_{t-1} U_r + b_r)
    const hTilde = φ(tf.add(xH, tf.matMul(tf.mul(r, hIn) as tf.Tensor2D, this.Uh!))); // h̃_t = φ(x_t W_h + (r_t ⊙ h_{t-1}) U_h + b_h)
    const h = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hTilde)) as tf.Tensor2D; // h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t
    return [h];
  }

  /** resetAfter: the step, keeping z_t, r_t, h̃_t, a_t = h_{t-1} U_h + b_rh and h_{t-1} for the backward step. */
  forward(xW: tf.Tensor2D /* x_t W + b_i */, [hPrev]: GRUState): { state: GRUState; cache: Cache } {
    const { U, recurrentBias: bR, activation: φ, recurrentActivation: σ, recurrentDropoutMask } = this.params;
    const [xZ, xR, xH] = tf.split(xW, 3, 1); //                          x_t W_· + b_i·   [B, H] each
    let hU = tf.matMul(dropped(hPrev, recurrentDropoutMask), U); //      h_{t-1} U   [B, 3H]
    if (bR) hU = tf.add(hU, bR); //                                      h_{t-1} U + b_r
    const [hZ, hR, a] = tf.split(hU, 3, 1); //                           a_t = h_{t-1} U_h + b_rh   [B, H]
    const z = σ(tf.add(xZ, hZ)); //                                      z_t = σ(x_t W_z + b_iz + h_{t-1} U_z + b_rz)
    const r = σ(tf.add(xR, hR)); //                                      r_t = σ(x_t W_r + b_ir + h_{t-1} U_r + b_rr)
    const hTilde = φ(tf.add(xH, tf.mul(r, a))); //                       h̃_t = φ(x_t W_h + b_ih + r_t ⊙ a_t)
    const h = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hTilde)) as tf.Tensor2D; // h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t
    return { state: [h], cache: [z, r, hTilde, a, hPrev] };
  }

  /**
   * resetAfter: from ∂h_t, the gradients of the two products, ∂(x_t W + b_i) and ∂(h_{t-1} U + b_r),
   * and the part of ∂h_{t-1} that does not pass through U. docs/equations.md#backward
   */
  backward([dh]: tf.Tensor2D[], [z, r, hTilde, a, hPrev]: Cache): { dXW: tf.Tensor2D; dHU: tf.Tensor2D; dPrev: Array<tf.Tensor2D | null> } {
    const [dφ, dσ] = [this.dφ!, this.dσ!];
    const dzZ = tf.mul(tf.mul(dh, tf.sub(hPrev, hTilde)), dσ(z)); //     ∂z_z = ∂h_t ⊙ (h_{t-1} − h̃_t) ⊙ σ'(z_t)
    const dzH = tf.mul(tf.mul(dh, tf.sub(1, z)), dφ(hTilde)); //         ∂z_h = ∂h_t ⊙ (1 − z_t) ⊙ φ'(h̃_t)
    const dzR = tf.mul(tf.mul(dzH, a), dσ(r)); //                        ∂z_r = ∂z_h ⊙ a_t ⊙ σ'(r_t)
    const dXW = tf.concat([dzZ, dzR, dzH], 1) as tf.Tensor2D; //         ∂(x_t W + b_i) = [∂z_z, ∂z_r, ∂z_h]   [B, 3H]
    const dHU = tf.concat([dzZ, dzR, tf.mul(dzH, r)], 1) as tf.Tensor2D; // ∂(h_{t-1} U + b_r) = [∂z_z, ∂z_r, ∂z_h ⊙ r_t]   [B, 3H]
    const dhPrev = tf.mul(dh, z) as tf.Tensor2D; //                      ∂h_{t-1} (direct) = ∂h_t ⊙ z_t
    return { dXW, dHU, dPrev: [dhPrev] };
  }
}
