/**
 * A Keras-like Sequential model: the training machinery of tfjs-layers
 * (compile, fit, evaluate, predict, save) under Keras's names and Keras's
 * `summary()`.
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { uniqueName } from '../naming';
import { NS } from '../layers/base';
import { PrintFn, printSummary } from './summary';

export interface SequentialArgs {
  /** Layers to add, in order. */
  layers?: tf.layers.Layer[];
  /** Default: `sequential`, `sequential_1`, ... as Keras names them. */
  name?: string;
}

/**
 * A linear stack of layers.
 *
 * @example
 * ```ts
 * import { tf, Sequential, Embedding, LSTM, Dense } from 'tfjs-recurrent';
 * const model = new Sequential();
 * model.add(new Embedding({ inputDim: 1000, outputDim: 16 }));
 * model.add(new LSTM({ units: 32 }));
 * model.add(new Dense({ units: 1, activation: 'sigmoid' }));
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
 * model.summary();
 * ```
 */
export class Sequential extends tf.Sequential {
  static override className = NS + 'Sequential';

  constructor(args: SequentialArgs = {}) {
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`Sequential: expects an options object such as { name: 'model' }, got ${fmtValue(args)}`);
    }
    super({ ...args, name: args.name ?? uniqueName('sequential') });
  }

  override add(layer: tf.layers.Layer): void {
    if (!(layer instanceof tf.layers.Layer)) {
      throw new RecurrentConfigError(`Sequential.add: layer must be a Layer (e.g. new LSTM({ units: 32 })), got ${fmtValue(layer)}`);
    }
    if (this.layers.length === 0 && this.outputs.length === 0 && layer.batchInputShape == null && layer.inboundNodes.length === 0) {
      throw new RecurrentConfigError(
        `Sequential.add: the first layer needs an input shape: pass inputShape (e.g. { inputShape: [10, 8] }) or batchInputShape to ${layer.name}`,
      );
    }
    super.add(layer);
  }

  /**
   * Prints the model as tf.keras 2.x does, character for character.
   * @param lineLength Width of the table (default 65).
   * @param positions Column ends, as fractions of lineLength or in characters (default [0.45, 0.85, 1]).
   * @param printFn Where each line goes (default console.log).
   */
  override summary(lineLength?: number, positions?: number[], printFn: PrintFn = console.log): void {
    if (this.layers.length === 0) {
      throw new RecurrentConfigError(`summary: model '${this.name}' has no layers yet; add a layer with an input shape first`);
    }
    printSummary(this, lineLength, positions, printFn);
  }
}
tf.serialization.registerClass(Sequential);
