/**
 * Output shapes over returnSequences × returnState (× mergeMode for
 * Bidirectional), eagerly and symbolically, and the same through a
 * functional model with an initial state.
 */
import { tf } from '../../src/tf';
import { SimpleRNN, LSTM, GRU, Bidirectional, Dense, Dropout, Sequential, RecurrentLayer, MergeMode, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

const B = 2, T = 5, D = 3, H = 4;
type Ctor = new (a: Record<string, unknown>) => RecurrentLayer;
const CELLS: Array<[string, Ctor, number]> = [
  ['SimpleRNN', SimpleRNN as unknown as Ctor, 1],
  ['LSTM', LSTM as unknown as Ctor, 2],
  ['GRU', GRU as unknown as Ctor, 1],
];
const shapes = (y: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[]) =>
  (Array.isArray(y) ? y : [y]).map((t) => t.shape);

onEachBackend(() => {
  beforeEach(() => resetNames());

  describe.each(CELLS)('%s', (_name, Layer, nStates) => {
    test.each([
      [false, false], [true, false], [false, true], [true, true],
    ])('returnSequences %s, returnState %s: eager and symbolic shapes agree with Keras', (rs, rst) => {
      const layer = new Layer({ units: H, returnSequences: rs, returnState: rst });
      const out = rs ? [B, T, H] : [B, H];
      const expected = rst ? [out, ...Array.from({ length: nStates }, () => [B, H])] : [out];
      const y = layer.apply(tf.ones([B, T, D])) as tf.Tensor | tf.Tensor[];
      expect(shapes(y)).toEqual(expected);
      const sym = layer.apply(tf.input({ shape: [null, D] }));
      // Symbolic input [null, null, D]: batch and time are unknown.
      expect(shapes(sym)).toEqual(expected.map((s) => (s.length === 3 ? [null, null, s[2]] : [null, s[1]])));
      tf.dispose(y);
    });
  });

  const modes: MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];
  test.each(modes.flatMap((m) => [[m, false], [m, true]] as Array<[MergeMode, boolean]>))(
    'Bidirectional(LSTM, returnSequences) mergeMode %s, returnState %s',
    (mergeMode, rst) => {
      const bi = new Bidirectional({ layer: new LSTM({ units: H, returnSequences: true, returnState: rst }), mergeMode });
      const y = bi.apply(tf.ones([B, T, D])) as tf.Tensor | tf.Tensor[];
      const out = [B, T, mergeMode === 'concat' ? 2 * H : H];
      const outs = mergeMode === null ? [out, out] : [out];
      expect(shapes(y)).toEqual([...outs, ...(rst ? Array.from({ length: 4 }, () => [B, H]) : [])]);
      const sym = shapes(bi.apply(tf.input({ shape: [T, D] })));
      expect(sym.map((s) => s.slice(1))).toEqual(shapes(y).map((s) => s.slice(1)));
      tf.dispose(y);
    },
  );

  test('an encoder state feeds a decoder through a functional model (initialState on symbolic tensors)', async () => {
    const encIn = tf.input({ shape: [null, D] });
    const decIn = tf.input({ shape: [null, D] });
    const [, h, c] = new LSTM({ units: H, returnState: true }).apply(encIn) as tf.SymbolicTensor[];
    const dec = new LSTM({ units: H, returnSequences: true }).apply(decIn, { initialState: [h, c] }) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [encIn, decIn], outputs: new Dense({ units: 2 }).apply(dec) as tf.SymbolicTensor });
    const y = model.predict([tf.ones([B, 7, D]), tf.ones([B, T, D])]) as tf.Tensor;
    expect(y.shape).toEqual([B, T, 2]);
    // The decoder output depends on the encoder input through the state.
    const y2 = model.predict([tf.zeros([B, 7, D]), tf.ones([B, T, D])]) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(y, y2))).dataSync()[0]).toBeGreaterThan(1e-4);
  });

  test('Bidirectional takes initialState as the layer it wraps does, after a tensor or a nested array of numbers', () => {
    const layer = new Bidirectional({ layer: new LSTM({ units: H }) });
    const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 5);
    const states = [0, 1, 2, 3].map((k) => tf.randomNormal([B, H], 0, 1, 'float32', 10 + k));
    const none = layer.apply(x) as tf.Tensor;
    const a = layer.apply(x, { initialState: states }) as tf.Tensor;
    const before = tf.memory().numTensors;
    const b = layer.apply(x.arraySync() as number[][][], { initialState: states }) as tf.Tensor;
    expect(tf.memory().numTensors).toBe(before + 1); // the output only: the tensor made of the array is freed
    expect(b.shape).toEqual([B, 2 * H]);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(a, none))).dataSync()[0]).toBeGreaterThan(1e-4); // the states are used
    tf.dispose([x, ...states, none, a, b]);
    layer.dispose();
  });

  test('dropout and recurrentDropout change outputs only while training, with one mask for every step', () => {
    const lstm = new LSTM({ units: H, dropout: 0.5, recurrentDropout: 0.5, returnSequences: true });
    const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 3);
    const a = lstm.apply(x) as tf.Tensor;
    const b = lstm.apply(x, { training: false }) as tf.Tensor;
    const c = lstm.apply(x, { training: true }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]).toBeGreaterThan(1e-3);
    // Input dropout: with only input dropout and a zero recurrent kernel, a
    // dropped feature is dropped at every step: the same mask for all t.
    const d = new SimpleRNN({ units: 1, dropout: 0.5, useBias: false, kernelInitializer: 'ones', recurrentInitializer: 'zeros', activation: 'linear', returnSequences: true });
    const seq = (d.apply(tf.ones([64, T, 1]), { training: true }) as tf.Tensor).squeeze([2]).arraySync() as number[][];
    for (const row of seq) expect(new Set(row).size).toBe(1);
    expect(new Set(seq.map((r) => r[0]))).toEqual(new Set([0, 2]));
    tf.dispose([x, a, b, c]);
  });

  test('Dropout layer: identity at inference, inverted dropout while training', () => {
    const layer = new Dropout({ rate: 0.5 });
    const x = tf.ones([100, 10]);
    expect((layer.apply(x) as tf.Tensor).arraySync()).toEqual(x.arraySync());
    const y = (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
    expect(new Set(Array.from(y))).toEqual(new Set([0, 2]));
  });

  test('Sequential with Dropout between recurrent layers trains and keeps the Keras names', async () => {
    const m = new Sequential();
    m.add(new GRU({ units: H, inputShape: [T, D], returnSequences: true }));
    m.add(new Dropout({ rate: 0.2 }));
    m.add(new SimpleRNN({ units: 2 }));
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const h = await m.fit(tf.randomNormal([8, T, D]), tf.zeros([8, 2]), { epochs: 1, verbose: 0 });
    expect(Number.isFinite(h.history.loss[0] as number)).toBe(true);
    expect(m.layers.map((l) => l.name)).toEqual(['gru', 'dropout', 'simple_rnn']);
  });
});
