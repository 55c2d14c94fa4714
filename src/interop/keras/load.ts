/**
 * Loading Keras models, built from this package's layers: Keras's own
 * `.keras` and `.h5` files (read in files.ts), and models saved in the
 * TensorFlow.js layers format (what `tensorflowjs_converter --input_format
 * keras` writes: `model.json` with `modelTopology` and `weightsManifest`,
 * plus binary weight shards). This is how a Keras GRU with `reset_after=True`
 * (Keras's default, which tfjs-layers cannot load) comes into Node.
 *
 * Both config dialects are read: tf.keras 2.x (`batch_input_shape`,
 * `inbound_nodes: [[["input_1", 0, 0, {}]]]`) and Keras 3 (`batch_shape`,
 * `inbound_nodes: [{ args: [{ class_name: "__keras_tensor__", ... }] }]`).
 * Weights are matched by name: a weight belongs to the layer whose name is one
 * of its path segments (`bidirectional/forward_gru/gru_cell/kernel`), and is
 * identified by its last segment (`kernel`, `recurrent_kernel`, `bias`,
 * `embeddings`) and, inside Bidirectional, its `forward_` / `backward_` segment.
 */
import * as fs from 'fs';
import { tf } from '../../tf';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../../errors';
import { Sequential } from '../../model/sequential';
import { Functional } from '../../model/functional';
import { fileIO, fromFileUrl } from '../../model/io';
import { Bidirectional } from '../../layers/bidirectional';
import { RNN } from '../../layers/rnn_layer';
import { StackedRNNCells } from '../../layers/stacked_rnn_cells';
import { cellName, cellWeights } from '../../layers/recurrent_cell';
import { checkDepth, declaredBytes } from '../../model/untrusted';
import { asOurs, withWeightBudget } from '../../model/load_budget';
import { KerasObject, Warn, batchShapeOf, dtypeName, kerasClass, layerFromKeras } from './layers_from_keras';
import { KerasFileModel, kerasFileKind, readKerasZip, readLegacyH5 } from './files';
import { keras3WeightNames } from './keras3_weights';
import { History, checkMask, endpoints, inboundNodes, isMaskOp } from './inbound';

/** Options of {@link loadKerasModel}. */
export interface LoadKerasModelOptions {
  /**
   * Where notes about the file would go (default console.warn). Every setting is read today (regularizers and
   * constraints too), ignored as changing nothing here (`implementation`), or an error; no note is written.
   */
  onWarning?: (message: string) => void;
  /** For an http(s) URL: how long the JSON and each weight file may take, in ms (default 60,000). */
  timeoutMs?: number;
  /** For an http(s) URL: aborts the download. */
  signal?: AbortSignal;
}

/**
 * Loads a Keras model and rebuilds it from tfjs-recurrent layers (Embedding,
 * SimpleRNN, LSTM, GRU in both `reset_after` forms, Bidirectional, Dense,
 * Dropout, the 1D global poolings, Concatenate, Add, Activation): a Keras 3
 * `.keras` file, a legacy `.h5` file (tf.keras 2's or Keras 3's
 * `model.save('m.h5')`), or a model converted to the TensorFlow.js layers
 * format (`model.json` and its weight files). A Sequential model comes back
 * as a {@link Sequential}; a functional one as a {@link Functional} (a
 * `tf.LayersModel`); both print Keras's `summary()`.
 *
 * @param pathOrUrl a `.keras` or `.h5` file, a folder holding `model.json`,
 *   the path of the JSON file, a `file://` URL, or an `http(s)://` URL of the
 *   JSON file.
 *
 * @example
 * ```ts
 * import { tf, loadKerasModel } from 'tfjs-recurrent';
 * const model = await loadKerasModel('model.keras'); // or 'model.h5', or 'converted/model.json'
 * model.summary();
 * const p = model.predict(tf.tensor2d([[0, 0, 4, 12, 7, 3, 9]], [1, 7], 'int32')) as tf.Tensor; // [1, 1]
 * ```
 */
export async function loadKerasModel(pathOrUrl: string, options: LoadKerasModelOptions = {}): Promise<Sequential | Functional> {
  if (typeof pathOrUrl !== 'string' || pathOrUrl.length === 0) {
    throw new RecurrentConfigError(`loadKerasModel: pathOrUrl must be the path of a .keras or .h5 file, or a path or URL of model.json, got ${fmtValue(pathOrUrl)}`);
  }
  const file = kerasFile(pathOrUrl);
  if (file != null) return kerasModelFromFile(file.kind === 'keras' ? await readKerasZip(file.bytes, file.path) : await readLegacyH5(file.bytes, file.path), file.kind, options);
  const artifacts = await readArtifacts(pathOrUrl, options);
  return kerasModelFromArtifacts(artifacts, options);
}

/** A local `.keras` or `.h5` file (told by its first bytes), read whole; else undefined (a folder, model.json, a URL). */
function kerasFile(pathOrUrl: string): { path: string; kind: 'keras' | 'h5'; bytes: Uint8Array } | undefined {
  if (/^https?:\/\//.test(pathOrUrl)) {
    if (/\.(keras|h5|hdf5)(\?|$)/i.test(pathOrUrl)) {
      throw new RecurrentConfigError(`loadKerasModel: a .keras or .h5 file is read from a local path, not a URL (download it first); got ${pathOrUrl}`);
    }
    return undefined;
  }
  const p = fromFileUrl(pathOrUrl);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(p);
  } catch {
    return undefined; // readArtifacts says it does not exist
  }
  if (!st.isFile()) return undefined;
  const head = Buffer.alloc(8);
  const fd = fs.openSync(p, 'r');
  try {
    fs.readSync(fd, head, 0, 8, 0);
  } finally {
    fs.closeSync(fd);
  }
  const kind = kerasFileKind(head);
  if (kind == null) {
    if (/\.(keras|h5|hdf5)$/i.test(p)) throw new RecurrentInputError(`loadKerasModel: ${p} is neither a .keras file (a zip) nor an HDF5 file (by its first bytes)`);
    return undefined;
  }
  return { path: p, kind, bytes: fs.readFileSync(p) };
}

/**
 * The model of a Keras file (files.ts): built from its config within the
 * bytes its weights hold, then given its weights, by name (a legacy .h5) or by
 * position under Keras 3's layer keys (a .keras file).
 */
function kerasModelFromFile(file: KerasFileModel, kind: 'keras' | 'h5', options: LoadKerasModelOptions): Sequential | Functional {
  const warn: Warn = options.onWarning ?? ((m) => console.warn(m));
  return buildWithWeights(file.modelConfig as KerasObject, file.bytes, warn, file.keras3, (model) => {
    const named = kind === 'h5' ? file.weights : keras3WeightNames(model, file.weights);
    return Object.fromEntries(named.map((w) => [w.name, tf.tensor(w.values, w.shape, 'float32')]));
  });
}

async function readArtifacts(pathOrUrl: string, options: LoadKerasModelOptions): Promise<tf.io.ModelArtifacts> {
  if (/^https?:\/\//.test(pathOrUrl)) return readUrl(pathOrUrl, options);
  const p = fromFileUrl(pathOrUrl);
  if (!fs.existsSync(p)) throw new RecurrentInputError(`loadKerasModel: ${p} does not exist`);
  try {
    return await fileIO(p).load!();
  } catch (e) {
    // fileIO's reader names its usual caller, loadModel; here the user called loadKerasModel.
    if (e instanceof Error && e.message.startsWith('loadModel: ')) e.message = `loadKerasModel: ${e.message.slice('loadModel: '.length)}`;
    throw e;
  }
}

/**
 * model.json and its weights over http(s): each weight path must stay under
 * the model's URL (no `..`, no other host or scheme); each request is bounded
 * by `timeoutMs` and stopped by `signal`; a failure names the URL and its cause.
 */
async function readUrl(url: string, options: LoadKerasModelOptions): Promise<tf.io.ModelArtifacts> {
  const timeoutMs = options.timeoutMs ?? 60000;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new RecurrentConfigError(`loadKerasModel: timeoutMs must be a positive number of milliseconds, got ${fmtValue(options.timeoutMs)}`);
  }
  const base = new URL('.', url);
  const why = (e: unknown) => {
    const err = e as Error & { cause?: Error };
    return options.signal?.aborted ? 'aborted by the signal'
      : err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms`
      : `${err.message}${err.cause ? ` (${err.cause.message ?? err.cause})` : ''}`;
  };
  let bodyFailure: RecurrentInputError | null = null;
  const fetchFunc = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const target = String(input instanceof Request ? input.url : input);
    const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
    let res: Response;
    try {
      res = await fetch(input, { ...init, signal: AbortSignal.any(signals) });
    } catch (e) {
      throw new RecurrentInputError(`loadKerasModel: cannot fetch ${target}: ${why(e)}`);
    }
    // The same bound holds while the body arrives: a stalled body is our error too, naming its URL
    // (kept aside, since tf.io.http replaces a failed read of model.json with its own message).
    for (const method of ['arrayBuffer', 'json', 'text'] as const) {
      const read = res[method].bind(res) as () => Promise<unknown>;
      Object.defineProperty(res, method, {
        value: async () => {
          try {
            return await read();
          } catch (e) {
            bodyFailure ??= new RecurrentInputError(`loadKerasModel: cannot read ${target}: ${why(e)}`);
            throw bodyFailure;
          }
        },
      });
    }
    return res;
  };
  const weightUrlConverter = async (name: string): Promise<string> => {
    const escapes = /^[a-z][a-z0-9+.-]*:/i.test(name) || name.startsWith('/') || name.split(/[\\/]/).includes('..');
    const full = escapes ? null : new URL(name, base);
    if (full == null || full.origin !== base.origin || !full.pathname.startsWith(base.pathname)) {
      throw new RecurrentInputError(`loadKerasModel: weight path ${JSON.stringify(name)} in ${url} leaves the model's URL; refused`);
    }
    full.search = new URL(url).search; // as tf.io.http: the model URL's query (a token) goes with every weight file
    return full.href;
  };
  try {
    return await tf.io.http(url, { fetchFunc: fetchFunc as typeof fetch, weightUrlConverter }).load!();
  } catch (e) {
    throw bodyFailure ?? e;
  }
}

/**
 * Builds the model and loads its weights from artifacts already in memory
 * (e.g. from any tfjs IOHandler), as {@link loadKerasModel} does from files.
 *
 * @example
 * ```ts
 * import { fileIO, kerasModelFromArtifacts } from 'tfjs-recurrent';
 * const artifacts = await fileIO('converted').load!(); // or tf.io.http(url).load(), tf.io.fromMemory(...)
 * const model = kerasModelFromArtifacts(artifacts);
 * ```
 */
export function kerasModelFromArtifacts(artifacts: tf.io.ModelArtifacts, options: LoadKerasModelOptions = {}): Sequential | Functional {
  if (artifacts == null || typeof artifacts !== 'object') throw new RecurrentInputError(`loadKerasModel: expects model artifacts { modelTopology, weightSpecs, weightData }, got ${fmtValue(artifacts)}`);
  if (artifacts.weightSpecs != null && !Array.isArray(artifacts.weightSpecs)) {
    throw new RecurrentInputError(`loadKerasModel: weightSpecs must be an array, got ${typeof artifacts.weightSpecs}`);
  }
  const warn: Warn = options.onWarning ?? ((m) => console.warn(m));
  const topology = artifacts.modelTopology as Record<string, unknown> | undefined;
  if (topology == null || topology instanceof ArrayBuffer || typeof topology !== 'object') {
    throw new RecurrentInputError('loadKerasModel: the file has no JSON modelTopology');
  }
  checkDepth(topology, 'loadKerasModel');
  const specs = artifacts.weightSpecs ?? [];
  const bytes = specs.reduce((n, spec) => n + declaredBytes(spec, 'loadKerasModel'), 0);
  const held = artifacts.weightData == null ? 0 : (Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]).reduce((n, b) => n + b.byteLength, 0);
  if (bytes !== held) throw new RecurrentInputError(`loadKerasModel: the weight specs declare ${bytes} bytes, the weight data holds ${held}`);
  // tensorflowjs_converter nests the model under model_config; tfjs's own save does not.
  const modelConfig = (topology.model_config ?? topology) as KerasObject;
  // Keras 3 files say so (keras_version 3.x); tf.keras 2's and the older converters' do not.
  const data = artifacts.weightData;
  return buildWithWeights(modelConfig, held, warn, /^3\./.test(String(topology.keras_version ?? '')), () =>
    data == null ? {} : tf.io.decodeWeights(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data, specs));
}

/**
 * The model of a config, every weight it makes charged against `bytes` (what
 * the weight files hold) before it is allocated, then given the weights
 * `decode` names (see `loadNamedWeights`); a refused load keeps nothing.
 */
function buildWithWeights(
  modelConfig: KerasObject, bytes: number, warn: Warn, keras3: boolean, decode: (model: Sequential | Functional) => Record<string, tf.Tensor>,
): Sequential | Functional {
  if (typeof modelConfig.class_name !== 'string' || modelConfig.config == null) {
    throw new RecurrentInputError('loadKerasModel: modelTopology has no model config ({ class_name, config })');
  }
  const cls = kerasClass(modelConfig);
  if (cls !== 'Sequential' && cls !== 'Functional' && cls !== 'Model') {
    throw new RecurrentConfigError(`loadKerasModel: the model has class ${cls}; expected Sequential or a functional Model`);
  }
  const model = withWeightBudget(bytes, 'loadKerasModel', () =>
    cls === 'Sequential' ? buildSequential(modelConfig.config, warn, keras3) : buildFunctional(modelConfig.config, warn, keras3));
  try {
    loadNamedWeights(model, () => decode(model));
  } catch (e) {
    model.dispose();
    throw asOurs(e, 'loadKerasModel: the weights do not fit the model');
  }
  return model;
}

interface LayerList {
  name?: string;
  layers?: KerasObject[];
}

function buildSequential(config: Record<string, unknown> & LayerList, warn: Warn, keras3: boolean): Sequential {
  const layers = Array.isArray(config) ? (config as KerasObject[]) : config.layers; // Keras ≤2.1 wrote the list itself
  if (!Array.isArray(layers) || layers.length === 0) throw new RecurrentInputError('loadKerasModel: the Sequential model has no layers');
  const model = new Sequential({ name: typeof config.name === 'string' ? config.name : undefined });
  let inputShape: Array<number | null> | undefined; // from an InputLayer, for the first layer
  for (const obj of layers) {
    if (kerasClass(obj) === 'InputLayer') {
      inputShape = batchShapeOf(obj.config);
      if (inputShape == null) throw new RecurrentInputError(`loadKerasModel: InputLayer '${String(obj.config.name)}' has no batch_input_shape`);
      continue;
    }
    model.add(layerFromKeras(obj, warn, model.layers.length === 0 ? inputShape : undefined, keras3));
  }
  return model;
}

function buildFunctional(config: Record<string, unknown> & LayerList, warn: Warn, keras3: boolean): Functional {
  const objs = config.layers;
  if (!Array.isArray(objs) || objs.length === 0) throw new RecurrentInputError('loadKerasModel: the functional model has no layers');
  const outputs = new Map<string, tf.SymbolicTensor[][]>(); // layer name → per call, its output tensors
  const tensor = ([name, node, index]: History): tf.SymbolicTensor | undefined => outputs.get(name)?.[node]?.[index];
  const pending = objs.map((obj) => ({ obj, calls: inboundNodes(obj), layer: undefined as tf.layers.Layer | undefined }));
  const byName = new Map(pending.map((p) => [String(p.obj.config?.name), p]));
  for (const p of pending) p.calls.forEach((c) => checkMask(String(p.obj.config?.name), c, byName));
  for (const p of pending) {
    const name = String(p.obj.config?.name);
    if (isMaskOp(p.obj)) {
      p.calls = []; // the Embedding makes this mask itself (inbound.ts)
      outputs.set(name, []);
    } else if (kerasClass(p.obj) === 'InputLayer') {
      const shape = batchShapeOf(p.obj.config);
      if (shape == null) throw new RecurrentInputError(`loadKerasModel: InputLayer '${name}' has no batch_input_shape`);
      const dtype = dtypeName(p.obj.config.dtype);
      outputs.set(name, [[tf.input({ batchShape: shape, name, dtype: dtype === 'int32' ? 'int32' : 'float32' })]]);
      p.calls = [];
    } else {
      p.layer = layerFromKeras(p.obj, warn, undefined, keras3);
      outputs.set(name, []);
    }
  }
  // Keras lists layers in call order; loop until every call has its inputs, for files that do not.
  let progress = true;
  while (progress) {
    progress = false;
    for (const p of pending) {
      const name = String(p.obj.config?.name);
      const done = outputs.get(name)!;
      while (p.layer && done.length < p.calls.length) {
        const ins = p.calls[done.length].inputs.map(tensor);
        if (ins.some((t) => t == null)) break;
        const out = p.layer.apply(ins.length === 1 ? ins[0]! : (ins as tf.SymbolicTensor[])) as tf.SymbolicTensor | tf.SymbolicTensor[];
        done.push(Array.isArray(out) ? out : [out]);
        progress = true;
      }
    }
  }
  const stuck = pending.filter((p) => p.layer && outputs.get(String(p.obj.config?.name))!.length < p.calls.length);
  if (stuck.length > 0) {
    throw new RecurrentInputError(`loadKerasModel: cannot connect layer(s) ${stuck.map((p) => `'${String(p.obj.config?.name)}'`).join(', ')}: their inputs never appear`);
  }
  const find = (h: History, what: string): tf.SymbolicTensor => {
    const t = tensor(h);
    if (t == null) throw new RecurrentInputError(`loadKerasModel: ${what} ${JSON.stringify(h)} is not a tensor of the model`);
    return t;
  };
  const ins = endpoints(config.input_layers, 'input_layers').map((h) => find(h, 'input'));
  const outs = endpoints(config.output_layers, 'output_layers').map((h) => find(h, 'output'));
  return new Functional({
    inputs: ins.length === 1 ? ins[0] : ins,
    outputs: outs.length === 1 ? outs[0] : outs,
    name: typeof config.name === 'string' ? config.name : undefined,
  });
}

/**
 * The Keras name of each weight of a layer, in `getWeights()` order: `kernel`, `recurrent_kernel`, `bias`,
 * `embeddings`; in an RNN of stacked cells, with the name of its cell (`lstm_cell_1`), which its path holds.
 */
function weightKeys(layer: tf.layers.Layer): Array<{ direction?: 'forward' | 'backward'; key: string; shape: number[]; cell?: string }> {
  const keys = (l: tf.layers.Layer) => {
    const cells = stackedCellNames(l);
    return l.weights.map((w) => ({ key: w.originalName.split('/').pop()!, shape: w.shape as number[], cell: cells.get(w) }));
  };
  if (layer instanceof Bidirectional) {
    return [
      ...keys(layer.forwardLayer).map((k) => ({ ...k, direction: 'forward' as const })),
      ...keys(layer.backwardLayer).map((k) => ({ ...k, direction: 'backward' as const })),
    ];
  }
  return keys(layer);
}

/** In an RNN of stacked cells, the name of the cell that holds each weight (each cell has its `kernel`). */
function stackedCellNames(layer: tf.layers.Layer): Map<tf.LayerVariable, string> {
  const names = new Map<tf.LayerVariable, string>();
  if (layer instanceof RNN && layer.cell instanceof StackedRNNCells) {
    for (const c of layer.cell.cells) {
      const { trainable, nonTrainable } = cellWeights(c);
      for (const w of [...trainable, ...nonTrainable]) names.set(w, cellName(c));
    }
  }
  return names;
}

/** Gives each layer the weights whose names name it (see the top of this file); every weight must find its layer. */
function loadNamedWeights(model: tf.LayersModel, decode: () => Record<string, tf.Tensor>): void {
  const named = decode();
  const used = new Set<string>();
  const casts: tf.Tensor[] = [];
  try {
    for (const layer of model.layers) {
      const wanted = weightKeys(layer);
      if (wanted.length === 0) continue;
      const mine = Object.keys(named).filter((n) => n.split('/').includes(layer.name));
      const values = wanted.map(({ direction, key, shape, cell }) => {
        const hits = mine.filter((n) => {
          const parts = n.split('/');
          const rest = parts.slice(parts.indexOf(layer.name) + 1);
          const dirOk = direction == null || rest.some((s) => s.startsWith(`${direction}_`));
          return dirOk && parts[parts.length - 1] === key && (cell == null || rest.includes(cell));
        });
        const label = `${direction ? `${direction} ` : ''}${cell ? `${cell} ` : ''}${key}`;
        if (hits.length !== 1) {
          throw new RecurrentInputError(
            `loadKerasModel: layer '${layer.name}' (${layer.getClassName().replace(/^.*>/, '')}) needs one ${label} weight, found ${
              hits.length === 0 ? 'none' : hits.join(', ')
            } among ${mine.length ? mine.join(', ') : Object.keys(named).join(', ') || 'no weights'}`,
          );
        }
        const t = named[hits[0]];
        if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
          throw new RecurrentInputError(`loadKerasModel: weight ${hits[0]} has shape ${fmtShape(t.shape)}; layer '${layer.name}' expects ${fmtShape(shape)}`);
        }
        used.add(hits[0]);
        if (t.dtype === 'float32') return t;
        casts.push(tf.cast(t, 'float32'));
        return casts[casts.length - 1];
      });
      layer.setWeights(values);
    }
    const left = Object.keys(named).filter((n) => !used.has(n));
    if (left.length > 0) {
      throw new RecurrentInputError(`loadKerasModel: weight(s) ${left.join(', ')} belong to no layer of the model`);
    }
  } finally {
    tf.dispose([...Object.values(named), ...casts]);
  }
}
