/**
 * One Adam step on n floats, in place, four at a time: the optimizer's update
 * for one variable (src/training/adam.ts). Each operation is float32 and
 * rounded as tfjs's ops round it, so the result is tfjs's Adam to the bit.
 * docs/equations.md#adam
 */
import { add, div, ld, mul, splat, st } from './rows';

export function adam(
  n: i32, g: usize, m: usize, v: usize, θ: usize,
  β1: f32, β2: f32, oneMinusβ1: f32, oneMinusβ2: f32, oneMinusβ1t: f32, oneMinusβ2t: f32, ε: f32, negα: f32,
): void {
  const b1 = splat(β1), b2 = splat(β2), c1 = splat(oneMinusβ1), c2 = splat(oneMinusβ2);
  const d1 = splat(oneMinusβ1t), d2 = splat(oneMinusβ2t), e = splat(ε), a = splat(negα);
  for (let j = 0; j < n; j += 4) {
    const gj = ld(g, j, n);
    const mt = add(mul(ld(m, j, n), b1), mul(gj, c1)); //           m_t = β₁ m_{t-1} + (1 − β₁) g
    const vt = add(mul(ld(v, j, n), b2), mul(mul(gj, gj), c2)); //  v_t = β₂ v_{t-1} + (1 − β₂) g²
    const mHat = div(mt, d1); //                                    m̂_t = m_t / (1 − β₁ᵗ)
    const vHat = div(vt, d2); //                                    v̂_t = v_t / (1 − β₂ᵗ)
    st(θ, j, n, add(mul(div(mHat, add(f32x4.sqrt(vHat), e)), a), ld(θ, j, n))); // θ_t = θ_{t-1} − α m̂_t / (√v̂_t + ε)
    st(m, j, n, mt);
    st(v, j, n, vt);
  }
}
