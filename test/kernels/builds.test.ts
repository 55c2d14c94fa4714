/**
 * The kernels come in two builds (assembly/asconfig.json): recurrent.wasm,
 * plain SIMD, and recurrent-relaxed.wasm, whose products use fused
 * multiply-adds. src/kernels/module.ts loads the relaxed one where the
 * runtime compiles it, unless TFJS_RECURRENT_SIMD=plain. Both give the
 * cells' outputs and gradients (sequence.test.ts runs the full comparison on
 * the one loaded), a product against a float64 one, and the activations
 * (a rational tanh, σ from it) against float64's to 4e-7.
 */
import * as path from 'path';
import { tf } from '../../src/tf';
import { LSTM, GRU, SimpleRNN, RecurrentLayer, resetNames, setBackend } from '../../src';
import { kernelModule, kernelModuleFile, loadKernelModuleFrom } from '../../src/kernels/module';
import { kernelProduct } from '../../src/kernels/gemm';
import { maxAbsDiff } from '../helpers/close';
import { outputAndGradients } from '../helpers/layer_grads';

const DIST = path.join(__dirname, '..', '..', 'dist', 'kernels');
const BUILDS = ['recurrent.wasm', 'recurrent-relaxed.wasm'];

/** Output and the gradients of x and every weight of a layer on [13, 9, 5], through the kernels or the cells. */
function run(make: () => RecurrentLayer, kernels: boolean): number[][] {
  const x = tf.randomNormal([13, 9, 5], 0, 1, 'float32', 7);
  const out = outputAndGradients(make, x, { weightScale: 0.5, kernels });
  x.dispose();
  return out;
}

describe('the two builds of the kernels', () => {
  const env = process.env.TFJS_RECURRENT_SIMD;
  beforeAll(async () => {
    await setBackend('cpu', { verbose: false });
  });
  afterAll(() => {
    if (env === undefined) delete process.env.TFJS_RECURRENT_SIMD;
    else process.env.TFJS_RECURRENT_SIMD = env;
    loadKernelModuleFrom(null);
  });

  test('the relaxed-SIMD build is loaded by default (Node ≥ 20 compiles it), the plain one with TFJS_RECURRENT_SIMD=plain', () => {
    delete process.env.TFJS_RECURRENT_SIMD;
    loadKernelModuleFrom(null);
    expect(path.basename(kernelModuleFile()!)).toBe('recurrent-relaxed.wasm');
    process.env.TFJS_RECURRENT_SIMD = 'plain';
    loadKernelModuleFrom(null);
    expect(path.basename(kernelModuleFile()!)).toBe('recurrent.wasm');
  });

  test.each(BUILDS)('%s: a product of [137, 70] · [70, 29] (three groups of rows, the last with a partial tile), straight and with either operand transposed, against float64', (build) => {
    loadKernelModuleFrom(path.join(DIST, build));
    const [M, K, N] = [137, 70, 29];
    const a = tf.randomNormal([M, K], 0, 1, 'float32', 1) as tf.Tensor2D;
    const b = tf.randomNormal([K, N], 0, 1, 'float32', 2) as tf.Tensor2D;
    const A = a.arraySync();
    const Bv = b.arraySync();
    const want = A.map((row) => Array.from({ length: N }, (_, j) => row.reduce((s, v, k) => s + v * Bv[k][j], 0)));
    const aT = a.transpose() as tf.Tensor2D;
    const bT = b.transpose() as tf.Tensor2D;
    for (const got of [kernelProduct(a, b), kernelProduct(aT, b, true), kernelProduct(a, bT, false, true)]) {
      expect(maxAbsDiff(got.arraySync().flat(), want.flat())).toBeLessThan(2e-5 * Math.sqrt(K));
      got.dispose();
    }
    tf.dispose([a, b, aT, bT]);
    expect(kernelModuleFile()).toBe(path.join(DIST, build));
  });

  test.each(BUILDS.flatMap((build) => [[build, 'tanh'], [build, 'sigmoid']]))('%s: %s within 4e-7 of float64\'s, and inside its range', (build, activation) => {
    loadKernelModuleFrom(path.join(DIST, build));
    // A SimpleRNN with W = I, U = 0, b = 0 gives activation(x_t) at every step: the kernels' activation of x.
    const xs = [0, 1e-8, -1e-6, 1e-3, 0.1, -0.5, 1, -2, 3.5, -5, 7.9, 8.9, -9, 9.1, 12, -30, 90, -1e4, ...Array.from({ length: 3998 }, (_, i) => -20 + i * 0.01)];
    const T = xs.length / 4;
    resetNames();
    const layer = new SimpleRNN({ units: 4, activation, returnSequences: true });
    layer.build([1, T, 4]);
    layer.setWeights([tf.eye(4), tf.zeros([4, 4]), tf.zeros([4])]);
    const x = tf.tensor3d(xs, [1, T, 4]);
    const y = layer.apply(x) as tf.Tensor;
    const got = Array.from(y.dataSync());
    const want = xs.map((v) => Math.fround(v)).map((v) => (activation === 'tanh' ? Math.tanh(v) : 1 / (1 + Math.exp(-v))));
    expect(maxAbsDiff(got, want)).toBeLessThan(4e-7);
    expect(Math.max(...got)).toBeLessThanOrEqual(1);
    expect(Math.min(...got)).toBeGreaterThanOrEqual(activation === 'tanh' ? -1 : 0);
    tf.dispose([x, y]);
    layer.dispose();
  });

  test.each(
    BUILDS.flatMap((build) =>
      [
        ['LSTM(11)', () => new LSTM({ units: 11, returnSequences: true })],
        ['GRU(11)', () => new GRU({ units: 11, returnSequences: true })],
        ['GRU(11) resetAfter false', () => new GRU({ units: 11, resetAfter: false })],
        ['SimpleRNN(11)', () => new SimpleRNN({ units: 11, returnSequences: true })],
      ].map(([name, make]) => [build, name, make] as [string, string, () => RecurrentLayer]),
    ),
  )('%s: %s gives the cells\' output and gradients', (build, _n, make) => {
    loadKernelModuleFrom(path.join(DIST, build));
    expect(kernelModule()).not.toBeNull();
    const kernels = run(make, true);
    const cells = run(make, false);
    kernels.forEach((k, i) => expect(maxAbsDiff(k, cells[i]) / Math.max(1, ...cells[i].map(Math.abs))).toBeLessThan(5e-5));
  });
});
