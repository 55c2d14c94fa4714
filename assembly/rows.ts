/**
 * Reading and writing the rows the cells work on ([H] blocks of float32), four
 * lanes at a time: lanes j .. j+3 of an n-float row at p. Past n, a read gives
 * zeros and a write is dropped, so a cell's loop is one vector loop whatever H.
 */

import { scratch } from './scratch';

@inline
export function ld(p: usize, j: i32, n: i32): v128 {
  const at = p + (<usize>j << 2);
  if (j + 4 <= n) return v128.load(at);
  const part = scratch; // (this thread's)
  v128.store(part, f32x4.splat(0));
  for (let l = 0; l < n - j; l++) store<f32>(part + (<usize>l << 2), load<f32>(at + (<usize>l << 2)));
  return v128.load(part);
}

@inline
export function st(p: usize, j: i32, n: i32, v: v128): void {
  const at = p + (<usize>j << 2);
  if (j + 4 <= n) {
    v128.store(at, v);
    return;
  }
  const part = scratch;
  v128.store(part, v);
  for (let l = 0; l < n - j; l++) store<f32>(at + (<usize>l << 2), load<f32>(part + (<usize>l << 2)));
}

/** Block g of a row of [H]-blocks at p. */
@inline
export function block(p: usize, g: i32, H: i32): usize {
  return p + (<usize>(g * H) << 2);
}

@inline export function add(a: v128, b: v128): v128 { return f32x4.add(a, b); }
@inline export function sub(a: v128, b: v128): v128 { return f32x4.sub(a, b); }
@inline export function mul(a: v128, b: v128): v128 { return f32x4.mul(a, b); }
@inline export function div(a: v128, b: v128): v128 { return f32x4.div(a, b); }
@inline export function splat(x: f32): v128 { return f32x4.splat(x); }

/**
 * c + a·b, lane by lane: one fused multiply-add (one rounding) in the
 * relaxed-SIMD build where the processor has one, a multiply and an add in
 * the other build (assembly/asconfig.json).
 */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Fills n floats at p with zeros. */
@inline
export function zero(p: usize, n: i32): void {
  memory.fill(p, 0, <usize>n << 2);
}

/** Copies n floats from src to dst. */
@inline
export function copy(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 2);
}
