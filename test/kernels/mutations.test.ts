/**
 * The comparisons of test/kernels/sequence.test.ts and the Keras goldens can
 * fail: a kernel built with two gates swapped (LSTM's i and f, GRU's z and r)
 * gives outputs far from the cells' and from Keras's. Builds the mutants with
 * AssemblyScript from a copy of assembly/ (a few seconds each).
 */
import { tf } from '../../src/tf';
import { LSTM, GRU, RecurrentLayer, resetNames } from '../../src';
import { kernelModule, loadKernelModuleFrom, residentBlocks } from '../../src/kernels/module';
import { kernelThreads } from '../../src/kernels/helper_thread';
import { maxAbsDiff } from '../helpers/close';
import { buildMutant } from '../helpers/mutant';

/** The layer's outputs through the kernels and through the cells. */
function bothPaths(make: () => RecurrentLayer): [number[], number[]] {
  const x = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 3);
  const run = (kernels: boolean) => {
    resetNames();
    const layer = make();
    layer.useKernels = kernels;
    layer.build([3, 5, 4]);
    layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.6, 'float32', 40 + i)));
    const y = layer.apply(x) as tf.Tensor;
    const v = y.arraySync() as number[];
    tf.dispose(y);
    layer.dispose();
    return v;
  };
  const out: [number[], number[]] = [run(true), run(false)];
  x.dispose();
  return out;
}

describe('a kernel with two gates swapped', () => {
  afterEach(() => loadKernelModuleFrom(null));

  test.each([
    ['LSTM i ↔ f', 'lstm.ts', (s: string) => s.replace('const xI = block(xW, 0, H), xF = block(xW, 1, H)', 'const xI = block(xW, 1, H), xF = block(xW, 0, H)').replace('const gI = block(g, 0, H), gF = block(g, 1, H)', 'const gI = block(g, 1, H), gF = block(g, 0, H)'), () => new LSTM({ units: 3, returnSequences: true })],
    ['GRU z ↔ r', 'gru.ts', (s: string) => s.replace('const z = act(σ, add(ld(xZ, j, H), pz));', 'const z = act(σ, add(ld(xR, j, H), pr));').replace('const r = act(σ, add(ld(xR, j, H), pr));', 'const r = act(σ, add(ld(xZ, j, H), pz));'), () => new GRU({ units: 3, returnSequences: true })],
  ] as const)('%s gives outputs far from the cells\'', (_n, file, edit, make) => {
    const [good, cells] = bothPaths(make);
    expect(maxAbsDiff(good, cells)).toBeLessThan(1e-5); // the real build agrees
    loadKernelModuleFrom(buildMutant(file, edit));
    const [bad] = bothPaths(make);
    expect(maxAbsDiff(bad, cells)).toBeGreaterThan(1e-2);
  }, 60000);
});

describe('a helper thread that traps in the middle of a job', () => {
  afterAll(() => loadKernelModuleFrom(null));

  (kernelThreads() >= 2 ? test : test.skip)('fails that call with an error naming the layer, never the process; the next calls run on one thread and compute', async () => {
    // The helper's loop traps right after it takes a job (state "running"): the worker's catch marks it failed.
    const wasm = buildMutant('pool.ts', (s) => s.replace('    runPosted();\n    atomic.store<i32>(block + STATE, 2);', '    unreachable();\n    atomic.store<i32>(block + STATE, 2);'));
    const said: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (said.push(String(s)), true));
    try {
      const x = tf.randomNormal([32, 20, 8], 0, 1, 'float32', 5);
      resetNames();
      const layer = new LSTM({ units: 64, name: 'shared' });
      layer.build([32, 20, 8]); // (its orthogonal initializer's products would meet the failing helper first)
      loadKernelModuleFrom(wasm);
      expect(() => layer.apply(x)).toThrow(/^LSTM \(layer 'shared'\): the kernels' helper thread failed during this call \(forward\), so its result is incomplete and was not used; the kernels run on one thread from now on/);
      await new Promise((r) => setTimeout(r, 200)); // the worker's 'error' event
      expect(said.filter((l) => l.includes('the kernels run on one thread: the helper thread failed'))).toHaveLength(1);
      const again = layer.apply(x) as tf.Tensor; // one thread now: computes
      layer.useKernels = false;
      const cells = layer.apply(x) as tf.Tensor;
      expect(maxAbsDiff(Array.from(again.dataSync()), Array.from(cells.dataSync()))).toBeLessThan(1e-5);
      expect(residentBlocks(kernelModule()!).inUse).toBe(0);
      tf.dispose([x, again, cells]);
    } finally {
      stderr.mockRestore();
    }
  }, 60000);
});
