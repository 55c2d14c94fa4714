/**
 * saveOnnx / toOnnx: the exported graph, run by onnxruntime-node, gives our
 * outputs to 1e-5: every recurrent layer, both GRU forms, Bidirectional in
 * every merge mode, masked batches (padding in front, behind, in holes, and a
 * sequence of padding only), and the sentiment demo's functional model.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { tf } from '../../src/tf';
import {
  Bidirectional, Dense, Dropout, Embedding, Functional, GRU, GlobalAveragePooling1D, GlobalMaxPooling1D, LSTM, MergeMode,
  Sequential, SimpleRNN, resetNames, saveOnnx, toOnnx,
} from '../../src';
import * as lib from '../../src';
import { decodeOnnx } from '../../src/interop/onnx/proto';
import { buildClassifier } from '../../src/sentiment/model';
import { DEFAULTS } from '../../src/sentiment/options';
import { onEachBackend } from '../helpers/backends';
import { maxAbsDiff } from '../helpers/close';
import { scratchDir } from '../helpers/scratch';

const V = 20; // vocabulary
const T = 7;
/** Padding in front (as the demo pads), behind, in holes, none, and a row of padding only: [5, 7] ids < 20. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { IDS, BAGS, cases } = require('../reference/keras_export_cases.js') as {
  IDS: number[][];
  BAGS: number[][][];
  cases: (l: typeof lib, demo: unknown) => Array<{ name: string; build: () => tf.LayersModel; input: unknown }>;
};

/** Seeded non-constant weights for every layer (biases too, so that their mapping is tested). */
function randomize(model: tf.LayersModel, seed = 1): void {
  model.layers.forEach((l, i) => l.setWeights(l.getWeights().map((w, k) => tf.randomUniform(w.shape, -0.6, 0.6, 'float32', seed + 31 * i + k))));
}

/** Our outputs and onnxruntime's for the same input, largest |difference| over all outputs. */
async function compare(model: tf.LayersModel, x: tf.Tensor, ids: boolean): Promise<number> {
  const ours = [model.predict(x)].flat() as tf.Tensor[];
  const session = await ort.InferenceSession.create(toOnnx(model));
  const data = ids ? Int32Array.from(x.dataSync()) : Float32Array.from(x.dataSync());
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor(ids ? 'int32' : 'float32', data, x.shape) });
  let worst = 0;
  session.outputNames.forEach((name, i) => {
    const o = result[name];
    expect(o.dims).toEqual(ours[i].shape);
    worst = Math.max(worst, maxAbsDiff(Array.from(o.data as Float32Array), Array.from(ours[i].dataSync())));
  });
  await session.release();
  tf.dispose(ours);
  return worst;
}

const idsModel = (...layers: tf.layers.Layer[]) => {
  const m = new Sequential();
  m.add(new Embedding({ inputDim: V, outputDim: 5, maskZero: true, inputShape: [T] }));
  layers.forEach((l) => m.add(l));
  randomize(m);
  return m;
};

onEachBackend(() => {
  const dir = scratchDir('onnx-');
  let ids: tf.Tensor;
  let floats: tf.Tensor;
  beforeAll(() => {
    ids = tf.tensor2d(IDS, undefined, 'int32');
    floats = tf.randomNormal([3, 6, 4], 0, 1, 'float32', 5);
  });
  afterAll(() => tf.dispose([ids, floats]));
  beforeEach(() => resetNames());

  test.each([
    ['LSTM → LSTM → Dense(sigmoid)', () => idsModel(new LSTM({ units: 6, returnSequences: true }), new LSTM({ units: 4 }), new Dense({ units: 1, activation: 'sigmoid' }))],
    ['GRU (resetAfter) sequences → GlobalAveragePooling1D → Dense(softmax)', () => idsModel(new GRU({ units: 5, returnSequences: true }), new GlobalAveragePooling1D(), new Dense({ units: 3, activation: 'softmax' }))],
    ['GRU (resetAfter false) → SimpleRNN(relu)', () => idsModel(new GRU({ units: 5, resetAfter: false, returnSequences: true }), new SimpleRNN({ units: 3, activation: 'relu' }))],
    ['SimpleRNN goBackwards sequences → GlobalMaxPooling1D', () => idsModel(new SimpleRNN({ units: 4, goBackwards: true, returnSequences: true }), new GlobalMaxPooling1D())],
    ['LSTM with zeroOutputForMask and hard_sigmoid gates', () => idsModel(new LSTM({ units: 4, returnSequences: true, zeroOutputForMask: true, recurrentActivation: 'hard_sigmoid' }))],
    // activation_alpha/beta list only the functions that take them (Sigmoid, HardSigmoid, HardSigmoid → two of each).
    ['LSTM with hard_sigmoid activation after sigmoid gates', () => idsModel(new LSTM({ units: 4, activation: 'hard_sigmoid' }))],
    ['GRU with relu activation after hard_sigmoid gates', () => idsModel(new GRU({ units: 4, activation: 'relu', recurrentActivation: 'hard_sigmoid' }))],
    ['Bidirectional(LSTM) last states, concat → Dropout → Dense', () => idsModel(new Bidirectional({ layer: new LSTM({ units: 4 }) }), new Dropout({ rate: 0.5 }), new Dense({ units: 2 }))],
    ...(['concat', 'sum', 'mul', 'ave'] as MergeMode[]).map((mode) => [
      `Bidirectional(GRU) sequences, ${mode}`,
      () => idsModel(new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true }), mergeMode: mode })),
    ] as [string, () => tf.LayersModel]),
  ])('%s: onnxruntime gives our outputs on a masked batch', async (_, make) => {
    const model = make();
    expect(await compare(model, ids, true)).toBeLessThan(1e-5);
    model.dispose();
  });

  test('float input [B, T, D], no mask: GRU → Bidirectional(SimpleRNN, linear) → Dense(tanh)', async () => {
    const model = new Sequential();
    model.add(new GRU({ units: 5, returnSequences: true, inputShape: [null, 4] }));
    model.add(new Bidirectional({ layer: new SimpleRNN({ units: 3, activation: 'linear' }) }));
    model.add(new Dense({ units: 2, activation: 'tanh' }));
    randomize(model);
    expect(await compare(model, floats, false)).toBeLessThan(1e-5);
    model.dispose();
  });

  test('several outputs: returnState and mergeMode null give every output of ours', async () => {
    const x = tf.input({ shape: [T], dtype: 'int32', name: 'ids' });
    const e = new Embedding({ inputDim: V, outputDim: 5, maskZero: true }).apply(x) as tf.SymbolicTensor;
    const [y, h, c] = new LSTM({ units: 4, returnSequences: true, returnState: true }).apply(e) as tf.SymbolicTensor[];
    const both = new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true }), mergeMode: null }).apply(y) as tf.SymbolicTensor[];
    const model = new Functional({ inputs: x, outputs: [h, c, ...both] });
    randomize(model);
    expect(await compare(model, ids, true)).toBeLessThan(1e-5);
    model.dispose();
  });

  test("the sentiment demo's model (--no-subwords): Embedding → Bidirectional(LSTM) beside the mean word vector → Dense", async () => {
    const x = tf.input({ shape: [T], dtype: 'int32', name: 'ids' });
    const e = new Embedding({ inputDim: V, outputDim: 6, maskZero: true }).apply(x) as tf.SymbolicTensor;
    const r = new Bidirectional({ layer: new LSTM({ units: 4, dropout: 0.5 }) }).apply(e) as tf.SymbolicTensor;
    const a = new GlobalAveragePooling1D().apply(e) as tf.SymbolicTensor;
    const c = tf.layers.concatenate({ name: 'concatenate' }).apply([r, a]) as tf.SymbolicTensor;
    const y = new Dense({ units: 1, activation: 'sigmoid' }).apply(new Dropout({ rate: 0.5 }).apply(c) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const model = new Functional({ inputs: x, outputs: y, name: 'sentiment' });
    randomize(model);
    expect(await compare(model, ids, true)).toBeLessThan(1e-5);
    model.dispose();
  });

  test("the sentiment demo's default model: subword bags → EmbeddingBag → Bidirectional(LSTM) beside the mean word vector → Dense", async () => {
    const model = buildClassifier({ ...DEFAULTS, out: '', maxlen: T, subwordBuckets: 30 }, V);
    randomize(model);
    const x = tf.tensor3d(BAGS, undefined, 'int32');
    expect(await compare(model, x, true)).toBeLessThan(1e-5);
    x.dispose();
    model.dispose();
  });

  test("the demo's --wide model: Embedding → Bidirectional(LSTM), mean word vector, and WordCountLogit added before the sigmoid", async () => {
    const model = buildClassifier({ ...DEFAULTS, out: '', maxlen: T, subwords: false, wide: true, wideLearningRate: 0.03 }, V);
    randomize(model);
    expect(await compare(model, ids, true)).toBeLessThan(1e-5);
    model.dispose();
  });

  test.each(['seq_masking_lstm_tagger', 'func_masking_bigru_pool'])('%s: Masking (its mask into the recurrences) and TimeDistributed(Dense)', async (name) => {
    const c = cases(lib, { buildClassifier, DEFAULTS }).find((k) => k.name === name)!;
    const model = c.build();
    const x = tf.tensor(c.input as number[], undefined, 'float32');
    expect(await compare(model, x, false)).toBeLessThan(1e-5);
    x.dispose();
    model.dispose();
  });

  test('the file is an ONNX model of opset 18 with ONNX recurrent operators, and saveOnnx writes it', () => {
    const model = idsModel(new Bidirectional({ layer: new GRU({ units: 3 }) }), new Dense({ units: 1 }));
    const file = path.join(dir(), 'sub', 'model.onnx');
    saveOnnx(model, file);
    const proto = decodeOnnx(fs.readFileSync(file)) as {
      ir_version: number; opset_import: Array<{ version: number }>; graph: { node: Array<{ op_type: string; attribute: Array<{ name: string; i?: number; s?: string }> }>; input: Array<{ name: string }> };
    };
    expect(proto.ir_version).toBe(8);
    expect(proto.opset_import[0].version).toBe(18);
    const gru = proto.graph.node.find((n) => n.op_type === 'GRU')!;
    const attr = (n: string) => gru.attribute.find((a) => a.name === n);
    expect(attr('linear_before_reset')?.i).toBe(1);
    expect(Buffer.from(attr('direction')!.s!, 'base64').toString()).toBe('bidirectional');
    expect(proto.graph.node.map((n) => n.op_type)).toEqual(expect.arrayContaining(['Gather', 'ScatterElements', 'MatMul', 'Add']));
    model.dispose();
  });

  test.each([
    ['a layer ONNX has no form for here', () => {
      const m = new Sequential();
      m.add(tf.layers.flatten({ inputShape: [4, 2], name: 'flatten' }));
      return m;
    }, /saveOnnx: layer 'flatten' \(Flatten\) has no ONNX form here; the export writes Embedding, EmbeddingBag, WordCountLogit, Masking, SimpleRNN/],
    ['a stateful layer', () => {
      const m = new Sequential();
      m.add(new LSTM({ units: 2, stateful: true, batchInputShape: [2, 3, 4] }));
      return m;
    }, /saveOnnx: layer 'lstm' is stateful: it carries its state from one call to the next, which an ONNX graph cannot hold/],
    ['an activation ONNX recurrences lack', () => {
      const m = new Sequential();
      m.add(new SimpleRNN({ units: 2, activation: 'selu', inputShape: [3, 4] }));
      return m;
    }, /saveOnnx: layer 'simple_rnn' \(SimpleRNN\) has activation 'selu'; ONNX's RNN here takes linear, tanh, sigmoid, hard_sigmoid, relu/],
    ['a model that is not built', () => new Sequential(), /saveOnnx: model 'sequential' is not built: give its first layer an inputShape/],
  ])('%s is a clear error', (_, make, message) => {
    const model = make();
    expect(() => toOnnx(model)).toThrow(message);
    model.dispose();
  });
});
