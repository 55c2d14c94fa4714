/**
 * The LSTM cell (Hochreiter & Schmidhuber 1997, with a forget gate).
 * Keras layout, gate order i, f, c, o. docs/equations.md#lstm
 *
 * W: [D, 4H]  U: [H, 4H]  b: [4H]   (x_t W + b is precomputed for all t)
 */
import { tf } from '../tf';
import { BPTTCell, Cache, CellParams, dropped } from './cell';
import type { Derivative } from '../activations';

export type LSTMState = [h: tf.Tensor2D, c: tf.Tensor2D];

export class LSTMStep implements BPTTCell<LSTMState> {
  /** dφ, dσ: φ' and σ' from the activations' outputs, for the backward step (null: no backward step). */
  constructor(
    readonly params: CellParams,
    private readonly dφ: Derivative | null = null,
    private readonly dσ: Derivative | null = null,
  ) {}

  step(xW: tf.Tensor2D, state: LSTMState): LSTMState {
    return this.forward(xW, state).state;
  }

  /** The step, keeping i_t, f_t, c̃_t, o_t, c_{t-1} and φ(c_t) for the backward step. */
  forward(xW: tf.Tensor2D /* x_t W + b */, [hPrev, cPrev]: LSTMState): { state: LSTMState; cache: Cache } {
    const { U, activation: φ, recurrentActivation: σ, recurrentDropoutMask } = this.params;
    const z = tf.add(xW, tf.matMul(dropped(hPrev, recurrentDropoutMask), U)); // z_t = x_t W + h_{t-1} U + b   [B, 4H]
    const [zI, zF, zC, zO] = tf.split(z, 4, 1); //                              [B, H] each
    const i = σ(zI); //                                      i_t = σ(x_t W_i + h_{t-1} U_i + b_i)
    const f = σ(zF); //                                      f_t = σ(x_t W_f + h_{t-1} U_f + b_f)
    const cTilde = φ(zC); //                                 c̃_t = φ(x_t W_c + h_{t-1} U_c + b_c)
    const o = σ(zO); //                                      o_t = σ(x_t W_o + h_{t-1} U_o + b_o)
    const c = tf.add(tf.mul(f, cPrev), tf.mul(i, cTilde)) as tf.Tensor2D; // c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t   [B, H]
    const φc = φ(c); //                                      φ(c_t)
    const h = tf.mul(o, φc) as tf.Tensor2D; //               h_t = o_t ⊙ φ(c_t)   [B, H]
    return { state: [h, c], cache: [i, f, cTilde, o, cPrev, φc] };
  }

  /**
   * From ∂h_t and ∂c_t (what flows back from t+1 and from y_t), ∂z_t (= ∂(x_t W + b) = ∂(h_{t-1} U))
   * and ∂c_{t-1}; σ', φ' from the activations' outputs. docs/equations.md#backward
   */
  backward([dh, dcNext]: tf.Tensor2D[], [i, f, cTilde, o, cPrev, φc]: Cache): { dXW: tf.Tensor2D; dHU: tf.Tensor2D; dPrev: Array<tf.Tensor2D | null> } {
    const [dφ, dσ] = [this.dφ!, this.dσ!];
    const dc = tf.add(dcNext, tf.mul(tf.mul(dh, o), dφ(φc))); // ∂c_t ← ∂c_t + ∂h_t ⊙ o_t ⊙ φ'(c_t)   [B, H]
    const dzI = tf.mul(tf.mul(dc, cTilde), dσ(i)); //              ∂z_i = ∂c_t ⊙ c̃_t ⊙ σ'(i_t)
    const dzF = tf.mul(tf.mul(dc, cPrev), dσ(f)); //               ∂z_f = ∂c_t ⊙ c_{t-1} ⊙ σ'(f_t)
    const dzC = tf.mul(tf.mul(dc, i), dφ(cTilde)); //              ∂z_c = ∂c_t ⊙ i_t ⊙ φ'(c̃_t)
    const dzO = tf.mul(tf.mul(dh, φc), dσ(o)); //                  ∂z_o = ∂h_t ⊙ φ(c_t) ⊙ σ'(o_t)
    const dz = tf.concat([dzI, dzF, dzC, dzO], 1) as tf.Tensor2D; // ∂z_t   [B, 4H]
    const dcPrev = tf.mul(dc, f) as tf.Tensor2D; //                 ∂c_{t-1} = ∂c_t ⊙ f_t
    return { dXW: dz, dHU: dz, dPrev: [null, dcPrev] };
  }
}
