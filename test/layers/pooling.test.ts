/** Global pooling over time, honouring the mask. */
import { tf } from '../../src/tf';
import { GlobalMaxPooling1D, GlobalAveragePooling1D, Sequential, Embedding, GRU, Bidirectional, Dense, RecurrentInputError, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

onEachBackend(() => {
  beforeEach(() => resetNames());
  // x[b, t, f]: two sequences of three steps, two features.
  const x = () => tf.tensor3d([[[1, -5], [3, -2], [2, -9]], [[-1, 4], [-7, 8], [9, 0]]]);
  const mask = () => tf.tensor2d([[1, 1, 0], [0, 1, 1]]).cast('bool');

  test('GlobalMaxPooling1D: the max over all steps, or over the real ones only', () => {
    const layer = new GlobalMaxPooling1D();
    expect((layer.apply(x()) as tf.Tensor).arraySync()).toEqual([[3, -2], [9, 8]]);
    expect((layer.apply(x(), { mask: mask() }) as tf.Tensor).arraySync()).toEqual([[3, -2], [9, 8]]);
    const m2 = tf.tensor2d([[1, 0, 0], [1, 0, 0]]).cast('bool');
    expect((layer.apply(x(), { mask: m2 }) as tf.Tensor).arraySync()).toEqual([[1, -5], [-1, 4]]);
  });

  test.each([
    ['GlobalMaxPooling1D', () => new GlobalMaxPooling1D()],
    ['GlobalAveragePooling1D', () => new GlobalAveragePooling1D()],
  ])('%s pools a sequence with no real step to 0, and its gradient there is 0', (_n, make) => {
    const layer = make();
    const none = tf.tensor2d([[0, 0, 0], [1, 0, 1]]).cast('bool');
    const xs = tf.tensor3d([[[-3e9, -1], [-2, -4], [-5, -6]], [[-3e9, -1], [-2, -4], [-5, -6]]]);
    const y = layer.apply(xs, { mask: none }) as tf.Tensor;
    expect((y.arraySync() as number[][])[0]).toEqual([0, 0]); // an empty text: 0, not a huge negative value
    const real = (y.arraySync() as number[][])[1];
    if (_n === 'GlobalMaxPooling1D') expect(real).toEqual([-5, -1]); // even below −1e9 the real step wins over the masked one
    const g = tf.grad((v: tf.Tensor) => tf.sum(layer.apply(v, { mask: none }) as tf.Tensor))(xs);
    const gArr = g.arraySync() as number[][][];
    expect(gArr[0]).toEqual([[0, 0], [0, 0], [0, 0]]);
    expect(gArr.flat(2).every(Number.isFinite)).toBe(true);
  });

  test('GlobalAveragePooling1D: the mean over the real steps', () => {
    const layer = new GlobalAveragePooling1D();
    expect((layer.apply(x(), { mask: mask() }) as tf.Tensor).arraySync()).toEqual([[2, -3.5], [1, 4]]);
    const all = (layer.apply(x()) as tf.Tensor).arraySync() as number[][];
    expect(all[0][0]).toBeCloseTo(2);
    expect(all[1][1]).toBeCloseTo(4);
  });

  test('after Bidirectional(GRU, returnSequences) in a model: Keras names, shapes, no mask downstream, padding-invariant', () => {
    const m = new Sequential({ layers: [new Embedding({ inputDim: 20, outputDim: 4, maskZero: true }), new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true }) }), new GlobalMaxPooling1D(), new Dense({ units: 1 })] });
    expect(m.layers.map((l) => l.name)).toEqual(['embedding', 'bidirectional', 'global_max_pooling1d', 'dense']);
    const lines: string[] = [];
    m.summary(undefined, undefined, (l) => lines.push(String(l)));
    expect(lines[8]).toBe('global_max_pooling1d (Global (None, 6)                 0'.padEnd(65));
    const a = (m.predict(tf.tensor2d([[5, 6, 7]], [1, 3], 'int32')) as tf.Tensor).dataSync()[0];
    const b = (m.predict(tf.tensor2d([[0, 0, 5, 6, 7]], [1, 5], 'int32')) as tf.Tensor).dataSync()[0];
    expect(Math.abs(a - b)).toBeLessThan(1e-6);
  });

  test('a rank-2 input is a clear error', () => {
    expect(() => new GlobalMaxPooling1D().apply(tf.zeros([2, 3]))).toThrow(RecurrentInputError);
    expect(() => new GlobalAveragePooling1D().apply(tf.zeros([2, 3]))).toThrow(/^GlobalAveragePooling1D expects input of rank 3 \[batch, time, features\], got shape \[2, 3\]/);
  });
});
