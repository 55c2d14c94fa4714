/**
 * The generator's comparison with predict can fail: a kernel module built
 * with one of the generator's sums wrong (the bias left out of x W + b; the
 * second block of K in the matrix-vector product written over the first
 * instead of added to it) gives probabilities far from predict's, while the
 * real build agrees to 1e-5. Builds the mutants with AssemblyScript from a
 * copy of assembly/ (a few seconds each).
 */
import { tf } from '../../src/tf';
import { Sequential, Embedding, LSTM, GRU, Dense, generator, resetNames } from '../../src';
import { loadKernelModuleFrom } from '../../src/kernels/module';
import { buildMutant } from '../helpers/mutant';

/** Max |generator − predict| over the steps of a prefix, for a model whose GRU has 300 units (K > 256 in its products). */
function worstGap(): number {
  resetNames();
  const model = new Sequential({ layers: [new Embedding({ inputDim: 11, outputDim: 5 }), new LSTM({ units: 6, returnSequences: true }), new GRU({ units: 300 }), new Dense({ units: 11, activation: 'softmax' })] });
  model.layers.forEach((l, k) => l.setWeights(l.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.3, 'float32', 10 * k + i))));
  const ids = [3, 7, 1, 9, 4];
  const gen = generator(model);
  let worst = 0;
  ids.forEach((id, t) => {
    const p = gen.step(id)[0];
    const ref = tf.tidy(() => (model.predict(tf.tensor2d([ids.slice(0, t + 1)], [1, t + 1], 'int32')) as tf.Tensor).dataSync());
    p.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - ref[i]))));
  });
  gen.dispose();
  model.dispose();
  return worst;
}

describe('a generator kernel with a sum wrong', () => {
  afterEach(() => loadKernelModuleFrom(null));

  test.each([
    ['x W without its bias', 'generate.ts', (s: string) => s.replace('if (l.b) addRows(l.xW, B, l.b, GH);', '')],
    ['the matrix-vector product\'s second block of K written over the first', 'matmul.ts', (s: string) => s.replace('const b = bp + <usize>k0 * (NR << 2), a = x + (<usize>k0 << 2), add = k0 > 0;', 'const b = bp + <usize>k0 * (NR << 2), a = x + (<usize>k0 << 2), add = false;')],
  ] as const)('%s gives probabilities far from predict\'s', (_n, file, edit) => {
    expect(worstGap()).toBeLessThan(1e-5); // the real build agrees
    loadKernelModuleFrom(buildMutant(file, edit));
    expect(worstGap()).toBeGreaterThan(1e-3);
  }, 60000);
});
