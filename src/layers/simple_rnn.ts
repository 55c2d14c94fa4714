/**
 * SimpleRNN: the Elman recurrent layer, h_t = φ(x_t W + h_{t-1} U + b).
 * docs/equations.md#simplernn
 */
import { tf } from '../tf';
import { SimpleRNNStep } from '../cells/simple_rnn';
import { derivativeFromOutput } from '../activations';
import { NS } from './base';
import { RNNLayerArgs, RecurrentLayer } from './rnn';
import type { KernelCell } from '../kernels/sequence';

/** Options of {@link SimpleRNN}: those every recurrent layer takes (units, activation, returnSequences, ...). */
export type SimpleRNNArgs = RNNLayerArgs;

/**
 * Fully-connected recurrent layer. Weights in Keras layout:
 * kernel W [D, H], recurrentKernel U [H, H], bias b [H].
 *
 * @example
 * ```ts
 * import { Sequential, Embedding, SimpleRNN } from 'tfjs-recurrent';
 * const model = new Sequential();
 * model.add(new Embedding({ inputDim: 10000, outputDim: 32 }));
 * model.add(new SimpleRNN({ units: 32 }));
 * model.summary(); // Total params: 322,080
 * ```
 */
export class SimpleRNN extends RecurrentLayer {
  static className = NS + 'SimpleRNN';
  protected readonly gates = 1;
  readonly stateSize = 1;

  constructor(args: SimpleRNNArgs) {
    super(args);
  }

  protected hasBPTT(): boolean {
    return derivativeFromOutput(this.activationName) !== null;
  }

  protected override kernelCell(): KernelCell {
    return { kind: 'simpleRNN', activation: this.activationName, recurrentActivation: 'linear' };
  }

  protected makeCell(rdm: tf.Tensor2D | undefined): SimpleRNNStep {
    return new SimpleRNNStep({
      U: this.recurrentKernel!.read() as tf.Tensor2D,
      activation: this.activationFn,
      recurrentActivation: this.activationFn,
      recurrentDropoutMask: rdm,
    }, derivativeFromOutput(this.activationName));
  }
}
tf.serialization.registerClass(SimpleRNN);
