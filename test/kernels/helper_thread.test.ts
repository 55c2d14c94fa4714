/**
 * The kernels' helper thread takes half of each large product: the results
 * are the same to the bit with and without it (each thread writes its own
 * columns, in the order one thread would).
 */
import { tf } from '../../src/tf';
import { LSTM, GRU, RecurrentLayer, resetNames } from '../../src';
import { kernelModule, stopKernelHelper, loadKernelModuleFrom } from '../../src/kernels/module';
import { kernelThreads } from '../../src/kernels/helper_thread';

/** Output and every gradient of a layer large enough that its products are shared (B·T = 640 rows). */
function run(make: () => RecurrentLayer): number[][] {
  resetNames();
  const layer = make();
  layer.build([32, 20, 24]);
  layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.3, 'float32', 40 + i)));
  const x = tf.randomNormal([32, 20, 24], 0, 1, 'float32', 7);
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const f = (xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, tf.cos(tf.range(0, 32 * 20 * 64).reshape([32, 20, 64]))));
  const { grads } = tf.variableGrads(() => f(x) as tf.Scalar, vars);
  const [dx] = tf.grads((xx: tf.Tensor) => f(xx))([x]);
  const y = layer.apply(x) as tf.Tensor;
  const out = [y, dx, ...vars.map((v) => grads[v.name])].map((t) => Array.from(t.dataSync()));
  tf.dispose([x, y, dx, ...Object.values(grads)]);
  layer.dispose();
  return out;
}

describe('the kernels\' helper thread', () => {
  afterAll(() => loadKernelModuleFrom(null));

  test.each([
    ['LSTM(64)', () => new LSTM({ units: 64, returnSequences: true })],
    ['GRU(64)', () => new GRU({ units: 64, returnSequences: true })],
  ] as const)('%s gives the same bits with and without it', (_n, make) => {
    loadKernelModuleFrom(null); // a fresh module, with its helper where there are 2 cores
    const k = kernelModule()!;
    const jobs = k.sharedJobs();
    const shared = run(make);
    if (kernelThreads() >= 2) expect(k.sharedJobs()).toBeGreaterThan(jobs); // the helper took part
    stopKernelHelper();
    const before = k.sharedJobs();
    const alone = run(make);
    expect(k.sharedJobs()).toBe(before); // alone: nothing was shared
    shared.forEach((a, i) => expect(a).toEqual(alone[i]));
  });
});
