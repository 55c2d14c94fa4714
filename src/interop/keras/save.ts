/**
 * A model as a Keras 3 `.keras` file: a zip of `config.json` (the model's
 * config as Keras 3 writes it: Keras's class names, snake_case keys,
 * `__keras_tensor__` inbound nodes), `metadata.json` and `model.weights.h5`
 * (weights_h5.ts), so that `keras.saving.load_model('model.keras')` in Python
 * builds the same architecture with the same weights.
 */
import { strToU8, zipSync } from 'fflate';
import { tf } from '../../tf';
import { ExportFileOptions, FileFormat, writeExportFile } from '../write_file';
import { RecurrentConfigError, fmtValue } from '../../errors';
import { EmbeddingBag } from '../../layers/embedding_bag';
import { GlobalAveragePooling1D } from '../../layers/pooling';
import { WordCountLogit } from '../../sentiment/wide';
import { kerasLayer } from './layers_to_keras';
import { DTYPE_POLICY, KerasJson, KerasWeights } from './keras_json';
import { KerasGraph, KerasTensor } from './graph';
import { embeddingBagToKeras, maskedMeanToKeras, wordCountLogitToKeras } from './bags_to_keras';
import { kerasWeightsH5 } from './weights_h5';
import { modelCalls, readsIds, tensorKey } from '../model_graph';

/** The Keras version whose `.keras` format this follows, and with which it is tested (test/reference/make_keras_export.py). */
export const KERAS_FORMAT_VERSION = '3.15.1';


/** Layers written as several Keras layers: a model with one is written as a functional model. */
const isExpanded = (l: tf.layers.Layer) => l instanceof EmbeddingBag || l instanceof WordCountLogit;

/** A value of the model as the Keras graph has it; after an EmbeddingBag, also its padded form (bags_to_keras.ts). */
interface Value {
  t: KerasTensor;
  padded?: KerasTensor;
}

/** The Keras 3 `config.json` of a model and, in Keras's layer order, each layer's weights. */
export function kerasModelConfig(model: tf.LayersModel): { config: KerasJson; layers: Array<{ className: string; name: string; weights: KerasWeights }> } {
  const who = 'saveKeras';
  const { inputs, outputs, calls } = modelCalls(model, who);
  if (new Set(calls.map((c) => c.layer.name)).size !== calls.length) {
    throw new RecurrentConfigError(`${who}: model '${model.name}' calls a layer more than once (a shared layer), which this export does not write`);
  }
  // An input read only by layers of ids is int32, as Keras's Input(dtype='int32').
  const dtypeOf = (t: tf.SymbolicTensor): 'int32' | 'float32' => {
    const readers = calls.filter((c) => c.inputs.some((i) => tensorKey(i) === tensorKey(t)));
    return readers.length > 0 && readers.every((c) => readsIds(c.layer)) ? 'int32' : 'float32';
  };
  const inputLayer = (t: tf.SymbolicTensor): KerasJson => ({
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: { batch_shape: t.shape, dtype: dtypeOf(t), sparse: false, ragged: false, name: t.sourceLayer.name },
    registered_name: null,
  });
  if (model instanceof tf.Sequential && !calls.some((c) => isExpanded(c.layer))) {
    const exported = calls.map((c) => kerasLayer(c.layer, who));
    const layers = exported.map((e, i) => ({ className: e.config.class_name as string, name: calls[i].layer.name, weights: e.weights }));
    const shape = inputs[0].shape;
    const config: KerasJson = {
      module: 'keras',
      class_name: 'Sequential',
      config: { name: model.name, trainable: true, dtype: DTYPE_POLICY, layers: [inputLayer(inputs[0]), ...exported.map((e) => e.config)], build_input_shape: shape },
      registered_name: null,
      build_config: { input_shape: shape },
    };
    return { config, layers };
  }
  // Functional (a Sequential with a layer written as several is written as one too).
  const g = new KerasGraph(model.layers.map((l) => l.name));
  const values = new Map<string, Value>();
  for (const t of inputs) {
    const dtype = dtypeOf(t);
    values.set(tensorKey(t), { t: g.add(inputLayer(t), { vars: [] }, [], [t.shape], dtype)[0] });
  }
  for (const call of calls) {
    const { layer } = call;
    const ins = call.inputs.map((t) => values.get(tensorKey(t))!);
    let outs: Value[];
    if (layer instanceof EmbeddingBag) {
      const bag = embeddingBagToKeras(g, layer, ins[0].t);
      outs = [{ t: bag.value, padded: bag.padded }];
    } else if (layer instanceof WordCountLogit) {
      outs = [{ t: wordCountLogitToKeras(g, layer, ins[0].t) }];
    } else if (layer instanceof GlobalAveragePooling1D && ins[0].padded != null && ins[0].padded.shape[1] != null) {
      outs = [{ t: maskedMeanToKeras(g, layer.name, ins[0].padded) }];
    } else {
      const e = kerasLayer(layer, who);
      const at = ins.map((v) => v.t);
      outs = g.add({ ...e.config, config: { ...(e.config.config as KerasJson), name: layer.name } }, e.weights, at.length === 1 ? at[0] : at, call.outputs.map((o) => o.shape))
        .map((t) => ({ t }));
    }
    outs.forEach((v, i) => values.set(tensorKey(call.outputs[i]), v));
  }
  const tensor = (t: KerasTensor): KerasJson => ({ class_name: '__keras_tensor__', config: { shape: t.shape, dtype: t.dtype, keras_history: [t.layer, 0, t.index] } });
  const ends = (ts: tf.SymbolicTensor[]) => {
    const h = ts.map((t) => values.get(tensorKey(t))!.t).map((t) => [t.layer, 0, t.index]);
    return h.length === 1 ? h[0] : h;
  };
  const order = g.order(outputs.map((t) => values.get(tensorKey(t))!.t));
  const entries = order.map((n) => ({
    ...n.config,
    name: n.name,
    inbound_nodes: n.inputs.length === 0 ? [] : [{ args: [n.list ? n.inputs.map(tensor) : tensor(n.inputs[0])], kwargs: {} }],
  }));
  const config: KerasJson = {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: { name: model.name, trainable: true, layers: entries, input_layers: ends(inputs), output_layers: ends(outputs) },
    registered_name: 'Functional',
    build_config: { input_shape: null },
  };
  return { config, layers: order.map((n) => ({ className: n.config.class_name as string, name: n.name, weights: n.weights })) };
}

/**
 * Writes the model as a Keras 3 `.keras` file (a zip of `config.json`,
 * `metadata.json` and `model.weights.h5`): in Python,
 * `keras.saving.load_model('model.keras')` builds it from Keras's own layers
 * (SimpleRNN, LSTM, GRU with its `reset_after`, Bidirectional in every merge
 * mode, Embedding with `mask_zero`, Dense, Dropout, the 1D global poolings,
 * Concatenate, Add, Activation) and predicts what this model predicts. An
 * EmbeddingBag and the demo's WordCountLogit, which Keras lacks, become
 * small graphs of Keras's layers (bags_to_keras.ts), so the file loads
 * without custom code; any other layer is an error that names it.
 *
 * @example
 * ```ts
 * import { Sequential, Embedding, LSTM, Dense, saveKeras } from 'tfjs-recurrent';
 * const model = new Sequential();
 * model.add(new Embedding({ inputDim: 100, outputDim: 8, maskZero: true, inputShape: [12] }));
 * model.add(new LSTM({ units: 16 }));
 * model.add(new Dense({ units: 1, activation: 'sigmoid' }));
 * await saveKeras(model, 'model.keras'); // Python: keras.saving.load_model('model.keras')
 * ```
 */
export async function saveKeras(model: tf.LayersModel, file: string, options: ExportFileOptions = {}): Promise<void> {
  if (typeof file !== 'string' || !file.endsWith('.keras')) {
    throw new RecurrentConfigError(`saveKeras: file must be a path ending in .keras (Keras 3's load_model reads no other name), got ${fmtValue(file)}`);
  }
  const { config, layers } = kerasModelConfig(model);
  const weights = await kerasWeightsH5(layers);
  const metadata = { keras_version: KERAS_FORMAT_VERSION, date_saved: new Date().toISOString().replace('T', '@').slice(0, 19), exported_by: 'tfjs-recurrent' };
  // Stored, not deflated, as Keras writes it.
  const zip = zipSync(
    { 'metadata.json': strToU8(JSON.stringify(metadata)), 'config.json': strToU8(JSON.stringify(config)), 'model.weights.h5': weights },
    { level: 0 },
  );
  writeExportFile('saveKeras', file, zip, KERAS_FILE, options);
}

/** A .keras file: a zip (its local file header: PK 3 4). */
const KERAS_FILE: FileFormat = { name: 'a .keras file', looksOurs: (head) => head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) };
