/**
 * One SimpleRNN step on one row of the batch, forward beside backward, four
 * units at a time. docs/equations.md#simplernn, docs/equations.md#backward
 *
 *   h_t = φ(x_t W + h_{t-1} U + b)
 */
import { act, derivative } from './activations';
import { add, ld, mul, st } from './rows';

/** On entry `a` holds h_{t-1} U [H]; on exit h_t. `xW` is x_t W + b [H]. */
export function simpleForward(H: i32, φ: i32, xW: usize, a: usize): void {
  for (let j = 0; j < H; j += 4) {
    st(a, j, H, act(φ, add(ld(xW, j, H), ld(a, j, H)))); //     h_t = φ(x_t W + b + h_{t-1} U)
  }
}

/**
 * From ∂L/∂h_t (`dh`) and h_t (`a`): ∂z_t into `dz` (both ∂(x_t W + b) and
 * ∂(h_{t-1} U)); `dh` becomes the direct part of ∂L/∂h_{t-1}, none (0).
 */
export function simpleBackward(H: i32, φ: i32, a: usize, dh: usize, dz: usize): void {
  for (let j = 0; j < H; j += 4) {
    st(dz, j, H, mul(ld(dh, j, H), derivative(φ, ld(a, j, H)))); // ∂z_t = ∂h_t ⊙ φ'(z_t)
    st(dh, j, H, f32x4.splat(0));
  }
}
