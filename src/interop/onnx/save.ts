/**
 * A model as an ONNX graph (opset 18), for onnxruntime and other runtimes.
 * Each layer becomes ONNX's own operators:
 *
 *   Embedding                 Gather(E, ids); with maskZero the mask ids ≠ 0
 *   EmbeddingBag              Gather, then the mean over each bag's non-zero ids (0 for an empty bag);
 *                             with maskZero the mask "the bag is not empty"
 *   WordCountLogit            Gather(v, ids), summed over the non-zero ids, times its scale
 *   SimpleRNN / LSTM / GRU    RNN / LSTM / GRU (rnn_nodes.ts: sequence_lens from the mask; gate orders from ../recurrent.ts)
 *   Bidirectional             the same with direction = "bidirectional", then its merge
 *   Masking                   x times its mask (∃ f: x_f ≠ v); the mask as Embedding's
 *   Dense, TimeDistributed(Dense)  MatMul + Add, then its activation
 *   Dropout                   nothing (inference)
 *   GlobalMax/AveragePooling1D  ReduceMax / ReduceSum ÷ count over the real steps (0 where there is none)
 *   Concatenate, Add, Activation (tf.layers)   Concat, Add, the activation
 *
 * Any other layer is an error that names it.
 */
import { tf } from '../../tf';
import { packageVersion } from '../../version';
import { ExportFileOptions, FileFormat, writeExportFile } from '../write_file';
import { RecurrentConfigError, fmtValue } from '../../errors';
import { kerasClassName } from '../../layers/base';
import { RecurrentLayer } from '../../layers/rnn';
import { Bidirectional } from '../../layers/bidirectional';
import { Embedding } from '../../layers/embedding';
import { EmbeddingBag } from '../../layers/embedding_bag';
import { Dense } from '../../layers/dense';
import { Dropout } from '../../layers/dropout';
import { GlobalAveragePooling1D, GlobalMaxPooling1D } from '../../layers/pooling';
import { WordCountLogit } from '../../sentiment/wide';
import { Masking } from '../../layers/masking';
import { TimeDistributed } from '../../layers/time_distributed';
import { DT, Dim, OnnxBuilder } from './proto';
import { LayerCall, modelCalls, outputMasks, readsIds, tensorKey } from '../model_graph';
import { recurrentToOnnx } from './rnn_nodes';

/** A value of the graph: its name, and the name of its [B, T] bool mask if it has one. */
interface Value {
  name: string;
  mask: string | null;
}

const SUPPORTED = 'Embedding, EmbeddingBag, WordCountLogit, Masking, SimpleRNN, LSTM, GRU, Bidirectional, Dense, TimeDistributed(Dense), Dropout, GlobalMaxPooling1D, GlobalAveragePooling1D, Concatenate, Add, Activation';

/** Dense's activations as ONNX nodes. */
function activation(g: OnnxBuilder, x: string, name: string, layer: string): string {
  switch (name) {
    case 'linear': return x;
    case 'tanh': return g.op('Tanh', [x]);
    case 'sigmoid': return g.op('Sigmoid', [x]);
    case 'relu': return g.op('Relu', [x]);
    case 'elu': return g.op('Elu', [x], { alpha: { float: 1 } });
    case 'selu': return g.op('Selu', [x]); // ONNX's default alpha and gamma are Keras's constants
    case 'softplus': return g.op('Softplus', [x]);
    case 'softsign': return g.op('Softsign', [x]);
    case 'swish': return g.op('Mul', [x, g.op('Sigmoid', [x])]);
    case 'softmax': return g.op('Softmax', [x], { axis: -1 });
    case 'hard_sigmoid': return g.op('HardSigmoid', [x], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } });
    default:
      throw new RecurrentConfigError(`saveOnnx: layer '${layer}' has activation '${name}', which this export does not write`);
  }
}

function dense(g: OnnxBuilder, layer: Dense, x: string): string {
  const [W, b] = layer.getWeights(); //                                                 W [D, U], b [U]
  let y = g.op('MatMul', [x, g.floats(`${layer.name}/kernel`, W.shape, W.dataSync() as Float32Array)], {}, `${layer.name}/xW`);
  if (b != null) y = g.op('Add', [y, g.floats(`${layer.name}/bias`, b.shape, b.dataSync() as Float32Array)], {}, `${layer.name}/xW_b`);
  return activation(g, y, layer.activationName, layer.name);
}

function pooling(g: OnnxBuilder, layer: GlobalMaxPooling1D | GlobalAveragePooling1D, x: Value): string {
  const n = layer.name;
  const axes = g.ints(`${n}/time_axis`, [1]);
  const max = layer instanceof GlobalMaxPooling1D;
  if (!x.mask) return g.op(max ? 'ReduceMax' : 'ReduceMean', [x.name, axes], { keepdims: 0 }, n);
  const m = g.op('Unsqueeze', [g.op('Cast', [x.mask], { to: DT.FLOAT }), g.ints(`${n}/axes2`, [2])], {}, `${n}/m`); // [B, T, 1]
  if (max) {
    // y = max_{t: m_t = 1} x_t, and 0 where no step is real, as the layer computes it
    const real = g.op('Cast', [m], { to: DT.BOOL }); //                                                    [B, T, 1]
    const y = g.op('ReduceMax', [g.op('Where', [real, x.name, g.scalar(`${n}/minus_inf`, -Infinity)]), axes], { keepdims: 0 }); // [B, F]
    const any = g.op('Greater', [g.op('ReduceSum', [m, axes], { keepdims: 0 }), g.scalar(`${n}/zero`, 0)]); //                  [B, 1]
    return g.op('Where', [any, y, g.scalar(`${n}/zero_out`, 0)], {}, n);
  }
  // y = Σ_t m_t x_t / max(Σ_t m_t, 1)
  const sum = g.op('ReduceSum', [g.op('Mul', [x.name, m]), axes], { keepdims: 0 });
  const count = g.op('Max', [g.op('ReduceSum', [m, axes], { keepdims: 0 }), g.scalar(`${n}/one`, 1)]);
  return g.op('Div', [sum, count], {}, n);
}

/** m = [ids ≠ 0] as floats, of the shape of ids: the real ids. */
const realIds = (g: OnnxBuilder, ids: string, n: string) =>
  g.op('Cast', [g.op('Not', [g.op('Equal', [ids, g.int32(`${n}/pad_id`, 0)])])], { to: DT.FLOAT }, `${n}/m`);

/** EmbeddingBag: y[b, t] = Σ_k m_k E[ids_k] / max(1, Σ_k m_k) over each bag [B, T, K] (docs/equations.md#embeddingbag). */
function embeddingBag(g: OnnxBuilder, layer: EmbeddingBag, x: string): string {
  const n = layer.name;
  const [E] = layer.getWeights(); //                                                                    [V, E]
  const ids = g.op('Cast', [x], { to: DT.INT32 }, `${n}/ids`); //                                       [B, T, K]
  const rows = g.op('Gather', [g.floats(`${n}/embeddings`, E.shape, E.dataSync() as Float32Array), ids], { axis: 0 }); // [B, T, K, E]: E[ids_k]
  const m = g.op('Unsqueeze', [realIds(g, ids, n), g.ints(`${n}/last`, [3])]); //                        [B, T, K, 1]: m_k
  const bag = g.ints(`${n}/bag_axis`, [2]);
  const sum = g.op('ReduceSum', [g.op('Mul', [rows, m]), bag], { keepdims: 0 }); //                     [B, T, E]: Σ_k m_k E[ids_k]
  const count = g.op('Max', [g.op('ReduceSum', [m, bag], { keepdims: 0 }), g.scalar(`${n}/one`, 1)]); // [B, T, 1]: max(1, Σ_k m_k)
  return g.op('Div', [sum, count], {}, n);
}

/** WordCountLogit: s = c · Σ_t m_t v[ids_t] over ids [B, T] (src/sentiment/wide.ts). */
function wordCountLogit(g: OnnxBuilder, layer: WordCountLogit, x: string): string {
  const n = layer.name;
  const [v] = layer.getWeights(); //                                                                    [V, 1]
  const ids = g.op('Cast', [x], { to: DT.INT32 }, `${n}/ids`); //                                       [B, T]
  const vt = g.op('Gather', [g.floats(`${n}/kernel`, v.shape, v.dataSync() as Float32Array), ids], { axis: 0 }); // [B, T, 1]: v[ids_t]
  const m = g.op('Unsqueeze', [realIds(g, ids, n), g.ints(`${n}/last`, [2])]); //                        [B, T, 1]: m_t
  const s = g.op('ReduceSum', [g.op('Mul', [vt, m]), g.ints(`${n}/time_axis`, [1])], { keepdims: 0 }); // [B, 1]
  return layer.scale === 1 ? g.op('Identity', [s], {}, n) : g.op('Mul', [s, g.scalar(`${n}/scale`, layer.scale)], {}, n);
}

/** The mask "step t is real" [B, T] (bool) of an Embedding's ids [B, T], or of an EmbeddingBag's bags [B, T, K]: not all padding. */
function ownMask(g: OnnxBuilder, layer: tf.layers.Layer, x: string): string {
  const n = layer.name;
  if (layer instanceof Masking) return g.op('Greater', [realSteps(g, layer, x, `${n}/mask`, 0), g.scalar(`${n}/mask/zero`, 0)], {}, `${n}/mask`); // [B, T]
  const ids = g.op('Cast', [x], { to: DT.INT32 });
  if (!(layer instanceof EmbeddingBag)) return g.op('Not', [g.op('Equal', [ids, g.int32(`${n}/pad_id`, 0)])], {}, `${n}/mask`); // ids ≠ 0
  const real = g.op('ReduceSum', [realIds(g, ids, `${n}/mask`), g.ints(`${n}/mask/bag_axis`, [2])], { keepdims: 0 }); //          [B, T]: Σ_k m_k
  return g.op('Greater', [real, g.scalar(`${n}/mask/zero`, 0)], {}, `${n}/mask`);
}

/** A Masking's m_t = [∃ f: x[b, t, f] ≠ v] as floats: [B, T, 1] with `keepdims` 1, [B, T] with 0. */
function realSteps(g: OnnxBuilder, layer: Masking, x: string, n: string, keepdims: 0 | 1): string {
  const real = g.op('Cast', [g.op('Not', [g.op('Equal', [x, g.scalar(`${n}/value`, layer.maskValue)])])], { to: DT.FLOAT }); // [B, T, F]
  return g.op('ReduceMax', [real, g.ints(`${n}/last`, [-1])], { keepdims });
}

/** Masking: y = m_t · x_t. */
const masking = (g: OnnxBuilder, layer: Masking, x: string): string => g.op('Mul', [x, realSteps(g, layer, x, layer.name, 1)], {}, layer.name); // [B, T, F]

/** The nodes of one layer call; returns its outputs' names. */
function layerToOnnx(g: OnnxBuilder, call: LayerCall, ins: Value[]): string[] {
  const { layer } = call;
  if (layer instanceof RecurrentLayer || layer instanceof Bidirectional) return recurrentToOnnx(g, layer, ins[0].name, ins[0].mask);
  if (layer instanceof EmbeddingBag) return [embeddingBag(g, layer, ins[0].name)];
  if (layer instanceof WordCountLogit) return [wordCountLogit(g, layer, ins[0].name)];
  if (layer instanceof Embedding) {
    const [E] = layer.getWeights(); //                                                       [V, E]
    const ids = g.op('Cast', [ins[0].name], { to: DT.INT32 }, `${layer.name}/ids`); //         a float input's ids too
    return [g.op('Gather', [g.floats(`${layer.name}/embeddings`, E.shape, E.dataSync() as Float32Array), ids], { axis: 0 }, layer.name)];
  }
  if (layer instanceof Dense) return [dense(g, layer, ins[0].name)];
  if (layer instanceof Masking) return [masking(g, layer, ins[0].name)];
  if (layer instanceof TimeDistributed) { // a Dense's MatMul runs on every step of [B, T, D] as it is
    if (layer.layer instanceof Dense) return [dense(g, layer.layer, ins[0].name)];
    if (layer.layer instanceof Dropout) return [ins[0].name];
    throw new RecurrentConfigError(`saveOnnx: layer '${layer.name}' is a TimeDistributed of ${kerasClassName(layer.layer)}; the export writes TimeDistributed of Dense or Dropout`);
  }
  if (layer instanceof Dropout) return [ins[0].name];
  if (layer instanceof GlobalMaxPooling1D || layer instanceof GlobalAveragePooling1D) return [pooling(g, layer, ins[0])];
  if (layer.getClassName() === 'Concatenate') {
    const axis = (layer.getConfig().axis as number | undefined) ?? -1;
    return [g.op('Concat', ins.map((v) => v.name), { axis }, layer.name)];
  }
  if (layer.getClassName() === 'Add') return [ins.slice(1).reduce((sum, v, i) => g.op('Add', [sum, v.name], {}, i === ins.length - 2 ? layer.name : undefined), ins[0].name)];
  if (layer.getClassName() === 'Activation') return [activation(g, ins[0].name, String(layer.getConfig().activation), layer.name)];
  throw new RecurrentConfigError(
    `saveOnnx: layer '${layer.name}' (${kerasClassName(layer)}) has no ONNX form here; the export writes ${SUPPORTED}`,
  );
}

/** ONNX dims of a symbolic shape: sizes, and names for the batch and time sizes known at run time. */
const dims = (shape: Array<number | null>): Dim[] => shape.map((d, i) => d ?? (i === 0 ? 'batch' : i === 1 ? 'time' : `dim${i}`));

/**
 * The model as an ONNX ModelProto (bytes), opset 18. An input read only by
 * Embedding layers is an int32 input of ids; every other input and every
 * output is float32, with `batch` (and `time`) as named dimensions.
 *
 * @example
 * ```ts
 * import { Sequential, Embedding, LSTM, Dense, toOnnx } from 'tfjs-recurrent';
 * const model = new Sequential();
 * model.add(new Embedding({ inputDim: 100, outputDim: 8, maskZero: true, inputShape: [12] }));
 * model.add(new LSTM({ units: 16 }));
 * model.add(new Dense({ units: 1, activation: 'sigmoid' }));
 * const bytes = toOnnx(model); // Uint8Array: an onnx ModelProto
 * ```
 */
export function toOnnx(model: tf.LayersModel): Uint8Array {
  const { inputs, outputs, calls } = modelCalls(model, 'saveOnnx');
  const g = new OnnxBuilder();
  const values = new Map<string, Value>();
  for (const t of inputs) {
    const readers = calls.filter((c) => c.inputs.some((i) => tensorKey(i) === tensorKey(t)));
    const ids = readers.length > 0 && readers.every((c) => readsIds(c.layer));
    const name = g.input(t.name, ids ? DT.INT32 : DT.FLOAT, dims(t.shape));
    values.set(tensorKey(t), { name, mask: null });
  }
  for (const call of calls) {
    const ins = call.inputs.map((t) => values.get(tensorKey(t))!);
    const outs = layerToOnnx(g, call, ins);
    if (outs.length !== call.outputs.length) {
      throw new RecurrentConfigError(`saveOnnx: layer '${call.layer.name}' gives ${call.outputs.length} outputs in the model, the export made ${outs.length}`);
    }
    const masks = outputMasks(call, ins.map((v) => v.mask != null), 'saveOnnx');
    outs.forEach((name, i) => {
      const m = masks[i];
      const mask = m === 'own' ? ownMask(g, call.layer, ins[0].name) : m == null ? null : ins[m].mask;
      values.set(tensorKey(call.outputs[i]), { name, mask });
    });
  }
  outputs.forEach((t) => {
    const out = g.op('Identity', [values.get(tensorKey(t))!.name], {}, t.sourceLayer.name);
    g.output(out, DT.FLOAT, dims(t.shape));
  });
  return g.encode(model.name, packageVersion(), `${model.name}, exported by tfjs-recurrent`);
}

/**
 * Writes the model as an ONNX file (see {@link toOnnx}), for onnxruntime
 * (`new ort.InferenceSession(path)`, or `onnxruntime.InferenceSession` in
 * Python): recurrent layers become ONNX's LSTM, GRU and RNN operators, and a
 * padding mask (Embedding with maskZero) their sequence_lens.
 *
 * @example
 * ```ts
 * import { Sequential, Embedding, Bidirectional, GRU, Dense, saveOnnx } from 'tfjs-recurrent';
 * const model = new Sequential();
 * model.add(new Embedding({ inputDim: 100, outputDim: 8, maskZero: true, inputShape: [12] }));
 * model.add(new Bidirectional({ layer: new GRU({ units: 16 }) }));
 * model.add(new Dense({ units: 1, activation: 'sigmoid' }));
 * saveOnnx(model, 'model.onnx');
 * ```
 */
export function saveOnnx(model: tf.LayersModel, file: string, options: ExportFileOptions = {}): void {
  if (typeof file !== 'string' || file.length === 0) throw new RecurrentConfigError(`saveOnnx: file must be a path such as 'model.onnx', got ${fmtValue(file)}`);
  writeExportFile('saveOnnx', file, toOnnx(model), ONNX_FILE, options);
}

/** An ONNX model: a ModelProto, whose first field is ir_version (field 1, a varint: the byte 0x08). */
const ONNX_FILE: FileFormat = { name: 'an ONNX model', looksOurs: (head) => head.length > 1 && head[0] === 0x08 };

