/**
 * The GRU cell (Cho et al. 2014), Keras layout, gate order z, r, h.
 * docs/equations.md#gru
 *
 * W: [D, 3H]  U: [H, 3H]
 * resetAfter = true (Keras 2/3 default, cuDNN-compatible): b: [2, 3H], the
 *   input-side row b_i is in the precomputed x_t W + b_i, the recurrent-side
 *   row b_r is `recurrentBias` here; the reset gate applies after U_h.
 * resetAfter = false (the original GRU): b: [3H], all in x_t W + b; the reset
 *   gate applies to h_{t-1} before U_h.
 */
import { tf } from '../tf';
import { concatLast, splitLast } from '../host_ops';
import { BPTTCell, Cache, CellParams, dropped } from './cell';

export type GRUState = [h: tf.Tensor2D];

export interface GRUParams extends CellParams {
  resetAfter: boolean;
  /** b_r, [3H]: the recurrent-side bias row (resetAfter only; undefined when useBias is false). */
  recurrentBias?: tf.Tensor1D;
}

export class GRUCell implements BPTTCell<GRUState> {
  private readonly Uzr: tf.Tensor2D; // [H, 2H]  (resetAfter = false)
  private readonly Uh: tf.Tensor2D; //  [H, H]   (resetAfter = false)

  /** dφ, dσ: the activations' derivatives from their outputs; the backward step exists for resetAfter only. */
  constructor(
    readonly params: GRUParams,
    private readonly dφ: ((y: tf.Tensor) => tf.Tensor) | null = null,
    private readonly dσ: ((y: tf.Tensor) => tf.Tensor) | null = null,
  ) {
    const H = params.U.shape[0];
    [this.Uzr, this.Uh] = params.resetAfter ? [params.U, params.U] : (tf.split(params.U, [2 * H, H], 1) as tf.Tensor2D[]);
  }

  step(xW: tf.Tensor2D, state: GRUState): GRUState {
    if (this.params.resetAfter) return this.forward(xW, state).state;
    const [hPrev] = state;
    const { activation: φ, recurrentActivation: σ, recurrentDropoutMask } = this.params;
    const [xZ, xR, xH] = splitLast(xW, 3); //                       x_t W_· + b_·, [B, H] each
    const hIn = dropped(hPrev, recurrentDropoutMask);
    const [hZ, hR] = splitLast(tf.matMul(hIn, this.Uzr), 2); // [B, H] each
    const z = σ(tf.add(xZ, hZ)); //         z_t = σ(x_t W_z + h_{t-1} U_z + b_z)
    const r = σ(tf.add(xR, hR)); //         r_t = σ(x_t W_r + h_{t-1} U_r + b_r)
    const hTilde = φ(tf.add(xH, tf.matMul(tf.mul(r, hIn), this.Uh))); // h̃_t = φ(x_t W_h + (r_t ⊙ h_{t-1}) U_h + b_h)
    const h = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hTilde)) as tf.Tensor2D; // h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t
    return [h];
  }

  /** With resetAfter (the form with a hand-written backward): the step, keeping z, r, h̃, h_{t-1} U_h + b_rh and h_{t-1}. */
  forward(xW: tf.Tensor2D, [hPrev]: GRUState): { state: GRUState; cache: Cache } {
    const { activation: φ, recurrentActivation: σ, recurrentDropoutMask } = this.params;
    const [xZ, xR, xH] = splitLast(xW, 3);
    let hU: tf.Tensor = tf.matMul(dropped(hPrev, recurrentDropoutMask), this.params.U); // [B, 3H]
    if (this.params.recurrentBias) hU = tf.add(hU, this.params.recurrentBias);
    const [hZ, hR, hH] = splitLast(hU as tf.Tensor2D, 3);
    const z = σ(tf.add(xZ, hZ)); //                  z_t = σ(x_t W_z + b_iz + h_{t-1} U_z + b_rz)
    const r = σ(tf.add(xR, hR)); //                  r_t = σ(x_t W_r + b_ir + h_{t-1} U_r + b_rr)
    const hTilde = φ(tf.add(xH, tf.mul(r, hH))); //  h̃_t = φ(x_t W_h + b_ih + r_t ⊙ (h_{t-1} U_h + b_rh))
    const h = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hTilde)) as tf.Tensor2D; // h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t
    return { state: [h], cache: [z, r, hTilde, hH, hPrev] };
  }

  backward([dh]: tf.Tensor2D[], [z, r, hTilde, hH, hPrev]: Cache): { dXW: tf.Tensor2D; dHU: tf.Tensor2D; dPrev: Array<tf.Tensor2D | null> } {
    const dZ = tf.mul(tf.mul(dh, tf.sub(hPrev, hTilde)), this.dσ!(z)); //       ∂z_z = ∂h_t ⊙ (h_{t-1} − h̃_t) ⊙ σ'
    const dHt = tf.mul(tf.mul(dh, tf.sub(1, z)), this.dφ!(hTilde)); //         ∂(h̃ pre) = ∂h_t ⊙ (1 − z_t) ⊙ φ'
    const dR = tf.mul(tf.mul(dHt, hH), this.dσ!(r)); //                        ∂z_r = ∂(h̃ pre) ⊙ (h_{t-1} U_h + b_rh) ⊙ σ'
    const dXW = concatLast([dZ, dR, dHt] as tf.Tensor2D[]); //                  ∂(x_t W + b_i), gate order z, r, h
    const dHU = concatLast([dZ, dR, tf.mul(dHt, r)] as tf.Tensor2D[]); //       ∂(h_{t-1} U + b_r): the h block is gated by r_t
    return { dXW, dHU, dPrev: [tf.mul(dh, z) as tf.Tensor2D] }; //                ∂h_{t-1} (direct) = ∂h_t ⊙ z_t
  }
}
