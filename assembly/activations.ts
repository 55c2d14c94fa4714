/**
 * The activations the kernels compute, by code (src/kernels/sequence.ts gives
 * the same numbers), four lanes at a time, and each one's derivative from its
 * output y = a(z), which is all the backward steps keep. docs/equations.md#backward
 */
import { add, mul, sub } from './rows';

export const LINEAR = 0;
export const TANH = 1;
export const SIGMOID = 2;
export const RELU = 3;
export const HARD_SIGMOID = 4;

/**
 * The constants below, each repeated over the four lanes, read from memory: V8
 * builds a v128 constant from immediates in about four instructions at every
 * use, where a load is one (measured: σ over 3.2M floats went from 3.2 to 2.0
 * ns a float).
 */
const C = memory.data<f32>([
  -87.3, -87.3, -87.3, -87.3, //                                   0  LO: lowest x of exp
  88, 88, 88, 88, //                                               1  HI: highest x of exp
  12582912, 12582912, 12582912, 12582912, //                       2  1.5·2²³
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341, // 3  1 / ln 2
  -0.693359375, -0.693359375, -0.693359375, -0.693359375, //       4  −ln 2, high part
  2.12194440e-4, 2.12194440e-4, 2.12194440e-4, 2.12194440e-4, //   5  −ln 2, low part
  1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, // 6..11  e^r = 1 + r + r² P(r), P's coefficients from r⁵ down
  1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3,
  8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3,
  4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2,
  1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1,
  5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1,
  1, 1, 1, 1, //                                                  12  1
  0, 0, 0, 0, //                                                  13  0
  -2, -2, -2, -2, //                                              14  −2
  0.5, 0.5, 0.5, 0.5, //                                          15  1/2
  <f32>1 / 6, <f32>1 / 6, <f32>1 / 6, <f32>1 / 6, //              16  1/6
], 16);
const BITS = memory.data<i32>([
  127 - 0x4b400000, 127 - 0x4b400000, 127 - 0x4b400000, 127 - 0x4b400000, // 0  from 1.5·2²³ + n to n + 127
  0x80000000, 0x80000000, 0x80000000, 0x80000000, //                         1  the sign bit
], 16);

const ONE = 12, ZERO = 13, MINUS_TWO = 14, HALF = 15, SIXTH = 16;

/** c + a·b: one fused multiply-add in the relaxed-SIMD build (see matmul.ts), a multiply and an add in the other. */
@inline
function fma(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return add(c, mul(a, b));
}

@inline
function k(i: i32): v128 {
  return v128.load(C + (<usize>i << 4));
}

/**
 * e^x, lane by lane (Cephes' expf): x = n ln 2 + r with |r| ≤ ln2 / 2, e^r by
 * its polynomial (Estrin's scheme: a shorter chain of dependent operations
 * than Horner's), 2^n from the exponent bits. Relative error about 2e-7; x is
 * clamped to [−87.3, 88], where float32's normal numbers end. n = round(x / ln 2)
 * comes from adding 1.5·2²³, which leaves n in the low bits; pmin/pmax are
 * single instructions where min/max are not.
 */
@inline
function exp(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, k(0)), k(1));
  const t = fma(x, k(3), k(2)); //                                         1.5·2²³ + n, n = round(x / ln 2)
  const n = sub(t, k(2));
  const r = fma(n, k(5), fma(n, k(4), x)); //                              r = x − n ln 2, ln 2 in two parts
  const r2 = mul(r, r);
  const a = fma(k(10), r, k(11));
  const b = fma(k(8), r, k(9));
  const d = fma(k(6), r, k(7));
  const P = fma(r2, fma(r2, d, b), a);
  const er = fma(r2, P, add(k(ONE), r)); //                                e^r
  const twoN = i32x4.shl(i32x4.add(t, v128.load(BITS)), 23); //            2^n: n + 127 in the exponent bits
  return mul(er, twoN);
}

/** a(z), lane by lane. */
@inline
export function act(code: i32, z: v128): v128 {
  if (code == SIGMOID) return f32x4.div(k(ONE), add(k(ONE), exp(f32x4.neg(z)))); // σ(z) = 1 / (1 + e^{−z})
  if (code == TANH) {
    const e = exp(mul(k(MINUS_TWO), f32x4.abs(z))); //                     tanh(z) = sign(z) (1 − e^{−2|z|}) / (1 + e^{−2|z|})
    const t = f32x4.div(sub(k(ONE), e), add(k(ONE), e));
    return v128.or(t, v128.and(z, v128.load(BITS, 16))); //                sign of z
  }
  if (code == RELU) return f32x4.pmax(z, k(ZERO)); //                      max(z, 0)
  if (code == HARD_SIGMOID) return f32x4.pmin(f32x4.pmax(add(mul(z, k(SIXTH)), k(HALF)), k(ZERO)), k(ONE)); // clip(z/6 + 1/2, 0, 1) (Keras 3)
  return z; //                                                             linear
}

/** a'(z) from y = a(z), lane by lane. */
@inline
export function derivative(code: i32, y: v128): v128 {
  if (code == SIGMOID) return mul(y, sub(k(ONE), y)); //                   σ' = y (1 − y)
  if (code == TANH) return sub(k(ONE), mul(y, y)); //                       tanh' = 1 − y²
  if (code == RELU) return v128.and(f32x4.gt(y, k(ZERO)), k(ONE)); //       [y > 0]
  if (code == HARD_SIGMOID) return v128.and(v128.and(f32x4.gt(y, k(ZERO)), f32x4.lt(y, k(ONE))), k(SIXTH)); // 1/6 inside the ramp
  return k(ONE); //                                                        linear
}
