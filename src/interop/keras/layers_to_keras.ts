/**
 * One of our layers as Keras 3 sees it: its config (`{ module, class_name,
 * config, registered_name }`, snake_case keys, Keras's class names) and its
 * weights in the order and nesting of Keras 3's `model.weights.h5`
 * (`vars/0, 1, ...` of the layer; an RNN's under `cell/`, Bidirectional's
 * under `forward_layer/` and `backward_layer/`). Only the settings that
 * change what the layer computes, or that Keras needs to train it on, are
 * written; the rest take Keras's defaults.
 */
import { tf } from '../../tf';
import { RecurrentConfigError } from '../../errors';
import { kerasClassName } from '../../layers/base';
import { RecurrentLayer } from '../../layers/rnn';
import { RNN } from '../../layers/rnn_layer';
import { CellLayer } from '../../layers/cell_layer';
import { GatedCell } from '../../layers/gated_cell';
import { LSTMCell } from '../../layers/lstm_cell';
import { GRUCell } from '../../layers/gru_cell';
import { StackedRNNCells } from '../../layers/stacked_rnn_cells';
import { RecurrentCell, cellClass } from '../../layers/recurrent_cell';
import { layerKeys } from '../model_graph';
import { CELL_PENALTIES, kerasPenalties } from './penalties_to_keras';
import { DTYPE_POLICY, KerasJson, KerasWeights, kerasInitializer, wrap } from './keras_json';
import { LSTM } from '../../layers/lstm';
import { GRU } from '../../layers/gru';
import { GatedRecurrentLayer } from '../../layers/gated';
import { Bidirectional } from '../../layers/bidirectional';
import { Embedding } from '../../layers/embedding';
import { EmbeddingBag } from '../../layers/embedding_bag';
import { Dense } from '../../layers/dense';
import { Dropout } from '../../layers/dropout';
import { GlobalAveragePooling1D, GlobalMaxPooling1D } from '../../layers/pooling';
import { Masking } from '../../layers/masking';
import { TimeDistributed } from '../../layers/time_distributed';

export const SUPPORTED_KERAS = 'Embedding, EmbeddingBag, WordCountLogit, Masking, SimpleRNN, LSTM, GRU, RNN, Bidirectional, Dense, TimeDistributed, Dropout, GlobalMaxPooling1D, GlobalAveragePooling1D, Concatenate, Add, Activation';

/** Our activation names that Keras 3 spells otherwise (none today: swish, hard_sigmoid and the rest are Keras 3's). */
const activationName = (name: string) => name;


function base(layer: tf.layers.Layer, name = layer.name): KerasJson {
  return { name, trainable: layer.trainable, dtype: DTYPE_POLICY };
}

/** A SimpleRNN, LSTM or GRU: its config under `name`. */
function recurrentConfig(layer: RecurrentLayer, name: string, who: string): KerasJson {
  const cfg = layer.getConfig();
  const c: KerasJson = {
    ...base(layer, name),
    return_sequences: layer.returnSequences,
    return_state: layer.returnState,
    go_backwards: layer.goBackwards,
    stateful: layer.stateful,
    unroll: layer.unroll,
    zero_output_for_mask: layer.zeroOutputForMask,
    units: layer.units,
    activation: activationName(layer.activationName),
    use_bias: layer.useBias,
    kernel_initializer: kerasInitializer(cfg.kernelInitializer, 'GlorotUniform'),
    recurrent_initializer: kerasInitializer(cfg.recurrentInitializer, 'Orthogonal'),
    bias_initializer: kerasInitializer(cfg.biasInitializer, 'Zeros'),
    dropout: layer.dropout,
    recurrent_dropout: layer.recurrentDropout,
    seed: layer.seed ?? null,
    ...kerasPenalties(cfg, [...CELL_PENALTIES, 'activityRegularizer'], who, name),
  };
  if (layer instanceof GatedRecurrentLayer) c.recurrent_activation = activationName(layer.recurrentActivationName);
  if (layer instanceof LSTM) c.unit_forget_bias = layer.unitForgetBias;
  if (layer instanceof GRU) c.reset_after = layer.resetAfter;
  return wrap(kerasClassName(layer), c);
}

/** A recurrent layer's weights: kernel, recurrent_kernel, bias, held by its cell. */
const recurrentWeights = (layer: RecurrentLayer): KerasWeights => ({ vars: [], children: { cell: { vars: layer.getWeights() } } });

/** Keras's config of our cell (SimpleRNNCell, LSTMCell, GRUCell) or of a StackedRNNCells of them; a user's cell has none. */
function cellConfig(cell: RecurrentCell, owner: string, who: string): KerasJson {
  if (cell instanceof StackedRNNCells) return wrap('StackedRNNCells', { ...base(cell), cells: cell.cells.map((c) => cellConfig(c, owner, who)) });
  if (!(cell instanceof CellLayer)) {
    throw new RecurrentConfigError(`${who}: layer '${owner}' (RNN) runs a cell of its own (${cellClass(cell)}), which Keras cannot rebuild; Keras writes RNNs of SimpleRNNCell, LSTMCell, GRUCell and StackedRNNCells`);
  }
  const cfg = cell.getConfig();
  const c: KerasJson = {
    ...base(cell),
    units: cell.units,
    activation: activationName(cell.activationName),
    use_bias: cell.useBias,
    kernel_initializer: kerasInitializer(cfg.kernelInitializer, 'GlorotUniform'),
    recurrent_initializer: kerasInitializer(cfg.recurrentInitializer, 'Orthogonal'),
    bias_initializer: kerasInitializer(cfg.biasInitializer, 'Zeros'),
    dropout: cell.dropout,
    recurrent_dropout: cell.recurrentDropout,
    seed: cell.seed ?? null,
    ...kerasPenalties(cfg, CELL_PENALTIES, who, cell.name),
  };
  if (cell instanceof GatedCell) c.recurrent_activation = activationName(cell.recurrentActivationName);
  if (cell instanceof LSTMCell) c.unit_forget_bias = cell.unitForgetBias;
  if (cell instanceof GRUCell) c.reset_after = cell.resetAfter;
  return wrap(kerasClassName(cell), c);
}

/** A cell's weights as Keras nests them: a stack's under `cells/<cell key>/`, keyed by class as Keras keys a list. */
function cellWeightsOf(cell: RecurrentCell): KerasWeights {
  if (!(cell instanceof StackedRNNCells)) return { vars: (cell as CellLayer).getWeights() };
  const keys = layerKeys(cell.cells.map(cellClass));
  return { vars: [], children: { cells: { vars: [], children: Object.fromEntries(cell.cells.map((c, i) => [keys[i], cellWeightsOf(c)])) } } };
}

/** A layer Bidirectional wraps, or an RNN of cells: its config under `name` and its weights (held by its cell). */
function rnnLayer(layer: RNN, name: string, who: string): { config: KerasJson; weights: KerasWeights } {
  if (layer instanceof RecurrentLayer) return { config: recurrentConfig(layer, name, who), weights: recurrentWeights(layer) };
  const config = wrap('RNN', {
    ...base(layer, name),
    return_sequences: layer.returnSequences, return_state: layer.returnState, go_backwards: layer.goBackwards, stateful: layer.stateful,
    unroll: layer.unroll, zero_output_for_mask: layer.zeroOutputForMask,
    cell: cellConfig(layer.cell, name, who),
    ...kerasPenalties(layer.getConfig(), ['activityRegularizer'], who, name, true),
  });
  return { config, weights: { vars: [], children: { cell: cellWeightsOf(layer.cell) } } };
}

/** The Keras 3 config of a layer (without the functional `name` / `inbound_nodes`) and its weights; `who` starts the errors. */
export function kerasLayer(layer: tf.layers.Layer, who: string): { config: KerasJson; weights: KerasWeights } {
  const cls = kerasClassName(layer);
  if (layer instanceof EmbeddingBag || cls === 'WordCountLogit') {
    throw new RecurrentConfigError(`${who}: layer '${layer.name}' (${cls}) is written as several Keras layers (bags_to_keras.ts), not as one`);
  }
  if (layer instanceof RNN) return rnnLayer(layer, layer.name, who);
  if (layer instanceof Bidirectional) {
    const [fw, bw] = [rnnLayer(layer.forwardLayer, layer.forwardLayer.name, who), rnnLayer(layer.backwardLayer, layer.backwardLayer.name, who)];
    const config = wrap('Bidirectional', {
      ...base(layer), merge_mode: layer.mergeMode, layer: fw.config, backward_layer: bw.config,
      ...kerasPenalties(layer.getConfig(), ['activityRegularizer'], who, layer.name, true),
    });
    const children = { forward_layer: fw.weights, backward_layer: bw.weights };
    return { config, weights: { vars: [], children } };
  }
  if (layer instanceof Embedding) {
    const cfg = layer.getConfig();
    const config = wrap('Embedding', {
      ...base(layer), input_dim: layer.inputDim, output_dim: layer.outputDim, mask_zero: layer.maskZero,
      embeddings_initializer: kerasInitializer(cfg.embeddingsInitializer, 'RandomUniform'),
      ...kerasPenalties(cfg, ['embeddingsRegularizer', 'embeddingsConstraint', 'activityRegularizer'], who, layer.name),
    });
    return { config, weights: { vars: layer.getWeights() } };
  }
  if (layer instanceof Dense) {
    const cfg = layer.getConfig();
    const config = wrap('Dense', {
      ...base(layer), units: layer.units, activation: activationName(layer.activationName), use_bias: layer.useBias,
      kernel_initializer: kerasInitializer(cfg.kernelInitializer, 'GlorotUniform'), bias_initializer: kerasInitializer(cfg.biasInitializer, 'Zeros'),
      ...kerasPenalties(cfg, ['kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint', 'activityRegularizer'], who, layer.name),
    });
    return { config, weights: { vars: layer.getWeights() } };
  }
  if (layer instanceof Dropout) {
    return { config: wrap('Dropout', { ...base(layer), rate: layer.rate, seed: layer.seed ?? null, noise_shape: layer.noiseShape ?? null }), weights: { vars: [] } };
  }
  if (layer instanceof GlobalMaxPooling1D || layer instanceof GlobalAveragePooling1D) {
    return { config: wrap(cls, { ...base(layer), data_format: 'channels_last', keepdims: false }), weights: { vars: [] } };
  }
  if (layer instanceof Masking) return { config: wrap('Masking', { ...base(layer), mask_value: layer.maskValue }), weights: { vars: [] } };
  if (layer instanceof TimeDistributed) {
    const inner = kerasLayer(layer.layer, who);
    const activity = kerasPenalties(layer.getConfig(), ['activityRegularizer'], who, layer.name, true);
    return { config: wrap('TimeDistributed', { ...base(layer), layer: inner.config, ...activity }), weights: { vars: [], children: { layer: inner.weights } } };
  }
  if (layer.getClassName() === 'Add') return { config: wrap('Add', base(layer)), weights: { vars: [] } };
  if (layer.getClassName() === 'Activation') {
    return { config: wrap('Activation', { ...base(layer), activation: activationName(String(layer.getConfig().activation)) }), weights: { vars: [] } };
  }
  if (layer.getClassName() === 'Concatenate') {
    return { config: wrap('Concatenate', { ...base(layer), axis: layer.getConfig().axis ?? -1 }), weights: { vars: [] } };
  }
  throw new RecurrentConfigError(`${who}: layer '${layer.name}' (${cls}) has no Keras counterpart here; Keras writes ${SUPPORTED_KERAS}`);
}
