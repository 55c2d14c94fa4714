/**
 * One GRU step on one row of the batch, forward beside backward, in both of
 * Keras's forms, four units at a time. Gate order z, r, h.
 * docs/equations.md#gru, #backward
 */
import { act, derivative } from './activations';
import { add, block, ld, mul, splat, st, sub } from './rows';

/**
 * resetAfter. `p` is h_{t-1} U [3H] (h_{t-1} after recurrent dropout), `bR`
 * b_r [3H] or 0 for none, `xW` x_t W + b_i [3H]. Writes the gates
 * [z_t, r_t, h̃_t] to `g`, h_{t-1} U_h + b_rh to `hH` and h_t to `h`.
 */
export function gruAfterForward(H: i32, φ: i32, σ: i32, xW: usize, p: usize, bR: usize, hPrev: usize, g: usize, hH: usize, h: usize): void {
  const xZ = block(xW, 0, H), xR = block(xW, 1, H), xH = block(xW, 2, H);
  for (let j = 0; j < H; j += 4) {
    let pz = ld(block(p, 0, H), j, H), pr = ld(block(p, 1, H), j, H), ph = ld(block(p, 2, H), j, H);
    if (bR) {
      pz = add(pz, ld(block(bR, 0, H), j, H)); //                  h_{t-1} U_z + b_rz
      pr = add(pr, ld(block(bR, 1, H), j, H)); //                  h_{t-1} U_r + b_rr
      ph = add(ph, ld(block(bR, 2, H), j, H)); //                  h_{t-1} U_h + b_rh
    }
    const z = act(σ, add(ld(xZ, j, H), pz)); //                    z_t = σ(x_t W_z + b_iz + h_{t-1} U_z + b_rz)
    const r = act(σ, add(ld(xR, j, H), pr)); //                    r_t = σ(x_t W_r + b_ir + h_{t-1} U_r + b_rr)
    const hT = act(φ, add(ld(xH, j, H), mul(r, ph))); //           h̃_t = φ(x_t W_h + b_ih + r_t ⊙ (h_{t-1} U_h + b_rh))
    st(h, j, H, add(mul(z, ld(hPrev, j, H)), mul(sub(splat(1), z), hT))); // h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t
    st(block(g, 0, H), j, H, z);
    st(block(g, 1, H), j, H, r);
    st(block(g, 2, H), j, H, hT);
    st(hH, j, H, ph);
  }
}

/**
 * resetAfter. From ∂L/∂h_t (`dh`): ∂(x_t W + b_i) into `dxW` and
 * ∂(h_{t-1} U + b_r) into `dhU` [3H]; `dh` becomes the direct part of ∂L/∂h_{t-1}.
 */
export function gruAfterBackward(H: i32, φ: i32, σ: i32, g: usize, hH: usize, hPrev: usize, dh: usize, dxW: usize, dhU: usize): void {
  for (let j = 0; j < H; j += 4) {
    const z = ld(block(g, 0, H), j, H), r = ld(block(g, 1, H), j, H), hT = ld(block(g, 2, H), j, H);
    const dhj = ld(dh, j, H);
    const dzz = mul(mul(dhj, sub(ld(hPrev, j, H), hT)), derivative(σ, z)); // ∂z_z = ∂h_t ⊙ (h_{t-1} − h̃_t) ⊙ σ'
    const dzh = mul(mul(dhj, sub(splat(1), z)), derivative(φ, hT)); //        ∂z_h = ∂h_t ⊙ (1 − z_t) ⊙ φ'
    const dzr = mul(mul(dzh, ld(hH, j, H)), derivative(σ, r)); //             ∂z_r = ∂z_h ⊙ (h_{t-1} U_h + b_rh) ⊙ σ'
    st(block(dxW, 0, H), j, H, dzz);
    st(block(dxW, 1, H), j, H, dzr);
    st(block(dxW, 2, H), j, H, dzh);
    st(block(dhU, 0, H), j, H, dzz);
    st(block(dhU, 1, H), j, H, dzr);
    st(block(dhU, 2, H), j, H, mul(dzh, r)); //                               the h block of ∂(h_{t-1} U) is gated by r_t
    st(dh, j, H, mul(dhj, z)); //                                             ∂h_{t-1} (direct) = ∂h_t ⊙ z_t
  }
}

/**
 * resetAfter false, first half: the gates z_t, r_t from `p` = h_{t-1} U_zr [2H]
 * (`hIn` is h_{t-1} after recurrent dropout), and q = r_t ⊙ h_{t-1}, which the
 * loop multiplies by U_h.
 */
export function gruBeforeGates(H: i32, σ: i32, xW: usize, p: usize, hIn: usize, g: usize, q: usize): void {
  for (let j = 0; j < H; j += 4) {
    const z = act(σ, add(ld(block(xW, 0, H), j, H), ld(block(p, 0, H), j, H))); // z_t = σ(x_t W_z + h_{t-1} U_z + b_z)
    const r = act(σ, add(ld(block(xW, 1, H), j, H), ld(block(p, 1, H), j, H))); // r_t = σ(x_t W_r + h_{t-1} U_r + b_r)
    st(q, j, H, mul(r, ld(hIn, j, H))); //                                         r_t ⊙ h_{t-1}
    st(block(g, 0, H), j, H, z);
    st(block(g, 1, H), j, H, r);
  }
}

/** resetAfter false, second half: from `qU` = (r_t ⊙ h_{t-1}) U_h, h̃_t into `g` and h_t into `h`. */
export function gruBeforeCandidate(H: i32, φ: i32, xW: usize, qU: usize, hPrev: usize, g: usize, h: usize): void {
  for (let j = 0; j < H; j += 4) {
    const z = ld(block(g, 0, H), j, H);
    const hT = act(φ, add(ld(block(xW, 2, H), j, H), ld(qU, j, H))); //  h̃_t = φ(x_t W_h + (r_t ⊙ h_{t-1}) U_h + b_h)
    st(h, j, H, add(mul(z, ld(hPrev, j, H)), mul(sub(splat(1), z), hT))); // h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t
    st(block(g, 2, H), j, H, hT);
  }
}

/**
 * resetAfter false, first half of the backward step: ∂z_z and ∂z_h into the
 * z and h blocks of `dxW` and `dhU`; `dh` becomes ∂h_t ⊙ z_t. The loop then
 * computes ∂(r_t ⊙ h_{t-1}) = ∂z_h U_hᵀ for `gruBeforeReset`.
 */
export function gruBeforeBackward(H: i32, φ: i32, σ: i32, g: usize, hPrev: usize, dh: usize, dxW: usize, dhU: usize): void {
  for (let j = 0; j < H; j += 4) {
    const z = ld(block(g, 0, H), j, H), hT = ld(block(g, 2, H), j, H);
    const dhj = ld(dh, j, H);
    const dzz = mul(mul(dhj, sub(ld(hPrev, j, H), hT)), derivative(σ, z)); // ∂z_z = ∂h_t ⊙ (h_{t-1} − h̃_t) ⊙ σ'
    const dzh = mul(mul(dhj, sub(splat(1), z)), derivative(φ, hT)); //        ∂z_h = ∂h_t ⊙ (1 − z_t) ⊙ φ'
    st(block(dxW, 0, H), j, H, dzz);
    st(block(dxW, 2, H), j, H, dzh);
    st(block(dhU, 0, H), j, H, dzz);
    st(block(dhU, 2, H), j, H, dzh);
    st(dh, j, H, mul(dhj, z)); //                                             ∂h_{t-1} (direct) = ∂h_t ⊙ z_t
  }
}

/**
 * resetAfter false, second half: from dq = ∂(r_t ⊙ h_{t-1}) [H], ∂z_r into the
 * r blocks of `dxW` and `dhU`; `dq` becomes its part of ∂h_{t-1}, dq ⊙ r_t;
 * `rh` gets r_t ⊙ h_{t-1} (what ∂U_h is made of).
 */
export function gruBeforeReset(H: i32, σ: i32, g: usize, hIn: usize, dq: usize, dxW: usize, dhU: usize, rh: usize): void {
  for (let j = 0; j < H; j += 4) {
    const r = ld(block(g, 1, H), j, H);
    const h = ld(hIn, j, H);
    const dqj = ld(dq, j, H);
    const dzr = mul(mul(dqj, h), derivative(σ, r)); //                       ∂z_r = ∂(r_t ⊙ h_{t-1}) ⊙ h_{t-1} ⊙ σ'
    st(block(dxW, 1, H), j, H, dzr);
    st(block(dhU, 1, H), j, H, dzr);
    st(dq, j, H, mul(dqj, r)); //                                            ∂h_{t-1} via U_h = ∂(r_t ⊙ h_{t-1}) ⊙ r_t
    st(rh, j, H, mul(r, h));
  }
}
