/**
 * toTorchStateDict: what it writes loads into real torch.nn.RNN / LSTM / GRU
 * (load_state_dict, strict) and computes our outputs there
 * (fixtures: test/reference/make_torch_export.py), and it is the inverse of fromTorchStateDict.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../src/tf';
import {
  Bidirectional, Dense, Embedding, GRU, LSTM, RecurrentLayer, Sequential, SimpleRNN, fromTorchStateDict, resetNames, toTorchModelStateDict, toTorchStateDict,
} from '../../src';
import * as lib from '../../src';
import { buildClassifier } from '../../src/sentiment/model';
import { DEFAULTS } from '../../src/sentiment/options';
import { onEachBackend } from '../helpers/backends';
import { expectClose, maxAbsDiff } from '../helpers/close';

interface Case {
  name: string;
  module: 'RNN' | 'LSTM' | 'GRU';
  layer: { class: 'SimpleRNN' | 'LSTM' | 'GRU'; units: number; activation: string };
  config: { input_size: number; bidirectional: boolean; bias: boolean };
  weights: number[][];
  stateDict: Record<string, number[] | number[][]>;
  input: number[][][];
  output: number[][][];
  h_n: number[][][];
  c_n: number[][][] | null;
}
const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'interop', 'torch_export.json'), 'utf8'));
const CASES: Case[] = FIXTURE.cases;
const MODEL: { weights: number[][]; stateDict: Record<string, number[] | number[][]>; input: number[][]; output: number[][] } = FIXTURE.model;
const DEMO: Array<{ name: string; keys: Record<string, [number[], number[], number]>; input: unknown; output: number[][] }> = FIXTURE.demo;
const CLASSES = { SimpleRNN, LSTM, GRU };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cases } = require('../reference/keras_export_cases.js') as {
  cases: (l: typeof lib, demo: { buildClassifier: typeof buildClassifier; DEFAULTS: typeof DEFAULTS }) => Array<{ name: string; build: () => tf.LayersModel; input: unknown }>;
};

/** Our layer of a case, with the case's Keras-layout weights, returning sequences and states. */
function layerOf(c: Case): RecurrentLayer | Bidirectional {
  const inner = new CLASSES[c.layer.class]({
    units: c.layer.units, activation: c.layer.activation, useBias: c.config.bias, returnSequences: true, returnState: true,
  });
  const layer = c.config.bidirectional ? new Bidirectional({ layer: inner }) : inner;
  layer.build([null, null, c.config.input_size]);
  const ws = c.weights.map((w) => tf.tensor(w));
  layer.setWeights(ws);
  tf.dispose(ws);
  return layer;
}

onEachBackend(() => {
  beforeEach(() => resetNames());

  test.each(CASES.map((c) => [c.name, c] as [string, Case]))('%s: the state dict PyTorch loaded is what we export, and its outputs are ours to 1e-5', (_, c) => {
    const layer = layerOf(c);
    const sd = toTorchStateDict(layer);
    expect(Object.keys(sd).sort()).toEqual(Object.keys(c.stateDict).sort());
    for (const key of Object.keys(sd)) expect(maxAbsDiff(sd[key] as number[], c.stateDict[key])).toBe(0);
    const x = tf.tensor3d(c.input);
    const [y, ...states] = layer.apply(x) as tf.Tensor[];
    expectClose(y, c.output, 1e-5, 'output');
    // torch's h_n is [dirs, B, H]; ours are the states per direction: [h] or [h, c], forward then backward.
    const S = c.module === 'LSTM' ? 2 : 1;
    const dirs = c.config.bidirectional ? 2 : 1;
    for (let d = 0; d < dirs; d++) {
      expectClose(states[d * S], c.h_n[d], 1e-5, `h_n[${d}]`);
      if (c.c_n) expectClose(states[d * S + 1], c.c_n[d], 1e-5, `c_n[${d}]`);
    }
    tf.dispose([x, y, ...states]);
    layer.dispose();
  });

  test.each(CASES.map((c) => [c.name, c] as [string, Case]))('%s: fromTorchStateDict(toTorchStateDict(layer)) gives the same weights', (_, c) => {
    const layer = layerOf(c);
    const again = layerOf({ ...c, weights: c.weights.map((w) => tf.zerosLike(tf.tensor(w)).arraySync() as number[]) });
    fromTorchStateDict(again, toTorchStateDict(layer, { prefix: 'rnn.', layer: 2 }), { prefix: 'rnn.', layer: 2 });
    const a = layer.getWeights().map((w) => w.arraySync());
    const b = again.getWeights().map((w) => w.arraySync());
    expect(b).toEqual(a);
    layer.dispose();
    again.dispose();
  });

  test('toTorchModelStateDict: a whole model, loaded into a torch module of nn.Embedding, LSTM, GRU and Linear, computes our outputs', () => {
    const m = new Sequential();
    m.add(new Embedding({ inputDim: 12, outputDim: 4, inputShape: [5] }));
    m.add(new LSTM({ units: 3, returnSequences: true }));
    m.add(new Bidirectional({ layer: new GRU({ units: 2 }) }));
    m.add(new Dense({ units: 2 }));
    const ws = MODEL.weights.map((w) => tf.tensor(w));
    m.setWeights(ws);
    const sd = toTorchModelStateDict(m);
    expect(Object.keys(sd)).toEqual(Object.keys(MODEL.stateDict));
    for (const key of Object.keys(sd)) expect(maxAbsDiff(sd[key] as number[], MODEL.stateDict[key])).toBe(0);
    const x = tf.tensor2d(MODEL.input, undefined, 'int32');
    const y = m.predict(x) as tf.Tensor;
    expectClose(y, MODEL.output, 1e-5, 'output');
    tf.dispose([...ws, x, y]);
    m.dispose();
  });

  test.each(DEMO.map((d) => [d.name, d] as const))(
    "%s: the demo's model, loaded strictly into docs/python/sentiment_torch.py's module, gives our probabilities to 1e-5",
    (name, d) => {
      const model = cases(lib, { buildClassifier, DEFAULTS }).find((c) => c.name === name)!.build();
      const sd = toTorchModelStateDict(model);
      expect(Object.keys(sd)).toEqual(Object.keys(d.keys));
      for (const [key, [shape, head, sum]] of Object.entries(d.keys)) {
        const values = tf.tensor(sd[key] as number[]);
        expect(values.shape).toEqual(shape);
        expect(maxAbsDiff(Array.from(values.dataSync()).slice(0, 4), head)).toBeLessThan(1e-6);
        expect(Math.abs(values.sum().dataSync()[0] - sum)).toBeLessThan(1e-4);
        values.dispose();
      }
      const x = tf.tensor(d.input as number[], undefined, 'int32');
      const y = model.predict(x) as tf.Tensor;
      expectClose(y, d.output, 1e-5, 'probabilities');
      tf.dispose([x, y]);
      model.dispose();
    },
  );

  test("a TimeDistributed Dense is an nn.Linear (applied to every step): its kernel transposed", () => {
    const m = new Sequential();
    m.add(new Embedding({ inputDim: 9, outputDim: 3, inputShape: [4] }));
    m.add(new LSTM({ units: 5, returnSequences: true }));
    m.add(new lib.TimeDistributed({ layer: new Dense({ units: 2 }) }));
    const sd = toTorchModelStateDict(m);
    expect(Object.keys(sd).filter((k) => k.startsWith('time_distributed'))).toEqual(['time_distributed.weight', 'time_distributed.bias']);
    const [W] = m.layers[2].getWeights();
    expect(sd['time_distributed.weight']).toEqual(W.transpose().arraySync());
    m.dispose();
  });

  test('prefix and layer name the keys as in a bigger module', () => {
    const lstm = new LSTM({ units: 2 });
    lstm.build([null, null, 3]);
    expect(Object.keys(toTorchStateDict(lstm, { prefix: 'encoder.rnn.', layer: 1 }))).toEqual([
      'encoder.rnn.weight_ih_l1', 'encoder.rnn.weight_hh_l1', 'encoder.rnn.bias_ih_l1', 'encoder.rnn.bias_hh_l1',
    ]);
    lstm.dispose();
  });

  test('leaks no tensor', () => {
    const bi = new Bidirectional({ layer: new GRU({ units: 2 }) });
    bi.build([null, null, 3]);
    const n = tf.memory().numTensors;
    toTorchStateDict(bi);
    expect(tf.memory().numTensors).toBe(n);
    bi.dispose();
  });

  const built = <T extends RecurrentLayer | Bidirectional>(l: T): T => {
    l.build([null, null, 3]);
    return l;
  };
  test.each([
    ['GRU resetAfter false', () => built(new GRU({ units: 2, resetAfter: false })), /toTorchStateDict: GRU 'gru' has resetAfter: false, but torch\.nn\.GRU applies the reset gate after/],
    ['a SimpleRNN with sigmoid', () => built(new SimpleRNN({ units: 2, activation: 'sigmoid' })), /toTorchStateDict: SimpleRNN 'simple_rnn' has activation 'sigmoid'; torch\.nn\.RNN's nonlinearity is 'tanh' or 'relu'/],
    ['an LSTM with relu', () => built(new LSTM({ units: 2, activation: 'relu' })), /LSTM 'lstm' has activation 'relu' and recurrentActivation 'sigmoid'; torch\.nn\.LSTM computes tanh and sigmoid/],
    ['goBackwards alone', () => built(new LSTM({ units: 2, goBackwards: true })), /LSTM 'lstm' has goBackwards: true, which torch's modules do not have/],
    ['an unbuilt layer', () => new LSTM({ units: 2 }), /LSTM 'lstm' is not built yet \(no weights\)/],
    ['a Dense', () => ({}) as never, /layer must be a SimpleRNN, LSTM, GRU or Bidirectional, got/],
  ])('%s is a clear error', (_, make, message) => {
    resetNames();
    expect(() => toTorchStateDict(make())).toThrow(message);
  });
});
