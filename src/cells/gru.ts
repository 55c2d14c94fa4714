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
import { concatLast, sliceLast, splitLast } from '../host_ops';
import { BPTTCell, Cache, CellParams, dropped, gateConstants } from './cell';

export type GRUState = [h: tf.Tensor2D];

export interface GRUParams extends CellParams {
  resetAfter: boolean;
  /** b_r, [3H]: the recurrent-side bias row (resetAfter only; undefined when useBias is false). */
  recurrentBias?: tf.Tensor1D;
}

/**
 * The fused form, for resetAfter with Keras's default σ = sigmoid and φ = tanh:
 * since tanh(x) = 2σ(2x) − 1, with k = [1, 1, 2] per gate block (z, r, h) the
 * steps read k ⊙ (x_t W + b_i) (`prepare`) and a_t = h_{t-1} (U ⊙ k) + b_r ⊙ k,
 * and then
 *
 *   [z_t, r_t, ·] = σ(k ⊙ (x_t W + b_i) + a_t)
 *   q_t = σ(2 (x_t W_h + b_ih) + r_t ⊙ 2 (h_{t-1} U_h + b_rh))      h̃_t = 2 q_t − 1
 *
 * (the third block of the first sigmoid is not used).
 */
interface Fused {
  /** k, [3H]. */
  k: tf.Tensor1D;
  /** U ⊙ k, [H, 3H]. */
  Uk: tf.Tensor2D;
  /** b_r ⊙ k, [3H] (none without a bias). */
  brk?: tf.Tensor1D;
}

export class GRUCell implements BPTTCell<GRUState> {
  private readonly Uzr: tf.Tensor2D; // [H, 2H]  (resetAfter = false)
  private readonly Uh: tf.Tensor2D; //  [H, H]   (resetAfter = false)
  private readonly fusedK: Fused | null = null;
  /** k² per gate column in the fused form (see `backward`); undefined otherwise. */
  readonly gateScale?: tf.Tensor1D;

  /** dφ, dσ: the activations' derivatives from their outputs; the backward step exists for resetAfter only. */
  constructor(
    readonly params: GRUParams,
    private readonly dφ: ((y: tf.Tensor) => tf.Tensor) | null = null,
    private readonly dσ: ((y: tf.Tensor) => tf.Tensor) | null = null,
    /** resetAfter, and σ, φ are Keras's default sigmoid, tanh: use the fused form above. */
    fused = false,
  ) {
    const H = params.U.shape[0];
    [this.Uzr, this.Uh] = params.resetAfter ? [params.U, params.U] : (tf.split(params.U, [2 * H, H], 1) as tf.Tensor2D[]);
    if (fused && params.resetAfter) {
      const { k, Uk, k2 } = gateConstants(params.U, [1, 1, 2]); // k = [1, 1, 2] per block (z, r, h)
      const b = params.recurrentBias;
      this.fusedK = { k, Uk, brk: b ? (tf.mul(b, k) as tf.Tensor1D) : undefined };
      this.gateScale = k2;
    }
  }

  /** Fused: k ⊙ (X W + b_i) for all t at once. */
  prepare(xW: tf.Tensor3D): tf.Tensor3D {
    return this.fusedK ? (tf.mul(xW, this.fusedK.k) as tf.Tensor3D) : xW;
  }

  step(xW: tf.Tensor2D, state: GRUState): GRUState {
    if (this.fusedK) return this.runFused(xW, state).state;
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

  /** The fused step (resetAfter, sigmoid and tanh); see `Fused`. */
  private runFused(xWk: tf.Tensor2D, [hPrev]: GRUState) {
    const { Uk, brk } = this.fusedK!;
    const H = hPrev.shape[1];
    let a: tf.Tensor = tf.matMul(dropped(hPrev, this.params.recurrentDropoutMask), Uk); // a_t = h_{t-1} (U ⊙ k) + b_r ⊙ k   [B, 3H]
    if (brk) a = tf.add(a, brk);
    const s = tf.sigmoid(tf.add(xWk, a)) as tf.Tensor2D; //                  [z_t, r_t, ·] = σ(k ⊙ (x_t W + b_i) + a_t)
    const [z, r] = splitLast(s, 3);
    const aH = sliceLast(a as tf.Tensor2D, 2 * H, H); //                    2 (h_{t-1} U_h + b_rh)
    const q = tf.sigmoid(tf.add(sliceLast(xWk, 2 * H, H), tf.mul(r, aH))); // q_t = σ(2 (x_t W_h + b_ih) + r_t ⊙ 2 (h_{t-1} U_h + b_rh))
    const hTilde = tf.sub(tf.add(q, q), 1); //                                h̃_t = 2 q_t − 1 = φ(x_t W_h + b_ih + r_t ⊙ (h_{t-1} U_h + b_rh))
    const d = tf.sub(hPrev, hTilde); //                                       h_{t-1} − h̃_t
    const h = tf.add(hTilde, tf.mul(z, d)) as tf.Tensor2D; //                h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t = h̃_t + z_t ⊙ (h_{t-1} − h̃_t)
    return { state: [h] as GRUState, s, z, r, q, aH, d };
  }

  /**
   * With resetAfter (the form with a hand-written backward): the step, keeping
   *   fused:  M_x = [d ⊙ z(1 − z), 2 Y ⊙ a_h ⊙ r(1 − r), Y] and M_h (its last block Y ⊙ r_t),
   *           with d = h_{t-1} − h̃_t, Y = (1 − z_t) ⊙ q_t (1 − q_t), a_h = 2 (h_{t-1} U_h + b_rh); and z_t;
   *   else:   z, r, h̃, h_{t-1} U_h + b_rh and h_{t-1}.
   */
  forward(xW: tf.Tensor2D, state: GRUState): { state: GRUState; cache: Cache } {
    if (this.fusedK) {
      const { state: next, s, z, r, q, aH, d } = this.runFused(xW, state);
      const [σz, σr] = splitLast(tf.sub(s, tf.square(s)) as tf.Tensor2D, 3); //  z(1 − z), r(1 − r)
      const Y = tf.mul(tf.sub(1, z), tf.sub(q, tf.square(q))) as tf.Tensor2D; // (1 − z_t) ⊙ q_t (1 − q_t)
      const A = tf.mul(d, σz) as tf.Tensor2D; //                                   (h_{t-1} − h̃_t) ⊙ z(1 − z)
      const Ar = tf.mul(tf.mul(Y, aH), σr); //                                       Y ⊙ a_h ⊙ r(1 − r)
      const Rr = tf.add(Ar, Ar) as tf.Tensor2D; //                                  2 Y ⊙ a_h ⊙ r(1 − r)
      const Mx = concatLast([A, Rr, Y]);
      const Mh = concatLast([A, Rr, tf.mul(Y, r) as tf.Tensor2D]);
      return { state: next, cache: [Mx, Mh, z] };
    }
    return this.forwardPlain(xW, state);
  }

  /** resetAfter, any activations: the step, keeping z, r, h̃, h_{t-1} U_h + b_rh and h_{t-1}. */
  private forwardPlain(xW: tf.Tensor2D, [hPrev]: GRUState): { state: GRUState; cache: Cache } {
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

  /**
   * ∂z_z = ∂h_t ⊙ (h_{t-1} − h̃_t) ⊙ σ'(z), ∂z_h = ∂h_t ⊙ (1 − z_t) ⊙ φ'(h̃), ∂z_r = ∂z_h ⊙ (h_{t-1} U_h + b_rh) ⊙ σ'(r);
   * ∂(x_t W + b_i) = [∂z_z, ∂z_r, ∂z_h] and ∂(h_{t-1} U + b_r) = [∂z_z, ∂z_r, ∂z_h ⊙ r_t].
   * Fused, φ'(h̃) = 4 q (1 − q): this returns both divided by k² = [1, 1, 4], that is
   * [∂h_t, ∂h_t, ∂h_t] ⊙ M_x and ⊙ M_h, and the loop applies k² (`gateScale`) once.
   */
  backward(ds: tf.Tensor2D[], cache: Cache): { dXW: tf.Tensor2D; dHU: tf.Tensor2D; dPrev: Array<tf.Tensor2D | null> } {
    const [dh] = ds;
    if (this.fusedK) {
      const [Mx, Mh, z] = cache;
      const D = concatLast([dh, dh, dh]); //                                       [∂h_t, ∂h_t, ∂h_t]
      return { dXW: tf.mul(D, Mx) as tf.Tensor2D, dHU: tf.mul(D, Mh) as tf.Tensor2D, dPrev: [tf.mul(dh, z) as tf.Tensor2D] }; // ∂h_{t-1} (direct) = ∂h_t ⊙ z_t
    }
    const [z, r, hTilde, hH, hPrev] = cache;
    const dZ = tf.mul(tf.mul(dh, tf.sub(hPrev, hTilde)), this.dσ!(z)); //       ∂z_z = ∂h_t ⊙ (h_{t-1} − h̃_t) ⊙ σ'
    const dHt = tf.mul(tf.mul(dh, tf.sub(1, z)), this.dφ!(hTilde)); //         ∂(h̃ pre) = ∂h_t ⊙ (1 − z_t) ⊙ φ'
    const dR = tf.mul(tf.mul(dHt, hH), this.dσ!(r)); //                        ∂z_r = ∂(h̃ pre) ⊙ (h_{t-1} U_h + b_rh) ⊙ σ'
    const dXW = concatLast([dZ, dR, dHt] as tf.Tensor2D[]); //                  ∂(x_t W + b_i), gate order z, r, h
    const dHU = concatLast([dZ, dR, tf.mul(dHt, r)] as tf.Tensor2D[]); //       ∂(h_{t-1} U + b_r): the h block is gated by r_t
    return { dXW, dHU, dPrev: [tf.mul(dh, z) as tf.Tensor2D] }; //                ∂h_{t-1} (direct) = ∂h_t ⊙ z_t
  }
}
