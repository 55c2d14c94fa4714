/**
 * The kernels (one call per sequence, src/kernels/) against the tf-op cells
 * of src/cells/ with autodiff, forward and backward, over cell × resetAfter ×
 * activations × mask × goBackwards × initial state × dropout ×
 * returnSequences: outputs, states, and the gradients of the input, every
 * weight and the initial states.
 */
import { tf } from '../../src/tf';
import { SimpleRNN, LSTM, GRU, RecurrentLayer, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { maxAbsDiff } from '../helpers/close';
import { kernelCalls } from '../../src/kernels/sequence';
import { placementOptions } from '../../src/placement';
import { kernelModule, residentBlocks } from '../../src/kernels/module';

type Make = (o: Record<string, unknown>) => RecurrentLayer;
// H = 3 and 11: a partial last panel of the kernels' 8-column product. B = 13: with the helper thread,
// rows 0–7 on one thread and 8–12 on the other (src/kernels: byRows), the latter with a partial 4-row tile.
const CELLS: Array<[string, Make, number]> = [
  ['SimpleRNN', (o) => new SimpleRNN({ units: 11, ...o }), 1],
  ['SimpleRNN relu', (o) => new SimpleRNN({ units: 3, activation: 'relu', ...o }), 1],
  ['LSTM', (o) => new LSTM({ units: 11, ...o }), 2],
  ['LSTM relu, hard_sigmoid gates', (o) => new LSTM({ units: 3, activation: 'relu', recurrentActivation: 'hard_sigmoid', ...o }), 2],
  ['LSTM linear, sigmoid gates', (o) => new LSTM({ units: 3, activation: 'linear', ...o }), 2],
  ['GRU linear gates', (o) => new GRU({ units: 3, recurrentActivation: 'linear', ...o }), 1],
  ['GRU', (o) => new GRU({ units: 11, ...o }), 1],
  ['GRU without bias', (o) => new GRU({ units: 3, useBias: false, ...o }), 1],
  ['GRU resetAfter false', (o) => new GRU({ units: 11, resetAfter: false, ...o }), 1],
  ['GRU resetAfter false, relu, hard_sigmoid gates', (o) => new GRU({ units: 3, resetAfter: false, activation: 'relu', recurrentActivation: 'hard_sigmoid', ...o }), 1],
];
const MODES: Array<[string, Record<string, unknown>, boolean, boolean, boolean]> = [
  // name, options, masked, initial state, training
  ['sequences + state', { returnSequences: true, returnState: true }, false, false, false],
  ['last output, masked', {}, true, false, false],
  ['goBackwards, masked, zeroOutputForMask', { goBackwards: true, returnSequences: true, zeroOutputForMask: true }, true, false, false],
  ['goBackwards, last output, masked, zeroOutputForMask', { goBackwards: true, zeroOutputForMask: true, returnState: true }, true, false, false],
  ['initial state, state returned', { returnState: true }, false, true, false],
  ['dropout and recurrent dropout', { returnSequences: true, dropout: 0.3, recurrentDropout: 0.4, seed: 5 }, true, true, true],
];
const [B, T, D] = [13, 6, 4];

// Holes, front and back padding, all real, one real step; each thread's rows get some of each.
const MASK = [
  [1, 1, 1, 0, 0, 0], [0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1], [0, 1, 0, 1, 0, 1], [1, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 0], [0, 0, 0, 0, 1, 1],
  [1, 0, 1, 1, 0, 1], [0, 0, 0, 0, 0, 1], [1, 1, 1, 1, 1, 1], [0, 1, 1, 1, 1, 0], [1, 1, 0, 0, 1, 1], [0, 0, 1, 1, 1, 1],
];

onEachBackend(() => {
  beforeEach(() => resetNames());
  afterAll(() => {
    placementOptions.projection = 'auto';
  });

  // X W + b in the kernels, and made by tf's matMul before them (what 'auto' picks on tensorflow).
  const PROJECTIONS = ['kernels', 'tf'] as const;
  test.each(PROJECTIONS.flatMap((where) => CELLS.flatMap(([c, make, S]) => MODES.map(([m, o, masked, init, training]) => [`${c}: ${m} (X W + b by ${where})`, make, S, o, masked, init, training, where] as const))))(
    '%s: the kernels give the cells\' outputs and gradients',
    (_n, make, S, o, masked, withInit, training, where) => {
      placementOptions.projection = where;
      const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 11);
      const mask = masked ? tf.tensor2d(MASK) : undefined;
      const init = withInit ? Array.from({ length: S }, (_, i) => tf.randomNormal([B, (o.units as number) ?? 0], 0, 0.5, 'float32', 20 + i)) : undefined;
      const run = (kernels: boolean) => {
        resetNames();
        const layer = make(o);
        layer.useKernels = kernels;
        layer.useAutodiff = !kernels;
        layer.build([B, T, D]);
        const H = layer.units;
        const s = init ?? [];
        const states = s.length ? s : undefined;
        layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.6, 'float32', 40 + i)));
        const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const initial = withInit ? Array.from({ length: S }, (_, i) => tf.randomNormal([B, H], 0, 0.5, 'float32', 20 + i)) : undefined;
        const loss = (xx: tf.Tensor, ...st: tf.Tensor[]) => {
          const y = layer.apply(xx, { mask, training, initialState: initial ? st : states }) as tf.Tensor | tf.Tensor[];
          const ys = Array.isArray(y) ? y : [y];
          return ys.reduce((acc: tf.Tensor, t, i) => tf.add(acc, tf.sum(tf.mul(t, tf.cos(tf.add(tf.range(0, t.size).reshape(t.shape), i))))), tf.scalar(0)) as tf.Scalar;
        };
        const y = layer.apply(x, { mask, training, initialState: initial }) as tf.Tensor | tf.Tensor[];
        const values = (Array.isArray(y) ? y : [y]).map((t) => t.arraySync());
        const { grads } = tf.variableGrads(() => loss(x, ...(initial ?? [])), vars);
        const dIn = tf.grads((xx: tf.Tensor, ...st: tf.Tensor[]) => loss(xx, ...st))([x, ...(initial ?? [])]);
        const out = [...values, ...vars.map((v) => grads[v.name].arraySync()), ...dIn.map((d) => d.arraySync())];
        tf.dispose([y, ...Object.values(grads), ...dIn, ...(initial ?? [])]);
        layer.dispose();
        return out as number[][];
      };
      const before = { ...kernelCalls };
      const kernels = run(true);
      expect(kernelCalls.forward).toBeGreaterThan(before.forward); // the kernels ran (forward and backward), not the cells
      expect(kernelCalls.backward).toBeGreaterThan(before.backward);
      expect(residentBlocks(kernelModule()!).inUse).toBe(0); // each backward call freed what its forward call kept
      const mid = { ...kernelCalls };
      const cells = run(false);
      expect(kernelCalls).toEqual(mid);
      expect(kernels.length).toBe(cells.length);
      const scale = (v: number[]) => Math.max(1, ...(v.flat(3) as number[]).map(Math.abs));
      kernels.forEach((k, i) => expect(maxAbsDiff(k, cells[i]) / scale(cells[i])).toBeLessThan(5e-5)); // float32, relative to the largest value
      tf.dispose([x, ...(mask ? [mask] : []), ...(init ?? [])]);
    },
  );
});
