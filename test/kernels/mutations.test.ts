/**
 * The comparisons of test/kernels/sequence.test.ts and the Keras goldens can
 * fail: a kernel built with two gates swapped (LSTM's i and f, GRU's z and r)
 * gives outputs far from the cells' and from Keras's. Builds the mutants with
 * AssemblyScript from a copy of assembly/ (a few seconds each).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { tf } from '../../src/tf';
import { LSTM, GRU, RecurrentLayer, resetNames } from '../../src';
import { loadKernelModuleFrom } from '../../src/kernels/module';
import { maxAbsDiff } from '../helpers/close';

const ROOT = path.join(__dirname, '..', '..');

/** Builds assembly/ with `edit` applied to one file; returns the .wasm path. */
function buildMutant(file: string, edit: (src: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfr-mutant-'));
  fs.cpSync(path.join(ROOT, 'assembly'), dir, { recursive: true });
  const target = path.join(dir, file);
  const before = fs.readFileSync(target, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before); // the mutation applied
  fs.writeFileSync(target, after);
  const out = path.join(dir, 'mutant.wasm');
  const asc = path.join(ROOT, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
  execFileSync(process.execPath, [asc, path.join(dir, 'index.ts'), '--config', path.join(dir, 'asconfig.json'), '--outFile', out], { stdio: 'pipe' });
  return out;
}

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
