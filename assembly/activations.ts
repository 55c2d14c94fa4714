/**
 * The activations the kernels compute, by code (codes.ts), four lanes at a
 * time, and each one's derivative from its output y = a(z), which is all
 * the backward steps keep. docs/equations.md#backward
 */
import { add, madd, mul, sub } from './rows';
import { HARD_SIGMOID, RELU, SIGMOID, TANH } from './codes';

/**
 * The constants below, each repeated over the four lanes, read from memory: V8
 * builds a v128 constant from immediates in about four instructions at every
 * use, where a load is one (measured: σ over 3.2M floats went from 3.2 to 2.0
 * ns a float).
 */
const C = memory.data<f32>([
  1.0, 1.0, 1.0, 1.0, //                                                                                  0..6  P's coefficients, from x⁰
  0.13084012269973755, 0.13084012269973755, 0.13084012269973755, 0.13084012269973755,
  0.003103959374129772, 0.003103959374129772, 0.003103959374129772, 0.003103959374129772,
  1.1154341336805373e-05, 1.1154341336805373e-05, 1.1154341336805373e-05, 1.1154341336805373e-05,
  -2.022536627066529e-08, -2.022536627066529e-08, -2.022536627066529e-08, -2.022536627066529e-08,
  5.2780186471368395e-11, 5.2780186471368395e-11, 5.2780186471368395e-11, 5.2780186471368395e-11,
  -8.488896434746818e-14, -8.488896434746818e-14, -8.488896434746818e-14, -8.488896434746818e-14,
  0.46417340636253357, 0.46417340636253357, 0.46417340636253357, 0.46417340636253357, //                  7..9  Q's, from x¹ (Q(0) = 1)
  0.024495190009474754, 0.024495190009474754, 0.024495190009474754, 0.024495190009474754,
  0.00025461497716605663, 0.00025461497716605663, 0.00025461497716605663, 0.00025461497716605663,
  9, 9, 9, 9, //                                                                                          10  where tanh is 1 in float32
  -9, -9, -9, -9, //                                                                                      11
  -1, -1, -1, -1, //                                                                                      12
  0, 0, 0, 0, //                                                                                          13  0
  0.5, 0.5, 0.5, 0.5, //                                                                                  14  1/2
  <f32>1 / 6, <f32>1 / 6, <f32>1 / 6, <f32>1 / 6, //                                                      15  1/6
], 16);

const ONE = 0, ZERO = 13, HALF = 14, SIXTH = 15;

@inline
function k(i: i32): v128 {
  return v128.load(C + (<usize>i << 4));
}

/**
 * tanh(x), lane by lane: x P(x²) / Q(x²) on [−9, 9] (beyond, tanh is ±1 in
 * float32), P of degree 6 and Q of degree 3, fitted by scripts/fit_tanh.py:
 * within 3.3e-7 of tanh evaluated in float32 (7e-9 in exact arithmetic). One
 * division and eleven multiply-adds, where e^x and a division cost twice as
 * many operations; kept in [−1, 1].
 */
@inline
function tanh(z: v128): v128 {
  const x = f32x4.pmin(f32x4.pmax(z, k(11)), k(10));
  const s = mul(x, x);
  const p = madd(s, madd(s, madd(s, madd(s, madd(s, madd(s, k(6), k(5)), k(4)), k(3)), k(2)), k(1)), k(ONE));
  const q = madd(s, madd(s, madd(s, k(9), k(8)), k(7)), k(ONE));
  return f32x4.pmin(f32x4.pmax(f32x4.div(mul(x, p), q), k(12)), k(ONE));
}

/** a(z), lane by lane. */
@inline
export function act(code: i32, z: v128): v128 {
  if (code == SIGMOID) return madd(tanh(mul(z, k(HALF))), k(HALF), k(HALF)); // σ(z) = 1 / (1 + e^{−z}) = tanh(z/2) / 2 + 1/2
  if (code == TANH) return tanh(z); //                                     tanh(z)
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
