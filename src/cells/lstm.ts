/**
 * The LSTM cell (Hochreiter & Schmidhuber 1997, with a forget gate).
 * Keras layout, gate order i, f, c, o. docs/equations.md#lstm
 *
 * W: [D, 4H]  U: [H, 4H]  b: [4H]   (x_t W + b is precomputed for all t)
 */
import { tf } from '../tf';
import { concatLast, splitLast } from '../host_ops';
import { BPTTCell, Cache, CellParams, dropped, gateConstants } from './cell';

export type LSTMState = [h: tf.Tensor2D, c: tf.Tensor2D];

/**
 * The fused form, for Keras's default σ = sigmoid and φ = tanh: the four gate
 * activations are one sigmoid over [B, 4H], since tanh(z) = 2σ(2z) − 1. With
 * k = [1, 1, 2, 1] per gate block, s_t = σ(k ⊙ z_t) and
 *
 *   i_t = s_i   f_t = s_f   c̃_t = 2 s_c − 1   o_t = s_o.
 *
 * k ⊙ z_t = k ⊙ (x_t W + b) + h_{t-1} (U ⊙ k): the scaling is made once per
 * sequence, on X W + b (`prepare`) and on U, not at every step.
 */
interface Fused {
  /** k, [4H]. */
  k: tf.Tensor1D;
  /** U ⊙ k (columns scaled), [H, 4H]. */
  Uk: tf.Tensor2D;
}

export class LSTMCell implements BPTTCell<LSTMState> {
  private readonly fusedK: Fused | null;
  /** k² per gate column in the fused form (see `backward`); undefined otherwise. */
  readonly gateScale?: tf.Tensor1D;

  /** dφ, dσ: the activations' derivatives from their outputs, for the backward step. */
  constructor(
    readonly params: CellParams,
    private readonly dφ: ((y: tf.Tensor) => tf.Tensor) | null = null,
    private readonly dσ: ((y: tf.Tensor) => tf.Tensor) | null = null,
    /** σ, φ are Keras's default sigmoid, tanh: use the fused form above. */
    fused = false,
  ) {
    if (!fused) {
      this.fusedK = null;
      return;
    }
    const { k, Uk, k2 } = gateConstants(params.U, [1, 1, 2, 1]); // k = [1, 1, 2, 1] per block (i, f, c, o)
    this.fusedK = { k, Uk };
    this.gateScale = k2;
  }

  /** Fused: k ⊙ (X W + b) for all t at once. */
  prepare(xW: tf.Tensor3D): tf.Tensor3D {
    return this.fusedK ? (tf.mul(xW, this.fusedK.k) as tf.Tensor3D) : xW;
  }

  step(xW: tf.Tensor2D, state: LSTMState): LSTMState {
    return this.run(xW, state).state;
  }

  /** The step and its gate values: [i, f, c̃, o], s (fused only), c_t, φ(c_t). */
  private run(xW: tf.Tensor2D, [hPrev, cPrev]: LSTMState) {
    const { U, activation: φ, recurrentActivation: σ, recurrentDropoutMask } = this.params;
    const hIn = dropped(hPrev, recurrentDropoutMask);
    let gates: tf.Tensor2D[];
    let s: tf.Tensor2D | null = null;
    if (this.fusedK) {
      s = tf.sigmoid(tf.add(xW, tf.matMul(hIn, this.fusedK.Uk))) as tf.Tensor2D; // s_t = σ(k ⊙ z_t) = σ(k ⊙ (x_t W + b) + h_{t-1} (U ⊙ k))   [B, 4H]
      const [i, f, sC, o] = splitLast(s, 4);
      gates = [i, f, tf.sub(tf.add(sC, sC), 1) as tf.Tensor2D, o]; //            i_t = s_i, f_t = s_f, c̃_t = 2 s_c − 1 = φ(z_c), o_t = s_o
    } else {
      const z = tf.add(xW, tf.matMul(hIn, U)) as tf.Tensor2D; //                 z_t = x_t W + h_{t-1} U + b   [B, 4H]
      const [zI, zF, zC, zO] = splitLast(z, 4);
      gates = [σ(zI), σ(zF), φ(zC), σ(zO)] as tf.Tensor2D[]; //                   i_t = σ(z_i), f_t = σ(z_f), c̃_t = φ(z_c), o_t = σ(z_o)
    }
    const [i, f, cTilde, o] = gates;
    const c = tf.add(tf.mul(f, cPrev), tf.mul(i, cTilde)) as tf.Tensor2D; //      c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
    const φc = φ(c);
    const h = tf.mul(o, φc) as tf.Tensor2D; //                                     h_t = o_t ⊙ φ(c_t)
    return { state: [h, c] as LSTMState, gates, s, φc };
  }

  /**
   * The step, keeping for the backward step what it needs (docs/equations.md#backward):
   *   fused:  Q = [c̃_t, c_{t-1}, i_t, φ(c_t)] ⊙ s_t ⊙ (1 − s_t)   [B, 4H],
   *           R = o_t ⊙ φ'(c_t), and f_t;
   *   else:   i_t, f_t, c̃_t, o_t, c_{t-1}, φ(c_t).
   */
  forward(xW: tf.Tensor2D, state: LSTMState): { state: LSTMState; cache: Cache } {
    const { state: next, gates: [i, f, cTilde, o], s, φc } = this.run(xW, state);
    const cPrev = state[1];
    if (!s) return { state: next, cache: [i, f, cTilde, o, cPrev, φc] };
    const P = concatLast([cTilde, cPrev, i, φc as tf.Tensor2D]); //               [c̃_t, c_{t-1}, i_t, φ(c_t)]   [B, 4H]
    const Q = tf.mul(P, tf.sub(s, tf.square(s))); //                              P ⊙ s_t ⊙ (1 − s_t)
    const R = tf.mul(o, this.dφ!(φc)); //                                         o_t ⊙ φ'(c_t)
    return { state: next, cache: [Q, R, f] };
  }

  /**
   * ∂c_t = ∂c_t(next) + ∂h_t ⊙ o_t ⊙ φ'(c_t), then per gate block
   * ∂a_t = [∂c_t ⊙ c̃_t, ∂c_t ⊙ c_{t-1}, ∂c_t ⊙ i_t, ∂h_t ⊙ φ(c_t)] and ∂z_t = ∂a_t ⊙ a'(z_t).
   * Fused, a'(z_t) = k² ⊙ s_t ⊙ (1 − s_t): this returns g_t = ∂z_t / k², that is
   * [∂c_t, ∂c_t, ∂c_t, ∂h_t] ⊙ Q, and the loop applies k² (`gateScale`) once.
   */
  backward([dh, dcNext]: tf.Tensor2D[], cache: Cache): { dXW: tf.Tensor2D; dHU: tf.Tensor2D; dPrev: Array<tf.Tensor2D | null> } {
    if (this.fusedK) {
      const [Q, R, f] = cache;
      const dc = tf.add(dcNext, tf.mul(dh, R)) as tf.Tensor2D; //                 ∂c_t = ∂c_t(next) + ∂h_t ⊙ o_t ⊙ φ'(c_t)
      const g = tf.mul(concatLast([dc, dc, dc, dh]), Q) as tf.Tensor2D; //        g_t = ∂z_t / k² = [∂c_t, ∂c_t, ∂c_t, ∂h_t] ⊙ Q
      return { dXW: g, dHU: g, dPrev: [null, tf.mul(dc, f) as tf.Tensor2D] }; //   ∂c_{t-1} = ∂c_t ⊙ f_t
    }
    const [i, f, cTilde, o, cPrev, φc] = cache;
    const dc = tf.add(dcNext, tf.mul(tf.mul(dh, o), this.dφ!(φc))); // ∂c_t = ∂c_t(next) + ∂h_t ⊙ o_t ⊙ φ'(c_t)
    const da = [ //                                                       ∂a_t, gate order i, f, c, o
      tf.mul(dc, cTilde), //                                              ∂i_t = ∂c_t ⊙ c̃_t
      tf.mul(dc, cPrev), //                                               ∂f_t = ∂c_t ⊙ c_{t-1}
      tf.mul(dc, i), //                                                   ∂c̃_t = ∂c_t ⊙ i_t
      tf.mul(dh, φc), //                                                  ∂o_t = ∂h_t ⊙ φ(c_t)
    ];
    const dσ = this.dσ!;
    const dz = concatLast([ //                                            ∂z_t = ∂a_t ⊙ a'(z_t)   [B, 4H]
      tf.mul(da[0], dσ(i)),
      tf.mul(da[1], dσ(f)),
      tf.mul(da[2], this.dφ!(cTilde)),
      tf.mul(da[3], dσ(o)),
    ] as tf.Tensor2D[]);
    return { dXW: dz, dHU: dz, dPrev: [null, tf.mul(dc, f) as tf.Tensor2D] }; // ∂c_{t-1} = ∂c_t ⊙ f_t
  }
}
