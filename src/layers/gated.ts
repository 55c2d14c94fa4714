/**
 * What LSTM and GRU share beyond the loop: the gate activation σ
 * (`recurrentActivation`, default 'sigmoid') of their cell (gated_cell.ts). docs/equations.md
 */
import type { CellArgs, CellLayer } from './cell_layer';
import { GatedCell } from './gated_cell';
import { RNNLayerArgs, RecurrentLayer } from './rnn';

/** The options of a gated layer: those of every recurrent layer and σ. */
export interface GatedRNNLayerArgs extends RNNLayerArgs {
  /** σ, the gate activation (default 'sigmoid'). */
  recurrentActivation?: string;
}

/** Base class of LSTM and GRU: a recurrent layer with gates σ(·) beside the candidate φ(·). */
export abstract class GatedRecurrentLayer extends RecurrentLayer {
  declare readonly cell: GatedCell;

  constructor(args: GatedRNNLayerArgs, makeCell: (cellArgs: CellArgs, owner: string) => CellLayer, extraKeys: readonly string[]) {
    super(args, makeCell, ['recurrentActivation', ...extraKeys]);
  }

  /** σ's name. */
  get recurrentActivationName(): string {
    return this.cell.recurrentActivationName;
  }
}
