/**
 * The layer base class that SimpleRNN, LSTM and GRU share: an RNN
 * (rnn_layer.ts: masking, initial and carried state, the paths of a call)
 * that makes its own cell from the layer's options, as Keras's LSTM is an RNN
 * of an LSTMCell. Its config is flat (the cell's options beside the loop's),
 * as Keras writes it; its weights are named without the cell's name
 * (`lstm/kernel`). docs/equations.md#the-loop
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { toSnakeCase } from '../naming';
import { activationsFromFile } from '../activations';
import { checkKeys, kerasNameOf } from './base';
import { CELL_KEYS, CellArgs, CellLayer } from './cell_layer';
import { RNN, RNNArgs } from './rnn_layer';
import { RNNLayerArgs, RNN_KEYS } from './rnn_args';

export type { RNNLayerArgs } from './rnn_args';

/**
 * Base class of SimpleRNN, LSTM and GRU: an {@link RNN} of the cell it makes
 * from its own options (units, activation, dropout, ...). Everything the
 * three share lives in RNN and in the cells (src/layers/cell_layer.ts).
 *
 * @example
 * ```ts
 * import { tf, RecurrentLayer, LSTM, GRU } from 'tfjs-recurrent';
 * const layers: RecurrentLayer[] = [new LSTM({ units: 3, returnState: true }), new GRU({ units: 3, returnState: true })];
 * for (const l of layers) {
 *   const [y, ...states] = l.apply(tf.ones([2, 4, 5])) as tf.Tensor[]; // y [2, 3]; states [h] or [h, c]
 * }
 * ```
 */
export abstract class RecurrentLayer extends RNN {
  declare readonly cell: CellLayer;

  /**
   * @param makeCell makes the layer's cell from the cell's options, errors speaking as `owner` (`LSTM`)
   * @param extraKeys the options the subclass adds (LSTM's unitForgetBias, ...), all the cell's
   */
  constructor(args: RNNLayerArgs, makeCell: (cellArgs: CellArgs, owner: string) => CellLayer, extraKeys: readonly string[] = []) {
    const kerasName = kerasNameOf(new.target);
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`${kerasName}: expects an options object such as { units: 32 }, got ${fmtValue(args)}`);
    }
    const known = [...RNN_KEYS, ...extraKeys];
    checkKeys(kerasName, args, known);
    const ofCell = new Set<string>([...CELL_KEYS, ...extraKeys]);
    const entries = Object.entries(args);
    // Keras names an LSTM's cell 'lstm_cell', a GRU's 'gru_cell': named, so no name counter moves.
    const cellArgs = { ...Object.fromEntries(entries.filter(([k]) => ofCell.has(k))), name: `${toSnakeCase(kerasName)}_cell` } as CellArgs;
    const cell = makeCell(cellArgs, kerasName);
    super({ ...Object.fromEntries(entries.filter(([k]) => !ofCell.has(k))), cell } as RNNArgs, known, true);
  }

  /** H, the size of the state and of the output. */
  get units(): number {
    return this.cell.units;
  }
  /** φ's name. */
  get activationName(): string {
    return this.cell.activationName;
  }
  get useBias(): boolean {
    return this.cell.useBias;
  }
  get dropout(): number {
    return this.cell.dropout;
  }
  get recurrentDropout(): number {
    return this.cell.recurrentDropout;
  }
  get seed(): number | undefined {
    return this.cell.seed;
  }

  /** The weights are named `lstm/kernel`, without the cell's name. */
  protected override cellScope(): string {
    return this.weightScope;
  }

  /** Keras-style config: every option under its camelCase name, the cell's beside the loop's. */
  override getConfig(): tf.serialization.ConfigDict {
    const own = { ...this.cell.getConfig() };
    for (const k of ['name', 'trainable', 'dtype', 'batchInputShape']) delete own[k];
    return { ...this.baseConfig(), ...own, ...this.loopConfig() };
  }

  /** From the flat config (RNN's own takes a `cell`). */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(activationsFromFile(config) as never);
  }
}
