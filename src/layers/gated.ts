/**
 * What LSTM and GRU share beyond the loop: the gate activation σ
 * (`recurrentActivation`, default 'sigmoid') beside the candidate's φ
 * (`activation`), and from the pair the cell's backward pieces. docs/equations.md
 */
import { tf } from '../tf';
import { CellParams } from '../cells/cell';
import { Derivative, derivativeFromOutput } from '../activations';
import { ActivationFn, getActivation } from '../activations';
import { RNNLayerArgs, RecurrentLayer } from './rnn';

/** The options of a gated layer: those of every recurrent layer and σ. */
export interface GatedRNNLayerArgs extends RNNLayerArgs {
  /** σ, the gate activation (default 'sigmoid'). */
  recurrentActivation?: string;
}

/** Base class of LSTM and GRU: a recurrent layer with gates σ(·) beside the candidate φ(·). */
export abstract class GatedRecurrentLayer extends RecurrentLayer {
  readonly recurrentActivationName: string;
  protected readonly recurrentActivationFn: ActivationFn;

  constructor(args: GatedRNNLayerArgs, extraKeys: readonly string[]) {
    super(args, ['recurrentActivation', ...extraKeys]);
    [this.recurrentActivationName, this.recurrentActivationFn] = getActivation(
      this.kerasName,
      'recurrentActivation',
      args.recurrentActivation,
      'sigmoid',
    );
  }

  /** Whether φ and σ both have a derivative from their output, as the hand-written backward step needs. */
  protected activationsHaveDerivatives(): boolean {
    return derivativeFromOutput(this.activationName) !== null && derivativeFromOutput(this.recurrentActivationName) !== null;
  }

  /** What the cell is made of: U, φ, σ and the recurrent dropout mask; dφ and dσ for the backward step (null where there is none). */
  protected cellParts(rdm: tf.Tensor2D | undefined): { params: CellParams; dφ: Derivative | null; dσ: Derivative | null } {
    return {
      params: {
        U: this.recurrentKernel!.read() as tf.Tensor2D,
        activation: this.activationFn,
        recurrentActivation: this.recurrentActivationFn,
        recurrentDropoutMask: rdm,
      },
      dφ: derivativeFromOutput(this.activationName),
      dσ: derivativeFromOutput(this.recurrentActivationName),
    };
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName };
  }
}
