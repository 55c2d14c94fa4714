/**
 * The activations the kernels compute, by code (src/kernels/sequence.ts gives
 * the same numbers), four lanes at a time, and each one's derivative from its
 * output y = a(z), which is all the backward steps keep. docs/equations.md#backward
 */
import { add, mul, splat, sub } from './rows';

export const LINEAR = 0;
export const TANH = 1;
export const SIGMOID = 2;
export const RELU = 3;
export const HARD_SIGMOID = 4;

/**
 * e^x, lane by lane (Cephes' expf): x = n ln 2 + r with |r| ≤ ln2 / 2, e^r by
 * its degree-7 polynomial, 2^n from the exponent bits. Relative error about
 * 2e-7; x is clamped to [−87.3, 88], where float32's normal numbers end.
 * n = round(x / ln 2) comes from adding 1.5·2²³, which leaves n in the low
 * bits; pmin/pmax are single instructions where min/max are not.
 */
@inline
function exp(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, splat(-87.3)), splat(88));
  const magic = splat(12582912); //                                        1.5·2²³
  const t = add(mul(x, splat(1.44269504088896341)), magic); //             1.5·2²³ + n, n = round(x / ln 2)
  const n = sub(t, magic);
  let r = sub(x, mul(n, splat(0.693359375))); //                           r = x − n ln 2, ln 2 in two parts
  r = sub(r, mul(n, splat(-2.12194440e-4)));
  let p = splat(1.9875691500e-4);
  p = add(mul(p, r), splat(1.3981999507e-3));
  p = add(mul(p, r), splat(8.3334519073e-3));
  p = add(mul(p, r), splat(4.1665795894e-2));
  p = add(mul(p, r), splat(1.6666665459e-1));
  p = add(mul(p, r), splat(5.0000001201e-1));
  const er = add(add(mul(mul(p, r), r), r), splat(1)); //                  e^r
  const twoN = i32x4.shl(i32x4.add(t, i32x4.splat(127 - 0x4b400000)), 23); // 2^n: n + 127 in the exponent bits
  return mul(er, twoN);
}

/** a(z), lane by lane. */
@inline
export function act(code: i32, z: v128): v128 {
  if (code == SIGMOID) return f32x4.div(splat(1), add(splat(1), exp(f32x4.neg(z)))); // σ(z) = 1 / (1 + e^{−z})
  if (code == TANH) {
    const e = exp(mul(splat(-2), f32x4.abs(z))); //                        tanh(z) = sign(z) (1 − e^{−2|z|}) / (1 + e^{−2|z|})
    const t = f32x4.div(sub(splat(1), e), add(splat(1), e));
    return v128.or(t, v128.and(z, i32x4.splat(0x80000000))); //           sign of z
  }
  if (code == RELU) return f32x4.pmax(z, splat(0)); //                      max(z, 0)
  if (code == HARD_SIGMOID) return f32x4.pmin(f32x4.pmax(add(mul(z, splat(<f32>1 / 6)), splat(0.5)), splat(0)), splat(1)); // clip(z/6 + 1/2, 0, 1) (Keras 3)
  return z; //                                                             linear
}

/** a'(z) from y = a(z), lane by lane. */
@inline
export function derivative(code: i32, y: v128): v128 {
  if (code == SIGMOID) return mul(y, sub(splat(1), y)); //                 σ' = y (1 − y)
  if (code == TANH) return sub(splat(1), mul(y, y)); //                     tanh' = 1 − y²
  if (code == RELU) return v128.and(f32x4.gt(y, splat(0)), splat(1)); //   [y > 0]
  if (code == HARD_SIGMOID) return v128.and(v128.and(f32x4.gt(y, splat(0)), f32x4.lt(y, splat(1))), splat(<f32>1 / 6)); // 1/6 inside the ramp
  return splat(1); //                                                      linear
}
