/**
 * The Embedding's lookup and gradient in the kernels (src/kernels/embedding.ts)
 * give exactly what tf.gather and tf.scatterND give, on every backend (on
 * tensorflow those tf ops are the path), with repeated ids, rows of any width
 * and no ids at all; through the layer, a training step's gradient of the
 * table is scatterND's to the bit.
 */
import { tf } from '../../src/tf';
import { Embedding, resetNames } from '../../src';
import { embeddingCalls, lookupRows, scatterAddRows } from '../../src/kernels/embedding';
import { onEachBackend } from '../helpers/backends';

const bits = (t: tf.Tensor) => Array.from(t.dataSync());

onEachBackend((backend) => {
  // Where the kernels run each op (src/kernels/embedding.ts): else tf.gather or tf.scatterND.
  const kernels = { lookup: backend !== 'tensorflow', scatter: backend === 'cpu' };

  // Widths: a multiple of 4, a partial vector after whole ones, less than one vector.
  test.each([32, 6, 1])('lookupRows = tf.gather and scatterAddRows = tf.scatterND, rows of %i floats', (F) => {
    tf.tidy(() => {
      const V = 9;
      const table = tf.randomNormal([V, F], 0, 1, 'float32', F) as tf.Tensor2D;
      // Id 4 forty times: the sum of its rows depends on their order, which must be scatterND's.
      const ids = tf.tensor1d([4, 0, 8, ...Array(40).fill(4), 7, 8, 2], 'int32');
      const N = ids.size;
      const dy = tf.mul(tf.randomNormal([N, F], 0, 1, 'float32', 2), tf.pow(10, tf.randomUniform([N, 1], -4, 4, 'float32', 3))) as tf.Tensor2D;
      const before = { ...embeddingCalls };
      const y = lookupRows(table, ids);
      const dE = scatterAddRows(ids, dy, V);
      expect(embeddingCalls.lookup - before.lookup).toBe(kernels.lookup ? 1 : 0);
      expect(embeddingCalls.scatter - before.scatter).toBe(kernels.scatter ? 1 : 0);
      expect(y.shape).toEqual([N, F]);
      expect(bits(y)).toEqual(bits(tf.gather(table, ids)));
      expect(dE.shape).toEqual([V, F]);
      expect(bits(dE)).toEqual(bits(tf.scatterND(tf.reshape(ids, [-1, 1]), dy, [V, F])));
      expect(bits(dE.slice([1, 0], [1, F]))).toEqual(Array(F).fill(0)); // (a row no id names)
    });
  });

  test('no ids: no rows, and a gradient of zeros', () => {
    tf.tidy(() => {
      const table = tf.ones([3, 5]) as tf.Tensor2D;
      const none = tf.tensor1d([], 'int32');
      expect(lookupRows(table, none).shape).toEqual([0, 5]);
      expect(bits(scatterAddRows(none, tf.zeros([0, 5]) as tf.Tensor2D, 3))).toEqual(Array(15).fill(0));
    });
  });

  test('an id outside [0, V) is refused before any kernel or tf op runs, by the lookup and by the scatter-add (tfjs-wasm\'s scatterND would write outside its heap)', () => {
    tf.tidy(() => {
      const table = tf.ones([3, 4]) as tf.Tensor2D;
      const before = { ...embeddingCalls };
      for (const bad of [3, -1]) {
        const ids = tf.tensor1d([0, bad], 'int32');
        expect(() => lookupRows(table, ids)).toThrow(new RegExp(`expects ids in \\[0, 3\\), got ${bad} at position 1`));
        expect(() => scatterAddRows(ids, tf.ones([2, 4]) as tf.Tensor2D, 3)).toThrow(new RegExp(`expects ids in \\[0, 3\\), got ${bad} at position 1`));
      }
      expect(embeddingCalls).toEqual(before);
    });
  });

  test('a table of more than 4 rows per id is not copied into the kernels: the host copy and tf.scatterND run, with the same values', () => {
    tf.tidy(() => {
      const table = tf.randomNormal([41, 3], 0, 1, 'float32', 7) as tf.Tensor2D; // 41 rows for 10 ids
      const ids = tf.tensor1d([40, 0, 7, 7, 39, 1, 2, 3, 4, 40], 'int32');
      const dy = tf.randomNormal([10, 3], 0, 1, 'float32', 8) as tf.Tensor2D;
      const before = { ...embeddingCalls };
      expect(bits(lookupRows(table, ids))).toEqual(bits(tf.gather(table, ids)));
      expect(bits(scatterAddRows(ids, dy, 41))).toEqual(bits(tf.scatterND(tf.reshape(ids, [-1, 1]), dy, [41, 3])));
      expect(embeddingCalls).toEqual(before);
    });
  });

  test("through the layer: the table's gradient is scatterND's, and no tensor is left behind", () => {
    resetNames();
    const layer = new Embedding({ inputDim: 20, outputDim: 12 }); // (20 rows for 8 ids: the kernels' path)
    const ids = tf.tensor2d([[3, 7, 3, 0], [19, 3, 7, 1]], [2, 4], 'int32');
    layer.apply(ids);
    const w = tf.randomNormal([2, 4, 12], 0, 1, 'float32', 5);
    const before = tf.memory().numTensors;
    const calls = { ...embeddingCalls };
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(ids) as tf.Tensor, w)) as tf.Scalar);
    const g = Object.values(grads)[0];
    const want = tf.tidy(() => tf.scatterND(tf.reshape(ids, [-1, 1]), tf.reshape(w, [-1, 12]), [20, 12]));
    expect(bits(g)).toEqual(bits(want));
    expect(embeddingCalls.lookup - calls.lookup).toBe(kernels.lookup ? 1 : 0);
    expect(embeddingCalls.scatter - calls.scatter).toBe(kernels.scatter ? 1 : 0);
    want.dispose();
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ids, w]);
    layer.dispose();
  });
});
