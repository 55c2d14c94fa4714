/**
 * The LSTM cell (Hochreiter & Schmidhuber 1997, with a forget gate).
 * Keras layout, gate order i, f, c, o. docs/equations.md#lstm
 *
 * W: [D, 4H]  U: [H, 4H]  b: [4H]   (x_t W + b is precomputed for all t)
 */
import { tf } from '../tf';
import { Cell, CellParams, dropped } from './cell';

export type LSTMState = [h: tf.Tensor2D, c: tf.Tensor2D];

export class LSTMCell implements Cell<LSTMState> {
  constructor(private readonly p: CellParams) {}

  step(xW: tf.Tensor2D, [hPrev, cPrev]: LSTMState): LSTMState {
    const { U, activation: φ, recurrentActivation: σ, recurrentDropoutMask } = this.p;
    const z = tf.add(xW, tf.matMul(dropped(hPrev, recurrentDropoutMask), U)); // [B, 4H]
    const [zI, zF, zC, zO] = tf.split(z, 4, 1) as tf.Tensor2D[]; //             [B, H] each
    const i = σ(zI); //                              i_t = σ(x_t W_i + h_{t-1} U_i + b_i)
    const f = σ(zF); //                              f_t = σ(x_t W_f + h_{t-1} U_f + b_f)
    const cTilde = φ(zC); //                         c̃_t = φ(x_t W_c + h_{t-1} U_c + b_c)
    const o = σ(zO); //                              o_t = σ(x_t W_o + h_{t-1} U_o + b_o)
    const c = tf.add(tf.mul(f, cPrev), tf.mul(i, cTilde)) as tf.Tensor2D; // c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
    const h = tf.mul(o, φ(c)) as tf.Tensor2D; //                             h_t = o_t ⊙ φ(c_t)
    return [h, c];
  }
}
