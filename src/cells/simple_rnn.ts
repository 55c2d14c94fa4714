/**
 * The SimpleRNN (Elman) cell. docs/equations.md#simplernn
 *
 *   h_t = φ(x_t W + h_{t-1} U + b)
 *
 * W: [D, H]  U: [H, H]  b: [H]   (x_t W + b is precomputed for all t)
 */
import { tf } from '../tf';
import { Cell, CellParams, dropped } from './cell';

export type SimpleRNNState = [h: tf.Tensor2D];

export class SimpleRNNCell implements Cell<SimpleRNNState> {
  constructor(private readonly p: CellParams) {}

  step(xW: tf.Tensor2D, [hPrev]: SimpleRNNState): SimpleRNNState {
    const { U, activation: φ, recurrentDropoutMask } = this.p;
    const z = tf.add(xW, tf.matMul(dropped(hPrev, recurrentDropoutMask), U)); // [B, H]
    const h = φ(z) as tf.Tensor2D; //                                          h_t = φ(x_t W + h_{t-1} U + b)
    return [h];
  }
}
