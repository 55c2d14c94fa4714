/**
 * Our regularizers and constraints as Keras 3 writes them in a layer's
 * config: `kernel_regularizer: { module: 'keras.regularizers', class_name:
 * 'L2', config: { l2: 0.01 }, registered_name: null }`, the config's keys in
 * snake_case (`MaxNorm`'s `max_value`), null where none is set. A class of
 * one's own (a subclass of Regularizer or Constraint) is an error naming the
 * layer and the option: Keras could not rebuild it.
 */
import { tf } from '../../tf';
import { RecurrentConfigError } from '../../errors';
import { toSnakeCase } from '../../naming';
import type { KerasJson } from './keras_json';

const KERAS: Record<string, { module: string; classes: string[] }> = {
  Regularizer: { module: 'keras.regularizers', classes: ['L1', 'L2', 'L1L2'] },
  Constraint: { module: 'keras.constraints', classes: ['MaxNorm', 'NonNeg', 'UnitNorm', 'MinMaxNorm'] },
};

/** The regularizer and constraint options of a cell's weights (a recurrent layer's, an RNN's cells'). */
export const CELL_PENALTIES = ['kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint'];

/**
 * `options` (our camelCase names) of `config` (the layer's own `getConfig()`)
 * under Keras's names with Keras's values: each one set, and, unless
 * `onlySet`, null for each one not set (as Keras's own layers write them).
 */
export function kerasPenalties(config: tf.serialization.ConfigDict, options: readonly string[], who: string, layer: string, onlySet = false): KerasJson {
  const out: KerasJson = {};
  for (const option of options) {
    const value = config[option] as { className: string; config: Record<string, unknown> } | null | undefined;
    const key = toSnakeCase(option);
    if (value == null) {
      if (!onlySet) out[key] = null;
      continue;
    }
    const kind = KERAS[option.endsWith('Regularizer') ? 'Regularizer' : 'Constraint'];
    if (!kind.classes.includes(value.className)) {
      throw new RecurrentConfigError(
        `${who}: layer '${layer}' has ${option} ${value.className}, which Keras 3 does not know; it writes ${kind.classes.join(', ')}`,
      );
    }
    out[key] = {
      module: kind.module, class_name: value.className, registered_name: null,
      config: Object.fromEntries(Object.entries(value.config).map(([k, v]) => [toSnakeCase(k), v])),
    };
  }
  return out;
}
