/**
 * From a Keras layer config (`{ class_name, config }` with snake_case keys, as
 * tf.keras 2.x and Keras 3 write them) to a layer of this package. One table
 * per class says which Keras keys it reads and under which option name (the
 * regularizers and constraints too, read as ours: src/regularizers.ts,
 * src/constraints.ts); keys that change nothing here (`implementation`) are
 * ignored, and anything else is an error that names the layer and the key.
 */
import { tf } from '../../tf';
import { RecurrentConfigError, RecurrentInputError, fmtValue } from '../../errors';
import { SimpleRNN } from '../../layers/simple_rnn';
import { LSTM } from '../../layers/lstm';
import { GRU } from '../../layers/gru';
import { Bidirectional, MergeMode } from '../../layers/bidirectional';
import { Embedding } from '../../layers/embedding';
import { Dense } from '../../layers/dense';
import { Dropout } from '../../layers/dropout';
import { GlobalAveragePooling1D, GlobalMaxPooling1D } from '../../layers/pooling';
import { NS } from '../../layers/base';
import { Masking } from '../../layers/masking';
import { TimeDistributed } from '../../layers/time_distributed';
import { RNN } from '../../layers/rnn_layer';
import { StackedRNNCells } from '../../layers/stacked_rnn_cells';
import { SimpleRNNCell } from '../../layers/simple_rnn_cell';
import { LSTMCell } from '../../layers/lstm_cell';
import { GRUCell } from '../../layers/gru_cell';
import type { RecurrentCell } from '../../layers/recurrent_cell';

/** `{ class_name, config }`, and Keras 3's `module` / `registered_name` beside them. */
export interface KerasObject {
  class_name: string;
  config: Record<string, unknown>;
  [key: string]: unknown;
}

export type Warn = (message: string) => void;

/** The Keras classes `loadKerasModel` can build. */
export const SUPPORTED_CLASSES = [
  'Embedding', 'SimpleRNN', 'LSTM', 'GRU', 'Bidirectional', 'Dense', 'Dropout', 'GlobalMaxPooling1D', 'GlobalAveragePooling1D',
  'Concatenate', 'Add', 'Activation', 'Masking', 'TimeDistributed', 'RNN',
];

/** Keys every layer config may carry; handled by the caller or meaningless here. */
const COMMON = ['name', 'trainable', 'dtype', 'batch_input_shape', 'batch_shape', 'batch_size', 'input_shape'];
/** The regularizers and constraints of a cell's weights (a recurrent layer's, an RNN's cells'). */
const CELL_PENALTIES: Record<string, string> = {
  kernel_regularizer: 'kernelRegularizer', recurrent_regularizer: 'recurrentRegularizer', bias_regularizer: 'biasRegularizer',
  kernel_constraint: 'kernelConstraint', recurrent_constraint: 'recurrentConstraint', bias_constraint: 'biasConstraint',
};
const ACTIVITY: Record<string, string> = { activity_regularizer: 'activityRegularizer' };
/** Change how Keras computes, not what: the kernel `implementation`, Keras 3's cuDNN switch (`unroll` is kept, as Keras keeps it). */
const NO_EFFECT = ['implementation', 'use_cudnn'];

/** Keras key → our option, per class. */
const RNN_KEYS: Record<string, string> = {
  units: 'units', activation: 'activation', use_bias: 'useBias',
  kernel_initializer: 'kernelInitializer', recurrent_initializer: 'recurrentInitializer', bias_initializer: 'biasInitializer',
  dropout: 'dropout', recurrent_dropout: 'recurrentDropout', return_sequences: 'returnSequences', return_state: 'returnState',
  go_backwards: 'goBackwards', stateful: 'stateful', zero_output_for_mask: 'zeroOutputForMask', seed: 'seed', unroll: 'unroll',
  ...CELL_PENALTIES, ...ACTIVITY,
};
/** A cell's keys (an RNN's cell: SimpleRNNCell, LSTMCell, GRUCell). */
const CELL_KEYS: Record<string, string> = {
  units: 'units', activation: 'activation', use_bias: 'useBias', kernel_initializer: 'kernelInitializer',
  recurrent_initializer: 'recurrentInitializer', bias_initializer: 'biasInitializer', dropout: 'dropout', recurrent_dropout: 'recurrentDropout', seed: 'seed',
  ...CELL_PENALTIES, ...ACTIVITY, // (an activity regularizer on a cell is refused by the cell, naming the RNN it belongs on)
};
const KEYS: Record<string, Record<string, string>> = {
  SimpleRNN: RNN_KEYS,
  LSTM: { ...RNN_KEYS, recurrent_activation: 'recurrentActivation', unit_forget_bias: 'unitForgetBias' },
  GRU: { ...RNN_KEYS, recurrent_activation: 'recurrentActivation', reset_after: 'resetAfter' },
  Embedding: {
    input_dim: 'inputDim', output_dim: 'outputDim', embeddings_initializer: 'embeddingsInitializer',
    mask_zero: 'maskZero', input_length: 'inputLength', embeddings_regularizer: 'embeddingsRegularizer', embeddings_constraint: 'embeddingsConstraint', ...ACTIVITY,
  },
  Dense: {
    units: 'units', activation: 'activation', use_bias: 'useBias', kernel_initializer: 'kernelInitializer', bias_initializer: 'biasInitializer',
    kernel_regularizer: 'kernelRegularizer', bias_regularizer: 'biasRegularizer', kernel_constraint: 'kernelConstraint', bias_constraint: 'biasConstraint', ...ACTIVITY,
  },
  Dropout: { rate: 'rate', noise_shape: 'noiseShape', seed: 'seed' },
  SimpleRNNCell: CELL_KEYS,
  LSTMCell: { ...CELL_KEYS, recurrent_activation: 'recurrentActivation', unit_forget_bias: 'unitForgetBias' },
  GRUCell: { ...CELL_KEYS, recurrent_activation: 'recurrentActivation', reset_after: 'resetAfter' },
  Bidirectional: { merge_mode: 'mergeMode', ...ACTIVITY },
  RNN: {
    return_sequences: 'returnSequences', return_state: 'returnState', go_backwards: 'goBackwards', stateful: 'stateful',
    zero_output_for_mask: 'zeroOutputForMask', unroll: 'unroll', ...ACTIVITY,
  },
  GlobalMaxPooling1D: {},
  GlobalAveragePooling1D: {},
  Masking: { mask_value: 'maskValue' },
  TimeDistributed: { ...ACTIVITY },
  Concatenate: { axis: 'axis' },
  Add: {},
  Activation: { activation: 'activation' },
};

/** Activations tfjs-layers' Activation layer computes as Keras does (its hard_sigmoid, gelu, ... differ or are missing). */
const TFJS_ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'softplus', 'softsign', 'elu', 'selu'];
/** Keys whose value must be the Keras default here: what we would compute otherwise differs. */
const MUST_BE: Record<string, unknown> = {
  time_major: false, sparse: false, lora_rank: null, quantization_config: null, data_format: 'channels_last', keepdims: false, ragged: false,
};

const CTORS: Record<string, new (args: never) => tf.layers.Layer> = {
  SimpleRNN: SimpleRNN as never, LSTM: LSTM as never, GRU: GRU as never, Embedding: Embedding as never, Dense: Dense as never,
  Dropout: Dropout as never, GlobalMaxPooling1D: GlobalMaxPooling1D as never, GlobalAveragePooling1D: GlobalAveragePooling1D as never,
  Masking: Masking as never, SimpleRNNCell: SimpleRNNCell as never, LSTMCell: LSTMCell as never, GRUCell: GRUCell as never,
};
/** tfjs-layers' own layers, for Keras's merge and Activation layers. */
const TFJS: Record<string, (args: never) => tf.layers.Layer> = {
  Concatenate: tf.layers.concatenate as never, Add: tf.layers.add as never, Activation: tf.layers.activation as never,
};

/** Keras's activation names that differ from ours. */
const ACTIVATION_ALIASES: Record<string, string> = { silu: 'swish' };

/** The class name without our `tfjs-recurrent>` prefix (a model this package saved). */
export function kerasClass(obj: KerasObject): string {
  const c = obj?.class_name;
  if (typeof c !== 'string') throw new RecurrentInputError(`loadKerasModel: a layer or model config has no class_name string, got ${fmtValue(c)}`);
  return c.startsWith(NS) ? c.slice(NS.length) : c;
}

/** `'float32'`, or Keras 3's `{ class_name: 'DTypePolicy', config: { name: 'float32' } }`. */
export function dtypeName(dtype: unknown): string | undefined {
  if (typeof dtype === 'string') return dtype;
  if (dtype && typeof dtype === 'object') {
    const name = (dtype as KerasObject).config?.name;
    if (typeof name === 'string') return name;
  }
  return undefined;
}

/**
 * A Keras initializer, regularizer or constraint `{ class_name, config }` (with Keras 3's `module`, `registered_name`)
 * as our `{ className, config }` (snake_case config keys kept: ours reads the same names).
 */
function kerasObject(value: unknown): unknown {
  if (value && typeof value === 'object' && typeof (value as KerasObject).class_name === 'string') {
    const { class_name, config } = value as KerasObject;
    return { className: class_name, config: { ...(config ?? {}) } };
  }
  return value;
}

/**
 * Our option value for a Keras value. 'hard_sigmoid' in a file of Keras 3 (a .keras file, or a keras_version
 * 3.x) is Keras 3's, as ours: relu6(x + 3) / 6; in any other it is refused rather than guessed, since Keras 2
 * (and tfjs-layers) compute clip(0.2 x + 0.5, 0, 1).
 */
function convert(key: string, value: unknown, where: string, keras3: boolean): unknown {
  if (key.endsWith('_initializer') || key.endsWith('_regularizer') || key.endsWith('_constraint')) return kerasObject(value);
  if ((key === 'activation' || key === 'recurrent_activation') && typeof value === 'string') {
    if (value === 'hard_sigmoid' && !keras3) {
      throw new RecurrentConfigError(`${where}: ${key} 'hard_sigmoid' is refused: Keras 2 computes clip(0.2x + 0.5, 0, 1), Keras 3 (and tfjs-recurrent) relu6(x + 3) / 6`);
    }
    return ACTIVATION_ALIASES[value] ?? value;
  }
  return value;
}

/** `[null, 7]` from Keras's `batch_input_shape` (2.x) or `batch_shape` (3). */
export function batchShapeOf(config: Record<string, unknown>): Array<number | null> | undefined {
  const s = config.batch_input_shape ?? config.batch_shape;
  return Array.isArray(s) ? (s as Array<number | null>) : undefined;
}

/**
 * Builds our layer for one Keras layer config. `batchInputShape` carries a Sequential's InputLayer shape to
 * its first layer; `keras3` says the file is Keras 3's (see `convert`).
 */
export function layerFromKeras(obj: KerasObject, warn: Warn, batchInputShape?: Array<number | null>, keras3 = false): tf.layers.Layer {
  const cls = kerasClass(obj);
  const config = obj.config ?? {};
  const name = typeof config.name === 'string' ? config.name : undefined;
  const where = `loadKerasModel: layer '${name ?? '?'}' (${cls})`;
  const keys = Object.prototype.hasOwnProperty.call(KEYS, cls) ? KEYS[cls] : undefined; // not 'toString', '__proto__', ...
  if (keys == null) {
    throw new RecurrentConfigError(
      `loadKerasModel: layer '${name ?? '?'}' has class ${cls}, which tfjs-recurrent cannot build; supported: ${SUPPORTED_CLASSES.join(', ')} (and InputLayer)`,
    );
  }
  const args: Record<string, unknown> = { name };
  if (config.trainable === false) args.trainable = false;
  const dtype = dtypeName(config.dtype);
  if (dtype != null && dtype !== 'float32' && cls !== 'Embedding') {
    throw new RecurrentConfigError(`${where}: dtype must be float32, got ${fmtValue(dtype)}`);
  }
  const shape = batchInputShape ?? batchShapeOf(config);
  if (shape != null) args.batchInputShape = shape;
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(config)) {
    if (COMMON.includes(k) || NO_EFFECT.includes(k) || (cls === 'Bidirectional' && (k === 'layer' || k === 'backward_layer'))) continue;
    if ((cls === 'TimeDistributed' && k === 'layer') || (cls === 'RNN' && k === 'cell')) continue;
    if (Object.prototype.hasOwnProperty.call(keys, k)) {
      if (v !== null || k === 'merge_mode') args[keys[k]] = convert(k, v, where, keras3);
    } else if (k === 'activity_regularizer' && v == null) {
      // Keras's base layer config: none set on a layer that takes none here.
    } else if (Object.prototype.hasOwnProperty.call(MUST_BE, k)) {
      if (v !== undefined && v !== MUST_BE[k] && !(MUST_BE[k] === null && v == null)) {
        throw new RecurrentConfigError(`${where}: ${k} must be ${fmtValue(MUST_BE[k])} here, got ${fmtValue(v)}`);
      }
    } else {
      unknown.push(k);
    }
  }
  if (unknown.length > 0) {
    throw new RecurrentConfigError(`${where}: unsupported config key(s) ${unknown.map((k) => `'${k}'`).join(', ')}`);
  }
  if (cls === 'Activation' && !TFJS_ACTIVATIONS.includes(String(args.activation))) {
    throw new RecurrentConfigError(`${where}: activation ${fmtValue(args.activation)} is not built here; an Activation layer takes ${TFJS_ACTIVATIONS.join(', ')}`);
  }
  try {
    if (cls === 'Bidirectional') return bidirectional(config, args, warn, keras3);
    if (cls === 'TimeDistributed') {
      const inner = config.layer as KerasObject | undefined;
      if (inner == null || typeof inner !== 'object') throw new RecurrentConfigError(`${where}: has no 'layer' in its config`);
      return new TimeDistributed({ ...(args as object), layer: layerFromKeras(inner, warn, undefined, keras3) });
    }
    if (cls === 'RNN') return new RNN({ ...(args as object), cell: rnnCell(config.cell, where, warn, keras3) });
    if (Object.prototype.hasOwnProperty.call(TFJS, cls)) return TFJS[cls](args as never);
    return new CTORS[cls](args as never);
  } catch (e) {
    if (e instanceof RecurrentConfigError && !e.message.startsWith('loadKerasModel')) {
      throw new RecurrentConfigError(`${where}: ${e.message}`);
    }
    throw e;
  }
}

/** An RNN's cell: SimpleRNNCell, LSTMCell, GRUCell (their keys read as a layer's), or a StackedRNNCells of them. */
function rnnCell(spec: unknown, where: string, warn: Warn, keras3: boolean): RecurrentCell {
  const obj = spec as KerasObject | null;
  if (obj == null || typeof obj !== 'object') throw new RecurrentConfigError(`${where}: has no 'cell' in its config`);
  const cls = kerasClass(obj);
  if (cls === 'StackedRNNCells') {
    const cells = obj.config?.cells;
    if (!Array.isArray(cells)) throw new RecurrentConfigError(`${where}: its StackedRNNCells has no list of cells, got ${fmtValue(cells)}`);
    const name = typeof obj.config.name === 'string' ? obj.config.name : undefined;
    return new StackedRNNCells({ name, cells: cells.map((c) => rnnCell(c, where, warn, keras3)) });
  }
  if (cls !== 'SimpleRNNCell' && cls !== 'LSTMCell' && cls !== 'GRUCell') {
    throw new RecurrentConfigError(`${where}: its cell has class ${cls}, which tfjs-recurrent cannot build; supported: SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells`);
  }
  return layerFromKeras(obj, warn, undefined, keras3) as unknown as RecurrentCell;
}

function bidirectional(config: Record<string, unknown>, args: Record<string, unknown>, warn: Warn, keras3: boolean): tf.layers.Layer {
  const inner = (key: string): RNN | undefined => {
    const obj = config[key] as KerasObject | undefined | null;
    if (obj == null) return undefined;
    // Keras 3 serializes the wrapped layers under their inner names (`forward_gru`); ours adds the prefix itself.
    const name = obj.config?.name;
    const bare = typeof name === 'string' ? name.replace(/^(forward|backward)_/, '') : name;
    const layer = layerFromKeras({ ...obj, config: { ...obj.config, name: bare } }, warn, undefined, keras3);
    if (!(layer instanceof RNN)) {
      throw new RecurrentConfigError(`loadKerasModel: Bidirectional '${String(config.name)}' wraps a ${kerasClass(obj)}; expected SimpleRNN, LSTM, GRU or RNN`);
    }
    return layer;
  };
  const layer = inner('layer');
  if (layer == null) throw new RecurrentConfigError(`loadKerasModel: Bidirectional '${String(config.name)}' has no 'layer' in its config`);
  return new Bidirectional({ ...(args as object), layer, backwardLayer: inner('backward_layer'), mergeMode: args.mergeMode as MergeMode });
}
