/**
 * The hand-written backward (explicit BPTT) against autodiff of the same
 * forward (`runLoop`), over cells × masking × goBackwards × returnSequences ×
 * returnState × initial state × dropout: gradients for the input, every
 * weight and the initial state.
 */
import { tf } from '../../src/tf';
import { SimpleRNN, LSTM, GRU, RecurrentLayer, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { maxAbsDiff } from '../helpers/close';

type Make = (o: Record<string, unknown>) => RecurrentLayer;
const CELLS: Array<[string, Make, number]> = [
  ['SimpleRNN', (o) => new SimpleRNN({ units: 3, ...o }), 1],
  ['SimpleRNN relu', (o) => new SimpleRNN({ units: 3, activation: 'relu', ...o }), 1],
  ['SimpleRNN hard_sigmoid', (o) => new SimpleRNN({ units: 3, activation: 'hard_sigmoid', ...o }), 1],
  ['LSTM', (o) => new LSTM({ units: 3, ...o }), 2],
  ['LSTM relu, linear gates', (o) => new LSTM({ units: 3, activation: 'relu', recurrentActivation: 'linear', ...o }), 2],
  ['LSTM relu, sigmoid gates', (o) => new LSTM({ units: 3, activation: 'relu', ...o }), 2],
  ['LSTM hard_sigmoid gates', (o) => new LSTM({ units: 3, recurrentActivation: 'hard_sigmoid', ...o }), 2],
  ['GRU', (o) => new GRU({ units: 3, ...o }), 1],
  ['GRU relu', (o) => new GRU({ units: 3, activation: 'relu', ...o }), 1],
  ['GRU hard_sigmoid gates', (o) => new GRU({ units: 3, recurrentActivation: 'hard_sigmoid', ...o }), 1],
];
const hasBPTT = (layer: RecurrentLayer) => layer.cell.hasBPTT();
const MODES: Array<[string, Record<string, unknown>, boolean, boolean, boolean]> = [
  // name, options, masked, initial state, training
  ['sequences + state', { returnSequences: true, returnState: true }, false, false, false],
  ['last output, masked', {}, true, false, false],
  ['goBackwards, masked, zeroOutputForMask', { goBackwards: true, returnSequences: true, zeroOutputForMask: true }, true, false, false],
  ['initial state, state returned', { returnState: true }, false, true, false],
  ['dropout and recurrent dropout', { returnSequences: true, dropout: 0.3, recurrentDropout: 0.4, seed: 5 }, true, true, true],
];

onEachBackend(() => {
  beforeEach(() => resetNames());

  test.each(CELLS.flatMap(([c, make, S]) => MODES.map(([m, o, masked, init, training]) => [`${c}: ${m}`, make, S, o, masked, init, training] as const)))(
    '%s: hand-written gradients equal autodiff',
    (_n, make, S, o, masked, withInit, training) => {
      const x = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 11);
      const mask = masked ? tf.tensor2d([[1, 1, 1, 0, 0], [0, 0, 1, 1, 1]]) : undefined;
      const init = withInit ? Array.from({ length: S }, (_, i) => tf.randomNormal([2, 3], 0, 0.5, 'float32', 20 + i)) : undefined;
      const run = (autodiff: boolean) => {
        resetNames();
        const layer = make(o);
        layer.useAutodiff = autodiff;
        layer.useKernels = false; // the cells' hand-written backward (the kernels are compared with the cells in test/kernels/)
        layer.build([2, 5, 4]);
        layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.6, 'float32', 40 + i)));
        const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const loss = (xx: tf.Tensor, ...s: tf.Tensor[]) => {
          const y = layer.apply(xx, { mask, training, initialState: init ? s : undefined }) as tf.Tensor | tf.Tensor[];
          const ys = Array.isArray(y) ? y : [y];
          return ys.reduce((acc: tf.Tensor, t, i) => tf.add(acc, tf.sum(tf.mul(t, tf.cos(tf.add(tf.range(0, t.size).reshape(t.shape), i))))), tf.scalar(0)) as tf.Scalar;
        };
        const { grads } = tf.variableGrads(() => loss(x, ...(init ?? [])), vars);
        const dIn = tf.grads((xx: tf.Tensor, ...s: tf.Tensor[]) => loss(xx, ...s))([x, ...(init ?? [])]);
        const out = [...vars.map((v) => grads[v.name].arraySync()), ...dIn.map((d) => d.arraySync())];
        tf.dispose([...Object.values(grads), ...dIn]);
        layer.dispose();
        return out as number[][];
      };
      const hand = run(false);
      const auto = run(true);
      expect(hand.length).toBe(auto.length);
      hand.forEach((h, i) => expect(maxAbsDiff(h, auto[i])).toBeLessThan(1e-5));
      tf.dispose([x, ...(mask ? [mask] : []), ...(init ?? [])]);
    },
  );

  test.each(CELLS.map(([c, make]) => [c, make] as const))('%s has a hand-written backward (so the comparison above is not autodiff against itself)', (_c, make) => {
    expect(hasBPTT(make({}))).toBe(true);
  });

  test('GRU with resetAfter false falls back to autodiff and still matches finite differences (see gradients.test.ts)', () => {
    expect(hasBPTT(new GRU({ units: 2, resetAfter: false }))).toBe(false);
    expect(hasBPTT(new SimpleRNN({ units: 2, activation: 'softsign' }))).toBe(false);
  });
});
