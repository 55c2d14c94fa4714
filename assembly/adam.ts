/**
 * One Adam step on n floats, in place, four at a time: the optimizer's update
 * for one variable (src/training/adam.ts). Each operation is float32 and
 * rounded as tfjs's ops round it, so the result is tfjs's Adam to the bit.
 * A large variable's elements are shared out in chunks between the two
 * threads (`byChunks`); each element's update is the same whichever runs it.
 * docs/equations.md#adam
 */
import { add, div, ld, mul, splat, st } from './rows';
import { byChunks } from './pool';

/** Elements in a chunk: variables of at least two chunks (an Embedding table) are shared. */
const CHUNK = 16384;

/** The step's arguments, in the memory both threads read. */
@unmanaged
class AdamCall {
  n: i32;
  g: usize;
  m: usize;
  v: usize;
  θ: usize;
  β1: f32;
  β2: f32;
  oneMinusβ1: f32;
  oneMinusβ2: f32;
  oneMinusβ1t: f32;
  oneMinusβ2t: f32;
  ε: f32;
  negα: f32;
}
const call = changetype<AdamCall>(memory.data(offsetof<AdamCall>(), 16));

export function adam(
  n: i32, g: usize, m: usize, v: usize, θ: usize,
  β1: f32, β2: f32, oneMinusβ1: f32, oneMinusβ2: f32, oneMinusβ1t: f32, oneMinusβ2t: f32, ε: f32, negα: f32,
): void {
  call.n = n; call.g = g; call.m = m; call.v = v; call.θ = θ;
  call.β1 = β1; call.β2 = β2; call.oneMinusβ1 = oneMinusβ1; call.oneMinusβ2 = oneMinusβ2;
  call.oneMinusβ1t = oneMinusβ1t; call.oneMinusβ2t = oneMinusβ2t; call.ε = ε; call.negα = negα;
  byChunks(adamRange, n, CHUNK);
}

/** Elements j0 … j1 − 1 of the step `adam` has set up (j0 a multiple of 4). */
export function adamRange(j0: i32, j1: i32): void {
  const n = j1, g = call.g, m = call.m, v = call.v, θ = call.θ;
  const b1 = splat(call.β1), b2 = splat(call.β2), c1 = splat(call.oneMinusβ1), c2 = splat(call.oneMinusβ2);
  const d1 = splat(call.oneMinusβ1t), d2 = splat(call.oneMinusβ2t), e = splat(call.ε), a = splat(call.negα);
  for (let j = j0; j < j1; j += 4) {
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
