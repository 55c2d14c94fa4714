/**
 * The SimpleRNN (Elman) cell. docs/equations.md#simplernn
 *
 *   h_t = φ(x_t W + h_{t-1} U + b)
 *
 * W: [D, H]  U: [H, H]  b: [H]   (x_t W + b is precomputed for all t)
 */
import { tf } from '../tf';
import { BPTTCell, Cache, CellParams, dropped } from './cell';
import type { Derivative } from '../activations';

export type SimpleRNNState = [h: tf.Tensor2D];

export class SimpleRNNStep implements BPTTCell<SimpleRNNState> {
  /** dφ: φ' from φ's output, for the backward step (null: no backward step). */
  constructor(readonly params: CellParams, private readonly dφ: Derivative | null = null) {}

  step(xW: tf.Tensor2D, state: SimpleRNNState): SimpleRNNState {
    return this.forward(xW, state).state;
  }

  /** The step, keeping h_t (φ' is computed from it) for the backward step. */
  forward(xW: tf.Tensor2D /* x_t W + b */, [hPrev]: SimpleRNNState): { state: SimpleRNNState; cache: Cache } {
    const { U, activation: φ, recurrentDropoutMask } = this.params;
    const z = tf.add(xW, tf.matMul(dropped(hPrev, recurrentDropoutMask), U)); // z_t = x_t W + h_{t-1} U + b   [B, H]
    const h = φ(z) as tf.Tensor2D; //                                          h_t = φ(z_t)   [B, H]
    return { state: [h], cache: [h] };
  }

  /** z_t = x_t W + h_{t-1} U + b, so ∂(x_t W + b) and ∂(h_{t-1} U) are both ∂z_t. */
  backward([dh]: tf.Tensor2D[], [h]: Cache): { dXW: tf.Tensor2D; dHU: tf.Tensor2D; dPrev: Array<tf.Tensor2D | null> } {
    const dz = tf.mul(dh, this.dφ!(h)) as tf.Tensor2D; //                      ∂z_t = ∂h_t ⊙ φ'(z_t)   [B, H]
    return { dXW: dz, dHU: dz, dPrev: [null] };
  }
}
