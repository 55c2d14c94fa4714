/**
 * The LSTM cell (Hochreiter & Schmidhuber 1997, with a forget gate).
 * Keras layout, gate order i, f, c, o. docs/equations.md#lstm
 *
 * W: [D, 4H]  U: [H, 4H]  b: [4H]   (x_t W + b is precomputed for all t)
 */
import { tf } from '../tf';
import { concatLast, splitLast } from '../host_ops';
import { BPTTCell, Cache, CellParams, dropped } from './cell';

export type LSTMState = [h: tf.Tensor2D, c: tf.Tensor2D];

export class LSTMCell implements BPTTCell<LSTMState> {
  /** dφ, dσ: the activations' derivatives from their outputs, for the backward step. */
  constructor(
    readonly params: CellParams,
    private readonly dφ: ((y: tf.Tensor) => tf.Tensor) | null = null,
    private readonly dσ: ((y: tf.Tensor) => tf.Tensor) | null = null,
  ) {}

  step(xW: tf.Tensor2D, state: LSTMState): LSTMState {
    return this.forward(xW, state).state;
  }

  forward(xW: tf.Tensor2D, [hPrev, cPrev]: LSTMState): { state: LSTMState; cache: Cache } {
    const { U, activation: φ, recurrentActivation: σ, recurrentDropoutMask } = this.params;
    const z = tf.add(xW, tf.matMul(dropped(hPrev, recurrentDropoutMask), U)); // [B, 4H]
    const [zI, zF, zC, zO] = splitLast(z as tf.Tensor2D, 4); //             [B, H] each
    const i = σ(zI); //                              i_t = σ(x_t W_i + h_{t-1} U_i + b_i)
    const f = σ(zF); //                              f_t = σ(x_t W_f + h_{t-1} U_f + b_f)
    const cTilde = φ(zC); //                         c̃_t = φ(x_t W_c + h_{t-1} U_c + b_c)
    const o = σ(zO); //                              o_t = σ(x_t W_o + h_{t-1} U_o + b_o)
    const c = tf.add(tf.mul(f, cPrev), tf.mul(i, cTilde)) as tf.Tensor2D; // c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
    const φc = φ(c);
    const h = tf.mul(o, φc) as tf.Tensor2D; //                                h_t = o_t ⊙ φ(c_t)
    return { state: [h, c], cache: [i, f, cTilde, o, cPrev, φc] };
  }

  backward([dh, dcNext]: tf.Tensor2D[], [i, f, cTilde, o, cPrev, φc]: Cache): { dXW: tf.Tensor2D; dHU: tf.Tensor2D; dPrev: Array<tf.Tensor2D | null> } {
    const dφ = this.dφ!;
    const dσ = this.dσ!;
    const dc = tf.add(dcNext, tf.mul(tf.mul(dh, o), dφ(φc))); //   ∂c_t = ∂c_t(next) + ∂h_t ⊙ o_t ⊙ φ'(c_t)
    const dO = tf.mul(tf.mul(dh, φc), dσ(o)); //                   ∂z_o = ∂h_t ⊙ φ(c_t) ⊙ σ'
    const dI = tf.mul(tf.mul(dc, cTilde), dσ(i)); //               ∂z_i = ∂c_t ⊙ c̃_t ⊙ σ'
    const dF = tf.mul(tf.mul(dc, cPrev), dσ(f)); //                ∂z_f = ∂c_t ⊙ c_{t-1} ⊙ σ'
    const dC = tf.mul(tf.mul(dc, i), dφ(cTilde)); //               ∂z_c = ∂c_t ⊙ i_t ⊙ φ'
    const dz = concatLast([dI, dF, dC, dO] as tf.Tensor2D[]); //  ∂z_t, [B, 4H], gate order i, f, c, o
    return { dXW: dz, dHU: dz, dPrev: [null, tf.mul(dc, f) as tf.Tensor2D] }; // ∂c_{t-1} = ∂c_t ⊙ f_t
  }
}
