/**
 * One LSTM step on one row of the batch, forward beside backward, four units
 * at a time. Gate order i, f, c, o. docs/equations.md#lstm, #backward
 */
import { act, derivative } from './activations';
import { add, block, ld, mul, splat, st } from './rows';

/**
 * On entry `g` holds h_{t-1} U [4H]; on exit the gates [i_t, f_t, c̃_t, o_t].
 * `xW` is x_t W + b [4H]; writes c_t, φ(c_t) and h_t [H].
 */
export function lstmForward(H: i32, φ: i32, σ: i32, xW: usize, g: usize, cPrev: usize, c: usize, φc: usize, h: usize): void {
  const xI = block(xW, 0, H), xF = block(xW, 1, H), xC = block(xW, 2, H), xO = block(xW, 3, H);
  const gI = block(g, 0, H), gF = block(g, 1, H), gC = block(g, 2, H), gO = block(g, 3, H);
  for (let j = 0; j < H; j += 4) {
    const i = act(σ, add(ld(xI, j, H), ld(gI, j, H))); //         i_t = σ(x_t W_i + h_{t-1} U_i + b_i)
    const f = act(σ, add(ld(xF, j, H), ld(gF, j, H))); //         f_t = σ(x_t W_f + h_{t-1} U_f + b_f)
    const cT = act(φ, add(ld(xC, j, H), ld(gC, j, H))); //        c̃_t = φ(x_t W_c + h_{t-1} U_c + b_c)
    const o = act(σ, add(ld(xO, j, H), ld(gO, j, H))); //         o_t = σ(x_t W_o + h_{t-1} U_o + b_o)
    const cj = add(mul(f, ld(cPrev, j, H)), mul(i, cT)); //       c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
    const φcj = act(φ, cj);
    st(h, j, H, mul(o, φcj)); //                                   h_t = o_t ⊙ φ(c_t)
    st(gI, j, H, i);
    st(gF, j, H, f);
    st(gC, j, H, cT);
    st(gO, j, H, o);
    st(c, j, H, cj);
    st(φc, j, H, φcj);
  }
}

/**
 * From ∂L/∂h_t (`dh`), ∂L/∂c_t from step t+1 (`dc`) and the forward's gates,
 * c_{t-1} and φ(c_t): ∂z_t [4H] into `dz` (both ∂(x_t W + b) and ∂(h_{t-1} U)).
 * `dc` becomes ∂L/∂c_{t-1}; `dh` the direct part of ∂L/∂h_{t-1}, none (0).
 */
export function lstmBackward(H: i32, φ: i32, σ: i32, g: usize, cPrev: usize, φc: usize, dh: usize, dc: usize, dz: usize): void {
  const gI = block(g, 0, H), gF = block(g, 1, H), gC = block(g, 2, H), gO = block(g, 3, H);
  const dI = block(dz, 0, H), dF = block(dz, 1, H), dC = block(dz, 2, H), dO = block(dz, 3, H);
  for (let j = 0; j < H; j += 4) {
    const i = ld(gI, j, H), f = ld(gF, j, H), cT = ld(gC, j, H), o = ld(gO, j, H);
    const φcj = ld(φc, j, H);
    const dhj = ld(dh, j, H);
    const dcj = add(ld(dc, j, H), mul(mul(dhj, o), derivative(φ, φcj))); // ∂c_t = ∂c_t(next) + ∂h_t ⊙ o_t ⊙ φ'(c_t)
    st(dI, j, H, mul(mul(dcj, cT), derivative(σ, i))); //                  ∂z_i = ∂c_t ⊙ c̃_t ⊙ σ'(z_i)
    st(dF, j, H, mul(mul(dcj, ld(cPrev, j, H)), derivative(σ, f))); //     ∂z_f = ∂c_t ⊙ c_{t-1} ⊙ σ'(z_f)
    st(dC, j, H, mul(mul(dcj, i), derivative(φ, cT))); //                  ∂z_c = ∂c_t ⊙ i_t ⊙ φ'(z_c)
    st(dO, j, H, mul(mul(dhj, φcj), derivative(σ, o))); //                 ∂z_o = ∂h_t ⊙ φ(c_t) ⊙ σ'(z_o)
    st(dc, j, H, mul(dcj, f)); //                                          ∂c_{t-1} = ∂c_t ⊙ f_t
    st(dh, j, H, splat(0));
  }
}
