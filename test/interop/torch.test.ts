/**
 * PyTorch nn.RNN / nn.LSTM / nn.GRU weights, loaded with fromTorchStateDict,
 * reproduce PyTorch's outputs and final states (fixtures: test/reference/make_interop.py).
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Bidirectional, GRU, LSTM, RecurrentLayer, SimpleRNN, fromTorchStateDict, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { expectClose } from '../helpers/close';

interface Case {
  name: string;
  module: 'RNN' | 'LSTM' | 'GRU';
  config: { input_size: number; hidden_size: number; num_layers: number; bidirectional: boolean; nonlinearity: 'tanh' | 'relu' | null };
  stateDict: Record<string, unknown>;
  input: number[][][];
  output: number[][][];
  h_n: number[][][];
  c_n: number[][][] | null;
}
const CASES: Case[] = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'interop', 'torch.json'), 'utf8')).cases;

function layerFor(c: Case): RecurrentLayer {
  const args = { units: c.config.hidden_size, returnSequences: true, returnState: true };
  if (c.module === 'LSTM') return new LSTM(args);
  if (c.module === 'GRU') return new GRU(args);
  return new SimpleRNN({ ...args, activation: c.config.nonlinearity ?? 'tanh' });
}

onEachBackend(() => {
  beforeEach(() => resetNames());

  test.each(CASES.map((c) => [c.name, c] as [string, Case]))('%s: outputs, h_n and c_n match PyTorch to 1e-5', (_, c) => {
    const x = tf.tensor3d(c.input);
    const S = c.module === 'LSTM' ? 2 : 1;
    let y: tf.Tensor = x;
    const hN: tf.Tensor[] = [];
    const cN: tf.Tensor[] = [];
    for (let k = 0; k < c.config.num_layers; k++) {
      const layer = c.config.bidirectional ? new Bidirectional({ layer: layerFor(c) }) : layerFor(c);
      fromTorchStateDict(layer, c.stateDict, { layer: k });
      const [out, ...states] = layer.apply(y) as tf.Tensor[];
      y = out;
      // torch orders h_n as (layer, direction); our states are [h, (c)] per direction.
      for (let d = 0; d < states.length / S; d++) {
        hN.push(states[d * S]);
        if (S === 2) cN.push(states[d * S + 1]);
      }
    }
    expectClose(y, c.output, 1e-5, 'output');
    expectClose(tf.stack(hN), c.h_n, 1e-5, 'h_n');
    if (c.c_n) expectClose(tf.stack(cN), c.c_n, 1e-5, 'c_n');
  });

  test('the weights land in Keras layout: GRU blocks r, z, n become z, r, h and the biases stay two rows', () => {
    const c = CASES.find((k) => k.name === 'gru')!;
    const gru = new GRU({ units: 3 });
    fromTorchStateDict(gru, c.stateDict);
    const [W, , b] = gru.getWeights().map((w) => w.arraySync() as number[][]);
    const wIh = c.stateDict.weight_ih_l0 as number[][]; // [r; z; n] rows, 3 each
    expect(W.map((row) => row[0])).toEqual(wIh[3].map((v) => Math.fround(v))); // Keras z block, column 0 = torch z row 0
    expect(W.map((row) => row[3])).toEqual(wIh[0].map((v) => Math.fround(v))); // Keras r block = torch r
    expect(b[1][6]).toBe(Math.fround((c.stateDict.bias_hh_l0 as number[])[6])); // recurrent h bias = torch b_hn
  });
});

describe('fromTorchStateDict errors', () => {
  const lstm = CASES.find((k) => k.name === 'lstm')!;
  const bi = CASES.find((k) => k.name === 'lstm_bidirectional')!;
  const gru = CASES.find((k) => k.name === 'gru')!;
  test.each<[string, () => void, RegExp]>([
    ['wrong units', () => fromTorchStateDict(new LSTM({ units: 4 }), lstm.stateDict), /weight_ih_l0 must have shape \[16, 2\] \(4 gates × 4 units, 2 input features\), got \[12, 2\]/],
    ['a missing key', () => fromTorchStateDict(new LSTM({ units: 3 }), lstm.stateDict, { layer: 1 }), /no weight_ih_l1 in the state dict \(it has weight_ih_l0, /],
    ['GRU resetAfter false', () => fromTorchStateDict(new GRU({ units: 3, resetAfter: false }), gru.stateDict), /resetAfter: false, but torch\.nn\.GRU applies the reset gate after/],
    ['a bidirectional module into one layer', () => fromTorchStateDict(new LSTM({ units: 3 }), bi.stateDict), /bidirectional module .*load it into a Bidirectional layer/],
    ['a one-way module into Bidirectional', () => fromTorchStateDict(new Bidirectional({ layer: new LSTM({ units: 3 }) }), lstm.stateDict), /needs a bidirectional module \(no weight_ih_l0_reverse/],
    ['a ragged array', () => fromTorchStateDict(new LSTM({ units: 3 }), { ...lstm.stateDict, bias_ih_l0: [[1, 2], [3]] }), /bias_ih_l0 is ragged: bias_ih_l0\[1\] has length 1, expected 2/],
    ['not an object', () => fromTorchStateDict(new LSTM({ units: 3 }), null as never), /stateDict must be an object/],
    ['biases into a layer without', () => fromTorchStateDict(new LSTM({ units: 3, useBias: false }), lstm.stateDict), /has biases .* useBias: false/],
  ])('%s is a clear error', (_, f, message) => {
    resetNames();
    expect(f).toThrow(message);
  });

  test('an error leaves the layer as it was and leaks nothing', () => {
    const layer = new LSTM({ units: 3 });
    layer.build([null, null, 2]);
    const before = layer.getWeights().map((w) => w.arraySync());
    const n = tf.memory().numTensors;
    expect(() => fromTorchStateDict(layer, { ...lstm.stateDict, bias_hh_l0: [1, 2, 3] })).toThrow(/bias_hh_l0 must have shape \[12\]/);
    expect(tf.memory().numTensors).toBe(n);
    expect(layer.getWeights().map((w) => w.arraySync())).toEqual(before);
  });
});
