/**
 * The public cells and RNN: a cell alone (Keras's call and tfjs's apply), its
 * Keras defaults, RNN of a cell against the layer it equals on every path
 * (kernels, hand-written BPTT, autodiff) forward and backward, a stack cell by
 * cell against the step-by-step loop, dropout, stateful calls, save and load
 * (unroll included), leaks, and errors that name the layer, the argument,
 * what was expected and what was received, before any tensor work.
 */
import { tf } from '../../src/tf';
import {
  Bidirectional, GRU, GRUCell, LSTM, LSTMCell, RNN, RecurrentCell, RecurrentConfigError, RecurrentInputError, Sequential, SimpleRNN,
  SimpleRNNCell, StackedRNNCells, loadModel, resetNames,
} from '../../src';
import { runCellLoop } from '../../src/layers/cell_loop';
import { kernelModule } from '../../src/kernels/module';
import { kernelCalls } from '../../src/kernels/sequence';
import { onEachBackend } from '../helpers/backends';
import { maxAbsDiff } from '../helpers/close';
import { scratchDir } from '../helpers/scratch';

const MASK = [[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1], [1, 0, 1, 1, 0, 0]];
const arr = (t: tf.Tensor) => t.arraySync() as number[];
const seeded = (layer: tf.layers.Layer, seed: number) => layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.5, 'float32', seed + i)));

/** Each of our layers and the RNN of its cell, with the same options. */
const PAIRS: Array<[string, (o: Record<string, unknown>) => RNN, (o: Record<string, unknown>) => RNN]> = [
  ['SimpleRNN', (o) => new SimpleRNN({ units: 4, ...o }), (o) => new RNN({ cell: new SimpleRNNCell({ units: 4 }), ...o })],
  ['LSTM', (o) => new LSTM({ units: 4, ...o }), (o) => new RNN({ cell: new LSTMCell({ units: 4 }), ...o })],
  ['GRU', (o) => new GRU({ units: 4, ...o }), (o) => new RNN({ cell: new GRUCell({ units: 4 }), ...o })],
  ['GRU resetAfter false', (o) => new GRU({ units: 4, resetAfter: false, ...o }), (o) => new RNN({ cell: new GRUCell({ units: 4, resetAfter: false }), ...o })],
];
const PATHS: Array<[string, Partial<RNN>]> = [
  ['kernels', { useKernels: true, useAutodiff: false }],
  ['tf-op steps (hand-written BPTT where there is one)', { useKernels: false, useAutodiff: false }],
  ['autodiff', { useKernels: false, useAutodiff: true }],
];

/** Output, final states and the gradients of Σ out ⊙ sin(k) for x and every weight. */
function outputsAndGrads(layer: RNN, x: tf.Tensor, kwargs: Record<string, unknown>): number[][] {
  return tf.tidy(() => {
    const run = (xx: tf.Tensor) => [layer.apply(xx, kwargs) as tf.Tensor | tf.Tensor[]].flat();
    const outs = run(x);
    const f = (xx: tf.Tensor) => {
      const y = run(xx)[0];
      return tf.sum(tf.mul(y, tf.sin(tf.range(0, y.size).reshape(y.shape)))) as tf.Scalar;
    };
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => f(x), vars);
    const dx = tf.grad(f)(x);
    return [...outs, dx, ...vars.map((v) => grads[v.name])].map((t) => Array.from(t.dataSync()));
  });
}

const close = (a: number[][], b: number[][], tol: number) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(maxAbsDiff(v, b[i])).toBeLessThan(tol));
};

onEachBackend(() => {
  const dir = scratchDir('cells-');
  beforeEach(() => resetNames());

  describe('a cell alone', () => {
    test.each([
      ['SimpleRNNCell', () => new SimpleRNNCell({ units: 3 }), () => new SimpleRNN({ units: 3, returnState: true })],
      ['LSTMCell', () => new LSTMCell({ units: 3 }), () => new LSTM({ units: 3, returnState: true })],
      ['GRUCell', () => new GRUCell({ units: 3 }), () => new GRU({ units: 3, returnState: true })],
    ] as Array<[string, () => LSTMCell | GRUCell | SimpleRNNCell, () => RNN]>)('%s: call(x_t, states) is one step of its layer, apply([x_t, ...states]) the flat list', (_n, makeCell, makeLayer) => {
      const cell = makeCell();
      const layer = makeLayer();
      layer.build([2, 1, 5]);
      seeded(layer, 1);
      cell.build([2, 5]);
      cell.setWeights(layer.getWeights());
      const x = tf.randomNormal([2, 5], 0, 1, 'float32', 7);
      const states = cell.stateSizes.map((n, i) => tf.randomNormal([2, n], 0, 1, 'float32', 8 + i));
      const [y, next] = cell.call(x, states);
      const [yL, ...sL] = layer.apply(tf.expandDims(x, 1), { initialState: states }) as tf.Tensor[];
      expect(y).toBe(next[0]);
      expect(maxAbsDiff(arr(y), arr(yL))).toBeLessThan(1e-6);
      next.forEach((s, i) => expect(maxAbsDiff(arr(s), arr(sL[i]))).toBeLessThan(1e-6));
      const flat = cell.apply([x, ...states]) as tf.Tensor[];
      expect(flat.length).toBe(1 + states.length);
      expect(arr(flat[0])).toEqual(arr(y));
      const sym = cell.apply([tf.input({ shape: [5] }), ...states.map((s) => tf.input({ shape: [s.shape[1] as number] }))]) as tf.SymbolicTensor[];
      expect(sym.map((t) => t.shape)).toEqual([[null, 3], ...states.map(() => [null, 3])]);
    });

    test("the cells' defaults are Keras 3's", () => {
      const lstm = new LSTMCell({ units: 2 });
      const gru = new GRUCell({ units: 2 });
      const simple = new SimpleRNNCell({ units: 2 });
      expect([lstm.name, gru.name, simple.name]).toEqual(['lstm_cell', 'gru_cell', 'simple_rnn_cell']);
      expect([lstm.stateSize, gru.stateSize, simple.stateSize]).toEqual([[2, 2], 2, 2]);
      expect(lstm.getConfig()).toMatchObject({
        units: 2, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true, unitForgetBias: true, dropout: 0, recurrentDropout: 0,
        kernelInitializer: { className: 'GlorotUniform' }, recurrentInitializer: { className: 'Orthogonal' }, biasInitializer: { className: 'Zeros' },
      });
      expect(gru.getConfig()).toMatchObject({ resetAfter: true, recurrentActivation: 'sigmoid' });
      lstm.build([null, 3]);
      gru.build([null, 3]);
      expect(arr(lstm.getWeights()[2])).toEqual([0, 0, 1, 1, 0, 0, 0, 0]); // b_f starts at 1
      expect(gru.getWeights()[2].shape).toEqual([2, 6]); //                      input-side and recurrent-side rows
    });

    test('bad arguments and inputs are refused before any tensor work, naming the cell, the argument, the expectation and the value', () => {
      expect(() => new LSTMCell({ units: 0 })).toThrow(/^LSTMCell: units must be a positive integer, got 0$/);
      expect(() => new GRUCell({ units: 2, unit: 3 } as never)).toThrow(/^GRUCell: unknown option 'unit' \(did you mean 'units'\?\)/);
      expect(() => new SimpleRNNCell({ units: 2, activation: 'gelu' })).toThrow(/^SimpleRNNCell: activation must be one of .*, got 'gelu'$/);
      expect(() => new LSTMCell({ units: 2, returnSequences: true } as never)).toThrow(/^LSTMCell: unknown option 'returnSequences'/);
      const cell = new LSTMCell({ units: 2 });
      const [x, h, wide, seq, x5] = [tf.ones([3, 4]), tf.zeros([3, 2]), tf.zeros([3, 5]), tf.ones([3, 1, 4]), tf.ones([3, 5])];
      const n = tf.memory().numTensors;
      expect(() => cell.call(x, [h])).toThrow(/^LSTMCell \(layer 'lstm_cell(_\d+)?'\): states must be a list of 2 tensor\(s\) \[h, c\] of shape \[batch, 2\], got 1$/);
      expect(() => cell.call(x, [h, wide])).toThrow(/states\[1\] must have shape \[3, 2\], got shape \[3, 5\]$/);
      expect(() => cell.call(seq, [h, h])).toThrow(/expects an input step of rank 2 \[batch, features\], got shape \[3, 1, 4\]$/);
      expect(() => cell.apply(x)).toThrow(/call takes \(x_t, states\)/);
      expect(tf.memory().numTensors).toBe(n); //                      nothing made, not even the weights
      const [y, [, c]] = cell.call(x, [h, h]); //                        builds: 3 weights, and y = h_t and c_t
      expect(tf.memory().numTensors).toBe(n + 5);
      expect(() => cell.call(x5, [h, h])).toThrow(/was built for 4 input features, got an input step of shape \[3, 5\]$/);
      expect(tf.memory().numTensors).toBe(n + 5);
      tf.dispose([x, h, wide, seq, x5, y, c]);
    });
  });

  describe.each(PAIRS)('RNN of a %s cell', (_n, makeLayer, makeRNN) => {
    test.each(PATHS)('equals the layer on the %s path: outputs, final states and gradients, masked, backwards, from an initial state', (_p, flags) => {
      const opts = { returnSequences: true, returnState: true, goBackwards: true };
      const layer = makeLayer(opts);
      const rnn = makeRNN(opts);
      Object.assign(layer, flags);
      Object.assign(rnn, flags);
      layer.build([3, 6, 5]);
      rnn.build([3, 6, 5]);
      seeded(layer, 11);
      rnn.setWeights(layer.getWeights());
      const x = tf.randomNormal([3, 6, 5], 0, 1, 'float32', 20);
      const mask = tf.tensor2d(MASK, undefined, 'bool');
      const initialState = layer.stateSize.map((n, i) => tf.randomNormal([3, n], 0, 1, 'float32', 30 + i));
      const before = kernelCalls.forward;
      const a = outputsAndGrads(layer, x, { mask, initialState, training: true });
      const b = outputsAndGrads(rnn, x, { mask, initialState, training: true });
      if (flags.useKernels && kernelModule() != null) expect(kernelCalls.forward - before).toBeGreaterThanOrEqual(4); // both layers, twice each, in the kernels
      close(a, b, 1e-6);
      tf.dispose([x, mask, ...initialState]);
    });

    test('the kernels path gives the autodiff path\'s gradients (masked)', () => {
      const rnn = makeRNN({ returnSequences: true });
      rnn.build([3, 6, 5]);
      seeded(rnn, 40);
      const x = tf.randomNormal([3, 6, 5], 0, 1, 'float32', 41);
      const mask = tf.tensor2d(MASK, undefined, 'bool');
      const fast = outputsAndGrads(rnn, x, { mask, training: true });
      rnn.useAutodiff = true;
      const reference = outputsAndGrads(rnn, x, { mask, training: true });
      close(fast, reference, 1e-4);
      tf.dispose([x, mask]);
    });
  });

  describe('a stack of our cells', () => {
    const make = (o: Record<string, unknown>) =>
      new RNN({ cell: [new LSTMCell({ units: 4 }), new GRUCell({ units: 3 }), new SimpleRNNCell({ units: 2 })], ...o });
    test.each([
      ['forwards', { returnSequences: true, returnState: true }],
      ['backwards, zeros at masked steps', { returnSequences: true, returnState: true, goBackwards: true, zeroOutputForMask: true }],
      ['backwards, last output only', { goBackwards: true, returnState: true }],
    ] as Array<[string, Record<string, unknown>]>)('cell after cell equals the step-by-step loop of Keras\'s StackedRNNCells (%s): outputs, states, gradients', (_n, opts) => {
      const rnn = make(opts);
      rnn.build([3, 6, 5]);
      seeded(rnn, 50);
      const x = tf.randomNormal([3, 6, 5], 0, 1, 'float32', 51);
      const mask = tf.tensor2d(MASK, undefined, 'bool');
      const initialState = rnn.stateSize.map((n, i) => tf.randomNormal([3, n], 0, 1, 'float32', 60 + i));
      const before = kernelCalls.forward;
      const perCell = outputsAndGrads(rnn, x, { mask, initialState });
      if (kernelModule()) expect(kernelCalls.forward - before).toBe(3 * 3); // one call per cell, for the output, the weights' and x's gradients
      // The same stack, step by step (the loop a user's cell takes), differentiated by autodiff.
      const stepwise = new RNN({ cell: rnn.cell, ...opts });
      (stepwise as unknown as { runCell: unknown }).runCell = (xx: tf.Tensor3D, init: tf.Tensor2D[], o: Parameters<typeof runCellLoop>[3]) => runCellLoop(rnn.cell, xx, init, o);
      stepwise.build([3, 6, 5]);
      close(perCell, outputsAndGrads(stepwise, x, { mask, initialState }), 1e-5);
      tf.dispose([x, mask, ...initialState]);
    });

    test('a stack holding a cell of the user\'s own runs step by step, our cells in it with their dropout', () => {
      class Doubler implements RecurrentCell {
        readonly stateSize = 3;
        call(x: tf.Tensor2D, [h]: tf.Tensor2D[]): [tf.Tensor2D, tf.Tensor2D[]] {
          const y = tf.add(tf.mul(x, 2), h) as tf.Tensor2D; //   h_t = 2 x_t + h_{t-1}
          return [y, [y]];
        }
      }
      const rnn = new RNN({ cell: [new GRUCell({ units: 3, dropout: 0.5, recurrentDropout: 0.5, seed: 1 }), new Doubler()], returnSequences: true });
      const x = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 70);
      const before = kernelCalls.forward;
      const y = rnn.apply(x) as tf.Tensor;
      expect(kernelCalls.forward).toBe(before);
      const gru = new RNN({ cell: new GRUCell({ units: 3 }), returnSequences: true });
      gru.build([2, 4, 5]);
      gru.setWeights(rnn.getWeights());
      const g = gru.apply(x) as tf.Tensor;
      const want = tf.cumsum(tf.mul(g, 2), 1); // Σ_{s ≤ t} 2 g_s
      expect(maxAbsDiff(arr(y), arr(want))).toBeLessThan(1e-5);
      const t1 = arr(rnn.apply(x, { training: true }) as tf.Tensor);
      expect(maxAbsDiff(t1, arr(y))).toBeGreaterThan(1e-3); // dropout applies while training
      tf.dispose([x, y, g, want]);
    });
  });

  test('dropout and recurrent dropout: repeatable with a seed, off at inference, the same in RNN(cell) as in the layer', () => {
    const opts = { dropout: 0.3, recurrentDropout: 0.3, seed: 5 };
    const layer = new LSTM({ units: 3, ...opts });
    const rnn = new RNN({ cell: new LSTMCell({ units: 3, ...opts }) });
    layer.build([2, 4, 3]);
    rnn.build([2, 4, 3]);
    seeded(layer, 80);
    rnn.setWeights(layer.getWeights());
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 81);
    const [a, b] = [layer, rnn].map((l) => arr(l.apply(x, { training: true }) as tf.Tensor));
    expect(b).toEqual(a);
    expect(maxAbsDiff(arr(rnn.apply(x) as tf.Tensor), arr(layer.apply(x) as tf.Tensor))).toBe(0);
    expect(maxAbsDiff(arr(rnn.apply(x) as tf.Tensor), b)).toBeGreaterThan(1e-3);
    tf.dispose(x);
  });

  test('a stateful RNN of cells carries its states from call to call, and resetStates starts again', () => {
    const rnn = new RNN({ cell: [new LSTMCell({ units: 3 }), new GRUCell({ units: 2 })], stateful: true, batchInputShape: [2, 4, 3] });
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 90);
    const first = arr(rnn.apply(x) as tf.Tensor);
    const second = arr(rnn.apply(x) as tf.Tensor);
    expect(maxAbsDiff(first, second)).toBeGreaterThan(1e-4);
    expect(rnn.getStates()!.map((s) => s.shape)).toEqual([[2, 3], [2, 3], [2, 2]]);
    rnn.resetStates();
    expect(arr(rnn.apply(x) as tf.Tensor)).toEqual(first);
    rnn.dispose();
    tf.dispose(x);
  });

  test('save and load in our format: configs, weights and outputs of RNN(cell), a stack, Bidirectional(RNN) and layers with unroll', async () => {
    const model = new Sequential();
    model.add(new RNN({ cell: new LSTMCell({ units: 4, recurrentActivation: 'hard_sigmoid' }), returnSequences: true, unroll: true, inputShape: [6, 5] }));
    model.add(new RNN({ cell: [new GRUCell({ units: 3, resetAfter: false }), new SimpleRNNCell({ units: 3, activation: 'relu' })], returnSequences: true }));
    model.add(new Bidirectional({ layer: new RNN({ cell: new GRUCell({ units: 2 }), returnSequences: true }), mergeMode: 'sum' }));
    model.add(new LSTM({ units: 2, unroll: true, returnSequences: true }));
    model.add(new GRU({ units: 2, unroll: true }));
    seeded(model as unknown as tf.layers.Layer, 100);
    const x = tf.randomNormal([2, 6, 5], 0, 1, 'float32', 101);
    const y = arr(model.predict(x) as tf.Tensor);
    await model.save(`file://${dir()}/cells`);
    const loaded = await loadModel(`${dir()}/cells`);
    expect(loaded.toJSON(null, false)).toEqual(model.toJSON(null, false));
    expect(loaded.weights.map((w) => w.originalName)).toEqual(model.weights.map((w) => w.originalName));
    expect(arr(loaded.predict(x) as tf.Tensor)).toEqual(y);
    expect((loaded.layers[0] as RNN).unroll).toBe(true);
    expect((loaded.layers[3] as LSTM).unroll).toBe(true);
    expect((loaded.layers[4] as GRU).getConfig().unroll).toBe(true);
    expect(((loaded.layers[1] as RNN).cell as StackedRNNCells).cells.map((c) => (c as GRUCell).getClassName())).toEqual(['tfjs-recurrent>GRUCell', 'tfjs-recurrent>SimpleRNNCell']);
    tf.dispose(x);
    model.dispose();
    loaded.dispose();
  });

  test('predict, a training step and evaluate leave the tensor count unchanged (RNN of a cell, a stack, Bidirectional)', async () => {
    const model = new Sequential();
    model.add(new RNN({ cell: new LSTMCell({ units: 3, dropout: 0.2, recurrentDropout: 0.2 }), returnSequences: true, inputShape: [5, 2] }));
    model.add(new RNN({ cell: [new GRUCell({ units: 3 }), new SimpleRNNCell({ units: 2 })], returnSequences: true }));
    model.add(new Bidirectional({ layer: new RNN({ cell: new LSTMCell({ units: 2 }) }) }));
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = tf.randomNormal([4, 5, 2], 0, 1, 'float32', 110);
    const y = tf.randomNormal([4, 4], 0, 1, 'float32', 111);
    await model.trainOnBatch(x, y);
    const n0 = tf.memory().numTensors;
    tf.dispose(model.predict(x));
    expect(tf.memory().numTensors).toBe(n0);
    const before = model.getWeights().map(arr);
    await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0 });
    expect(tf.memory().numTensors).toBe(n0);
    model.getWeights().forEach((w, i) => expect(maxAbsDiff(arr(w), before[i])).toBeGreaterThan(0)); // every weight trained
    tf.dispose(model.evaluate(x, y) as tf.Scalar);
    expect(tf.memory().numTensors).toBe(n0);
    tf.dispose([x, y]);
    model.dispose();
  });

  describe('errors', () => {
    test.each([
      ['no cell', () => new RNN({} as never), /^RNN: cell must be a cell \(such as new LSTMCell\(\{ units: 32 \}\)\) or a list of cells, got undefined$/, RecurrentConfigError],
      ['a cell without call', () => new RNN({ cell: { stateSize: 3 } as never }), /^RNN: cell must have a call\(input, states\) method returning \[output, newStates\], got object without one$/, RecurrentConfigError],
      ['a cell without a stateSize', () => new RNN({ cell: { call: () => null } as never }), /^RNN: cell must have a stateSize: a positive integer \(one state\) or a list of them \(one per state\), got undefined \(object\)$/, RecurrentConfigError],
      ['a stateSize of 0', () => new RNN({ cell: { stateSize: [3, 0], call: () => null } as never }), /got \[3, 0\]/, RecurrentConfigError],
      ['tfjs\'s own cell', () => new RNN({ cell: tf.layers.lstmCell({ units: 2 }) as never }), /^RNN: cell is tfjs's LSTMCell, which takes call\(\[x, \.\.\.states\]\); use this package's cell/, RecurrentConfigError],
      ['an empty list of cells', () => new RNN({ cell: [] }), /^StackedRNNCells: cells must be a non-empty list of cells, got \[\]$/, RecurrentConfigError],
      ['one cell twice in a stack', () => { const c = new GRUCell({ units: 2 }); return new RNN({ cell: [c, c] }); }, /^StackedRNNCells: cells must be distinct cells/, RecurrentConfigError],
      ['a stack holding no cell', () => new StackedRNNCells({ cells: [new GRUCell({ units: 2 }), 3 as never] }), /^StackedRNNCells: cells\[1\] must be a cell .*got 3$/, RecurrentConfigError],
      ['an unknown RNN option', () => new RNN({ cell: new GRUCell({ units: 2 }), returnSequence: true } as never), /^RNN: unknown option 'returnSequence' \(did you mean 'returnSequences'\?\)/, RecurrentConfigError],
      ['unroll not a boolean', () => new LSTM({ units: 2, unroll: 1 as never }), /^LSTM: unroll must be a boolean, got 1$/, RecurrentConfigError],
      ['an initial state of a stack of the wrong count', () => new RNN({ cell: [new LSTMCell({ units: 3 }), new GRUCell({ units: 2 })] }).apply(tf.zeros([2, 4, 5]), { initialState: [tf.zeros([2, 3])] }),
        /^RNN \(layer 'rnn'\): initialState must be a list of 3 tensor\(s\) of shape \[batch, 3\], \[batch, 3\], \[batch, 2\], got 1$/, RecurrentInputError],
      ['an initial state of a stack of the wrong shape', () => new RNN({ cell: [new LSTMCell({ units: 3 }), new GRUCell({ units: 2 })] }).apply(tf.zeros([2, 4, 5]), { initialState: [tf.zeros([2, 3]), tf.zeros([2, 3]), tf.zeros([2, 3])] }),
        /initialState\[2\] must have shape \[2, 2\], got shape \[2, 3\]$/, RecurrentInputError],
      ['a rank-2 input', () => new RNN({ cell: new GRUCell({ units: 2 }) }).apply(tf.zeros([2, 4])), /^RNN expects input of rank 3 \[batch, time, features\], got shape \[2, 4\] \(layer 'rnn'\)$/, RecurrentInputError],
      ['a user cell that returns a wrong state', () => new RNN({ cell: { stateSize: [3, 2], call: (x: tf.Tensor2D, s: tf.Tensor2D[]) => [s[0], [s[0], s[0]]] } as never }).apply(tf.zeros([2, 4, 5])),
        /^RNN \(layer 'rnn'\): cell 'cell' \(object\) must return \[output \[2, 3\], \[\[2, 3\], \[2, 2\]\]\] from call\(input, states\), got \[\[2, 3\], \[\[2, 3\], \[2, 3\]\]\]$/, RecurrentConfigError],
      ['saving an RNN of an unregistered cell', () => new RNN({ cell: { stateSize: 2, call: () => null } as never }).getConfig(), /^RNN \(layer 'rnn'\): cannot write the config of its cell 'cell' \(object\): a cell is saved when its class has a static className, getClassName\(\) and getConfig\(\), and is registered/, RecurrentConfigError],
      ['Bidirectional of an RNN of an unregistered cell', () => new Bidirectional({ layer: new RNN({ cell: { stateSize: 2, call: () => null } as never }) }), /^Bidirectional: copies each direction's layer from its config, and cannot copy layer 'rnn': RNN \(layer 'rnn'\): cannot write the config of its cell/, RecurrentConfigError],
      ['a backward RNN of another state', () => new Bidirectional({ layer: new RNN({ cell: new LSTMCell({ units: 3 }) }), backwardLayer: new RNN({ cell: [new LSTMCell({ units: 3 }), new GRUCell({ units: 2 })], goBackwards: true }) }),
        /^Bidirectional: backwardLayer must have the same units and state as layer \(RNN with 3 units\), got RNN with states \[3, 3, 2\]$/, RecurrentConfigError],
    ] as Array<[string, () => unknown, RegExp, new (m: string) => Error]>)('%s', (_n, f, re, cls) => {
      const n = tf.memory().numTensors;
      let err: unknown;
      try {
        tf.tidy(() => void f());
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(cls);
      expect((err as Error).message).toMatch(re);
      expect(tf.memory().numTensors).toBeLessThanOrEqual(n + 6); // at most the weights a build made before its call (tfjs's apply builds, then calls)
    });
  });
});
