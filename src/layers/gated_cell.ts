/**
 * What LSTMCell and GRUCell share beyond the base cell: the gate activation σ
 * (`recurrentActivation`, default 'sigmoid') beside the candidate's φ
 * (`activation`), and from the pair the step's backward pieces. docs/equations.md
 */
import { tf } from '../tf';
import type { CellParams } from '../cells/cell';
import { ActivationFn, Derivative, derivativeFromOutput, getActivation } from '../activations';
import { CellArgs, CellLayer } from './cell_layer';

/** The options of a gated cell: those of every cell and σ. */
export interface GatedCellArgs extends CellArgs {
  /** σ, the gate activation (default 'sigmoid'). */
  recurrentActivation?: string;
}

/**
 * Base class of LSTMCell and GRUCell: a cell with gates σ(·) beside the candidate φ(·).
 *
 * @example
 * ```ts
 * import { GatedCell, LSTMCell, GRUCell } from 'tfjs-recurrent';
 * const cells: GatedCell[] = [new LSTMCell({ units: 4 }), new GRUCell({ units: 4, recurrentActivation: 'hard_sigmoid' })];
 * cells.map((c) => c.recurrentActivationName); // ['sigmoid', 'hard_sigmoid']
 * ```
 */
export abstract class GatedCell extends CellLayer {
  readonly recurrentActivationName: string;
  protected readonly recurrentActivationFn: ActivationFn;

  constructor(args: GatedCellArgs, extraKeys: readonly string[], owner?: string) {
    super(args, ['recurrentActivation', ...extraKeys], owner);
    [this.recurrentActivationName, this.recurrentActivationFn] = getActivation(this.owner, 'recurrentActivation', args.recurrentActivation, 'sigmoid');
  }

  /** Whether φ and σ both have a derivative from their output, as the hand-written backward step needs. */
  protected activationsHaveDerivatives(): boolean {
    return derivativeFromOutput(this.activationName) !== null && derivativeFromOutput(this.recurrentActivationName) !== null;
  }

  /** What the step is made of: U, φ, σ and the recurrent dropout mask; dφ and dσ for the backward step (null where there is none). */
  protected stepParts(rdm: tf.Tensor2D | undefined): { params: CellParams; dφ: Derivative | null; dσ: Derivative | null } {
    return {
      params: { U: this.recurrentKernelValue(), activation: this.activationFn, recurrentActivation: this.recurrentActivationFn, recurrentDropoutMask: rdm },
      dφ: derivativeFromOutput(this.activationName),
      dσ: derivativeFromOutput(this.recurrentActivationName),
    };
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName };
  }
}
