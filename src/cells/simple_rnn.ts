/**
 * The SimpleRNN (Elman) cell. docs/equations.md#simplernn
 *
 *   h_t = φ(x_t W + h_{t-1} U + b)
 *
 * W: [D, H]  U: [H, H]  b: [H]   (x_t W + b is precomputed for all t)
 */
import { tf } from '../tf';
import { BPTTCell, Cache, CellParams, dropped } from './cell';

export type SimpleRNNState = [h: tf.Tensor2D];

export class SimpleRNNCell implements BPTTCell<SimpleRNNState> {
  /** dφ: φ' from φ's output, for the backward step. */
  constructor(readonly params: CellParams, private readonly dφ: ((y: tf.Tensor) => tf.Tensor) | null = null) {}

  forward(xW: tf.Tensor2D, state: SimpleRNNState): { state: SimpleRNNState; cache: Cache } {
    const [h] = this.step(xW, state);
    return { state: [h], cache: [h] };
  }

  /** ∂L/∂z_t = ∂L/∂h_t ⊙ φ'(z_t); z_t = x_t W + h_{t-1} U + b, so both ∂(xW) and ∂(hU) are ∂z. */
  backward([dh]: tf.Tensor2D[], [h]: Cache): { dXW: tf.Tensor2D; dHU: tf.Tensor2D; dPrev: Array<tf.Tensor2D | null> } {
    const dz = tf.mul(dh, this.dφ!(h)) as tf.Tensor2D; //   ∂L/∂z_t = ∂L/∂h_t ⊙ φ'(z_t)
    return { dXW: dz, dHU: dz, dPrev: [null] };
  }

  step(xW: tf.Tensor2D, [hPrev]: SimpleRNNState): SimpleRNNState {
    const { U, activation: φ, recurrentDropoutMask } = this.params;
    const z = tf.add(xW, tf.matMul(dropped(hPrev, recurrentDropoutMask), U)); // [B, H]
    const h = φ(z) as tf.Tensor2D; //                                          h_t = φ(x_t W + h_{t-1} U + b)
    return [h];
  }
}
