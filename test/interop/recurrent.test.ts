/** The one gate-order table and the one permute function that Keras, PyTorch and ONNX interop share. */
import { tf } from '../../src/tf';
import { LSTM, GRU, SimpleRNN } from '../../src';
import { GATE_ORDER, GateFormat, RecurrentKind, permuteGates, recurrentSpec } from '../../src/interop/recurrent';

/** A [2, G·H] tensor whose every value names its gate block: block g holds g·10 + column. */
function named(kind: RecurrentKind, H: number): tf.Tensor {
  const G = GATE_ORDER.keras[kind].length;
  return tf.tensor2d([0, 1].map((r) => Array.from({ length: G * H }, (_, j) => Math.floor(j / H) * 10 + (j % H) + 100 * r)));
}

describe('permuteGates', () => {
  const kinds: RecurrentKind[] = ['simpleRNN', 'lstm', 'gru'];
  const formats: GateFormat[] = ['keras', 'torch', 'onnx'];

  test('puts each gate block where the target format names it, along either axis', () => {
    const x = named('lstm', 2); //                       Keras: i, f, c, o
    expect(permuteGates(x, 'lstm', 'keras', 'onnx', 1).arraySync()).toEqual([[0, 1, 30, 31, 10, 11, 20, 21], [100, 101, 130, 131, 110, 111, 120, 121]]); // i, o, f, c
    const g = named('gru', 1); //                        Keras: z, r, h
    expect(permuteGates(g, 'gru', 'keras', 'torch', 1).arraySync()).toEqual([[10, 0, 20], [110, 100, 120]]); // r, z, n
    expect(permuteGates(tf.transpose(g), 'gru', 'keras', 'torch', 0).arraySync()).toEqual([[10, 110], [0, 100], [20, 120]]);
  });

  test('from any format to any other and back is the identity, for every kind', () => {
    for (const kind of kinds) {
      const x = named(kind, 3);
      for (const a of formats) for (const b of formats) {
        expect(permuteGates(permuteGates(x, kind, a, b, 1), kind, b, a, 1).arraySync()).toEqual(x.arraySync());
      }
    }
  });

  test('every format lists the same gates for a kind', () => {
    for (const kind of kinds) for (const f of formats) expect([...GATE_ORDER[f][kind]].sort()).toEqual([...GATE_ORDER.keras[kind]].sort());
  });
});

describe('recurrentSpec', () => {
  test('describes each of our recurrent layers once, and nothing else', () => {
    expect(recurrentSpec(new LSTM({ units: 3, recurrentActivation: 'hard_sigmoid' }))).toEqual({ kind: 'lstm', units: 3, gates: 4, activation: 'tanh', recurrentActivation: 'hard_sigmoid', resetAfter: false, useBias: true });
    expect(recurrentSpec(new GRU({ units: 2, useBias: false }))).toEqual({ kind: 'gru', units: 2, gates: 3, activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: true, useBias: false });
    expect(recurrentSpec(new SimpleRNN({ units: 1, activation: 'relu' }))).toEqual({ kind: 'simpleRNN', units: 1, gates: 1, activation: 'relu', recurrentActivation: null, resetAfter: false, useBias: true });
    expect(recurrentSpec(tf.layers.dense({ units: 1 }))).toBeNull();
  });
});
