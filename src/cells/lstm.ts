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
  /**
   * k = [1, 1, 2, 1] per gate block, for the fused gate activations below, and
   * k − 1 and k ⊙ k, all tiled to [B, 4H] at the first step (on wasm a same-shape
   * product of [32, 128] takes 4 µs, a broadcast one 8 µs). k ⊙ k travels in each
   * step's cache, since the backward runs after the forward's tensors are gone.
   */
  private tiled: { k: tf.Tensor2D; kMinus1: tf.Tensor2D; k2: tf.Tensor2D } | null = null;

  /** dφ, dσ: the activations' derivatives from their outputs, for the backward step. */
  constructor(
    readonly params: CellParams,
    private readonly dφ: ((y: tf.Tensor) => tf.Tensor) | null = null,
    private readonly dσ: ((y: tf.Tensor) => tf.Tensor) | null = null,
    /** σ, φ are Keras's default sigmoid, tanh: the four gate activations are one sigmoid. */
    private readonly fused = false,
  ) {}

  step(xW: tf.Tensor2D, state: LSTMState): LSTMState {
    return this.forward(xW, state).state;
  }

  /**
   * a = [σ(z_i), σ(z_f), φ(z_c), σ(z_o)], and what ∂a/∂z needs. With σ = sigmoid and
   * φ = tanh, as one sigmoid over all four blocks, since tanh(z) = 2σ(2z) − 1:
   * s = σ(k ⊙ z), a = k ⊙ s − (k − 1).
   */
  private gates(z: tf.Tensor2D): { a: tf.Tensor2D; s: tf.Tensor2D | null } {
    const { activation: φ, recurrentActivation: σ } = this.params;
    if (this.fused) {
      const { k, kMinus1 } = this.tiledK(z.shape[0]);
      const s = tf.sigmoid(tf.mul(z, k)) as tf.Tensor2D; //                    s = σ(k ⊙ z)
      return { a: tf.sub(tf.mul(s, k), kMinus1) as tf.Tensor2D, s }; //          a = k ⊙ s − (k − 1)
    }
    const [zI, zF, zC, zO] = splitLast(z, 4);
    return { a: concatLast([σ(zI), σ(zF), φ(zC), σ(zO)] as tf.Tensor2D[]), s: null };
  }

  private tiledK(B: number): { k: tf.Tensor2D; kMinus1: tf.Tensor2D; k2: tf.Tensor2D } {
    if (this.tiled == null) {
      const H = this.params.U.shape[0];
      const k = tf.tile(tf.concat([tf.ones([1, 2 * H]), tf.fill([1, H], 2), tf.ones([1, H])], 1), [B, 1]) as tf.Tensor2D; // [B, 4H]
      this.tiled = { k, kMinus1: tf.sub(k, 1) as tf.Tensor2D, k2: tf.square(k) as tf.Tensor2D };
    }
    return this.tiled;
  }

  /** ∂a/∂z from the forward's outputs: k² ⊙ s ⊙ (1 − s) fused (σ' on i, f, o; φ' = 1 − c̃² on c), else per block. */
  private gatesDerivative([i, f, cTilde, o]: tf.Tensor[], s?: tf.Tensor, k2?: tf.Tensor): tf.Tensor {
    if (s && k2) return tf.mul(tf.mul(s, tf.sub(1, s)), k2); //                   k² ⊙ s ⊙ (1 − s)
    const dσ = this.dσ!;
    return concatLast([dσ(i), dσ(f), this.dφ!(cTilde), dσ(o)] as tf.Tensor2D[]);
  }

  forward(xW: tf.Tensor2D, [hPrev, cPrev]: LSTMState): { state: LSTMState; cache: Cache } {
    const { U, activation: φ, recurrentDropoutMask } = this.params;
    const z = tf.add(xW, tf.matMul(dropped(hPrev, recurrentDropoutMask), U)) as tf.Tensor2D; // z_t = x_t W + h_{t-1} U + b   [B, 4H]
    const { a, s } = this.gates(z); //                           a_t = [σ(z_i), σ(z_f), φ(z_c), σ(z_o)]   [B, 4H]
    const [i, f, cTilde, o] = splitLast(a, 4); //               i_t, f_t, c̃_t, o_t                         [B, H] each
    const c = tf.add(tf.mul(f, cPrev), tf.mul(i, cTilde)) as tf.Tensor2D; // c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
    const φc = φ(c);
    const h = tf.mul(o, φc) as tf.Tensor2D; //                                h_t = o_t ⊙ φ(c_t)
    return { state: [h, c], cache: [i, f, cTilde, o, cPrev, φc, ...(s ? [s, this.tiled!.k2] : [])] };
  }

  backward([dh, dcNext]: tf.Tensor2D[], cache: Cache): { dXW: tf.Tensor2D; dHU: tf.Tensor2D; dPrev: Array<tf.Tensor2D | null> } {
    const [i, f, cTilde, o, cPrev, φc, s, k2] = cache;
    const dc = tf.add(dcNext, tf.mul(tf.mul(dh, o), this.dφ!(φc))); // ∂c_t = ∂c_t(next) + ∂h_t ⊙ o_t ⊙ φ'(c_t)
    const da = concatLast([ //                                            ∂a_t, gate order i, f, c, o
      tf.mul(dc, cTilde), //                                              ∂i_t = ∂c_t ⊙ c̃_t
      tf.mul(dc, cPrev), //                                               ∂f_t = ∂c_t ⊙ c_{t-1}
      tf.mul(dc, i), //                                                   ∂c̃_t = ∂c_t ⊙ i_t
      tf.mul(dh, φc), //                                                  ∂o_t = ∂h_t ⊙ φ(c_t)
    ] as tf.Tensor2D[]);
    const dz = tf.mul(da, this.gatesDerivative([i, f, cTilde, o], s, k2)) as tf.Tensor2D; // ∂z_t = ∂a_t ⊙ a'(z_t)   [B, 4H]
    return { dXW: dz, dHU: dz, dPrev: [null, tf.mul(dc, f) as tf.Tensor2D] }; // ∂c_{t-1} = ∂c_t ⊙ f_t
  }
}
