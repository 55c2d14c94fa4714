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
import { Embedding } from '../../layers/embedding';
import { KerasJson, KerasWeights, DTYPE_POLICY, kerasLayer } from './layers_to_keras';
import { kerasWeightsH5 } from './weights_h5';
import { modelCalls, tensorKey } from '../model_graph';

/** The Keras version whose `.keras` format this follows, and with which it is tested (test/reference/make_keras_export.py). */
export const KERAS_FORMAT_VERSION = '3.15.1';

const isInputLayer = (l: tf.layers.Layer) => l.getClassName() === 'InputLayer';

/** The Keras 3 `config.json` of a model and, in Keras's layer order, each layer's weights. */
export function kerasModelConfig(model: tf.LayersModel): { config: KerasJson; layers: Array<{ className: string; name: string; weights: KerasWeights }> } {
  const who = 'saveKeras';
  const { inputs, outputs, calls } = modelCalls(model, who);
  // An input read only by Embedding layers holds ids: int32, as Keras's Input(dtype='int32').
  const inputDtype = new Map(inputs.map((t) => {
    const readers = calls.filter((c) => c.inputs.some((i) => tensorKey(i) === tensorKey(t)));
    return [tensorKey(t), readers.length > 0 && readers.every((c) => c.layer instanceof Embedding) ? 'int32' : 'float32'];
  }));
  const dtypeOf = (t: tf.SymbolicTensor) => inputDtype.get(tensorKey(t)) ?? 'float32';
  const inputLayer = (t: tf.SymbolicTensor): KerasJson => ({
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: { batch_shape: t.shape, dtype: dtypeOf(t), sparse: false, ragged: false, name: t.sourceLayer.name },
    registered_name: null,
  });
  const exported = new Map(calls.map((c) => [c.layer.name, kerasLayer(c.layer, who)]));
  if (new Set(calls.map((c) => c.layer.name)).size !== calls.length) {
    throw new RecurrentConfigError(`${who}: model '${model.name}' calls a layer more than once (a shared layer), which this export does not write`);
  }
  const layers: Array<{ className: string; name: string; weights: KerasWeights }> = [];
  if (model instanceof tf.Sequential) {
    for (const c of calls) {
      const e = exported.get(c.layer.name)!;
      layers.push({ className: e.config.class_name as string, name: c.layer.name, weights: e.weights });
    }
    const shape = inputs[0].shape;
    const config: KerasJson = {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: model.name, trainable: true, dtype: DTYPE_POLICY,
        layers: [inputLayer(inputs[0]), ...calls.map((c) => exported.get(c.layer.name)!.config)],
        build_input_shape: shape,
      },
      registered_name: null,
      build_config: { input_shape: shape },
    };
    return { config, layers };
  }
  // Functional: Keras 3 orders a functional model's layers as tfjs-layers does (by depth, then traversal), InputLayers included.
  const tensor = (t: tf.SymbolicTensor): KerasJson => ({
    class_name: '__keras_tensor__',
    config: { shape: t.shape, dtype: isInputLayer(t.sourceLayer as tf.layers.Layer) ? dtypeOf(t) : 'float32', keras_history: [t.sourceLayer.name, t.nodeIndex, t.tensorIndex] },
  });
  const byName = new Map(calls.map((c) => [c.layer.name, c]));
  const entries: KerasJson[] = [];
  for (const layer of model.layers) {
    if (isInputLayer(layer)) {
      const t = inputs.find((i) => i.sourceLayer === layer)!;
      entries.push({ ...inputLayer(t), name: layer.name, inbound_nodes: [] });
      layers.push({ className: 'InputLayer', name: layer.name, weights: { vars: [] } });
      continue;
    }
    const call = byName.get(layer.name);
    if (call == null) continue;
    const e = exported.get(layer.name)!;
    const args = call.inputs.length === 1 ? [tensor(call.inputs[0])] : [call.inputs.map(tensor)];
    entries.push({ ...e.config, name: layer.name, inbound_nodes: [{ args, kwargs: {} }] });
    layers.push({ className: e.config.class_name as string, name: layer.name, weights: e.weights });
  }
  const ends = (ts: tf.SymbolicTensor[]) => {
    const h = ts.map((t) => [t.sourceLayer.name, t.nodeIndex, t.tensorIndex]);
    return h.length === 1 ? h[0] : h;
  };
  const config: KerasJson = {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: { name: model.name, trainable: true, layers: entries, input_layers: ends(inputs), output_layers: ends(outputs) },
    registered_name: 'Functional',
    build_config: { input_shape: null },
  };
  return { config, layers };
}

/**
 * Writes the model as a Keras 3 `.keras` file (a zip of `config.json`,
 * `metadata.json` and `model.weights.h5`): in Python,
 * `keras.saving.load_model('model.keras')` builds it from Keras's own layers
 * (SimpleRNN, LSTM, GRU with its `reset_after`, Bidirectional in every merge
 * mode, Embedding with `mask_zero`, Dense, Dropout, the 1D global poolings,
 * Concatenate) and predicts what this model predicts. A layer Keras lacks
 * (EmbeddingBag, the demo's WordCountLogit) is an error that names it.
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
