/**
 * The host-memory cuts and joins of src/host_ops.ts give exactly what the tf
 * ops they stand for give: untaped (where they run on the host), taped
 * (where the tf op runs) and, for sliceTime, through its gradient.
 */
import { tf } from '../src/tf';
import { concatRows, gatherRows, sliceTime, stackTime, timeSteps } from '../src/host_ops';
import { onEachBackend } from './helpers/backends';

const same = (a: tf.Tensor, b: tf.Tensor) => {
  expect(a.shape).toEqual(b.shape);
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
};

/** Runs `f` with a gradient tape recording (inside tf.grad), so the host paths must step aside. */
function taped(f: () => void): void {
  tf.grad((x: tf.Tensor) => {
    f();
    return tf.sum(x);
  })(tf.scalar(1));
}

onEachBackend(() => {
  let x: tf.Tensor3D, z: tf.Tensor2D, parts: tf.Tensor2D[], rows: tf.Tensor2D[];
  beforeAll(() => {
    x = tf.randomNormal([3, 5, 8], 0, 1, 'float32', 1) as tf.Tensor3D; // [B, T, F]
    z = tf.randomNormal([3, 12], 0, 1, 'float32', 2) as tf.Tensor2D; //  [B, G·H]
    parts = [tf.randomNormal([3, 2], 0, 1, 'float32', 3), tf.randomNormal([3, 5], 0, 1, 'float32', 4)] as tf.Tensor2D[];
    rows = [tf.randomNormal([2, 4], 0, 1, 'float32', 5), tf.randomNormal([3, 4], 0, 1, 'float32', 6)] as tf.Tensor2D[];
  });
  afterAll(() => tf.dispose([x, z, ...parts, ...rows]));

  const checks: Array<[string, () => void]> = [
    ['concatRows = concat(·, 0)', () => same(concatRows(rows), tf.concat(rows, 0))],
    ['timeSteps = unstack(·, 1)', () => timeSteps(x).forEach((s, t) => same(s, tf.unstack(x, 1)[t]))],
    ['stackTime = stack(·, 1)', () => same(stackTime(tf.unstack(x, 1) as tf.Tensor2D[]), x)],
    ['sliceTime = slice', () => same(sliceTime(x, 1, 3), tf.slice(x, [0, 1, 0], [3, 3, 8]))],
    ['gatherRows = gather (repeated and unordered ids)', () => {
      const ids = tf.tensor1d([4, 0, 11, 4, 7, 11, 2], 'int32');
      same(gatherRows(tf.reshape(x, [15, 8]) as tf.Tensor2D, ids), tf.gather(tf.reshape(x, [15, 8]), ids));
    }],
  ];
  test.each(checks)('untaped: %s', (_n, check) => tf.tidy(check));
  test.each(checks)('taped: %s', (_n, check) => tf.tidy(() => taped(check)));

  test('sliceTime passes the gradient back into place, zeros elsewhere', () => {
    tf.tidy(() => {
      const w = tf.randomNormal([3, 3, 8], 0, 1, 'float32', 7);
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(sliceTime(a as tf.Tensor3D, 2, 3), w)))(x);
      same(g, tf.concat([tf.zeros([3, 2, 8]), w], 1));
    });
  });

  test('gatherRows: an id outside [0, V) is an error (tf.gather asserts it too), and no ids give no rows', () => {
    tf.tidy(() => {
      for (const bad of [3, -1]) {
        expect(() => gatherRows(z, tf.tensor1d([0, bad], 'int32'))).toThrow(new RegExp(`gatherRows expects ids in \\[0, 3\\), got ${bad} at position 1`));
      }
      expect(gatherRows(z, tf.tensor1d([], 'int32')).shape).toEqual([0, 12]);
    });
  });

  test('no tensors are left behind', () => {
    const before = tf.memory().numTensors;
    const ids = tf.tensor1d([1, 0, 1], 'int32');
    tf.dispose([concatRows(rows), ...timeSteps(x), sliceTime(x, 0, 2), gatherRows(z, ids), ids]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
