/**
 * src/placement.ts decides where the math runs: a recurrent layer's three
 * paths, the products, the Embedding's kernels; and it is the only module
 * (besides src/backend.ts, which selects the backend) that asks which backend runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../src/tf';
import { LSTM, GRU } from '../src';
import { adamKernels, embeddingKernels, placementOptions, productPath, recording, sequencePath, kernelsProject } from '../src/placement';
import { kernelModule } from '../src/kernels/module';
import { kernelCalls } from '../src/kernels/sequence';
import { onEachBackend } from './helpers/backends';

const SRC = path.join(__dirname, '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('no module but placement.ts and backend.ts asks which backend runs', () => {
  const asking = sources(SRC).filter((f) => /getBackend\(\)/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(SRC, f));
  expect(asking.sort()).toEqual(['backend.ts', 'placement.ts']);
});

onEachBackend((backend) => {
  const caller = (o: Partial<Parameters<typeof sequencePath>[0]> = {}) => ({ useKernels: true, useAutodiff: false, hasBPTT: true, kernelActivations: ['tanh', 'sigmoid'] as [string, string], ...o });

  test('a recurrent layer runs in the kernels where they compute its cell, else the cells: BPTT while a tape records, autodiff otherwise', () => {
    expect(sequencePath(caller())).toBe('kernels');
    expect(sequencePath(caller({ kernelActivations: ['elu', 'sigmoid'] }))).toBe('autodiff'); // inference: no tape
    expect(sequencePath(caller({ useKernels: false }))).toBe('autodiff');
    expect(sequencePath(caller({ useAutodiff: true }))).toBe('autodiff');
    let taped: string[] = [];
    tf.grad((x: tf.Tensor) => {
      expect(recording()).toBe(true);
      taped = [sequencePath(caller({ useKernels: false })), sequencePath(caller({ kernelActivations: null })), sequencePath(caller({ useKernels: false, hasBPTT: false })), sequencePath(caller())];
      return tf.sum(x);
    })(tf.ones([2]));
    expect(taped).toEqual(['bptt', 'bptt', 'autodiff', 'kernels']);
    expect(recording()).toBe(false);
  });

  test('the layers ask it: an LSTM runs in the kernels, a GRU with elu in the cells, an LSTM with useKernels false in the cells', () => {
    const x = tf.ones([2, 3, 4]);
    const ran = (layer: tf.layers.Layer) => {
      const before = kernelCalls.forward;
      tf.dispose(layer.apply(x) as tf.Tensor);
      return kernelCalls.forward > before;
    };
    expect(ran(new LSTM({ units: 2 }))).toBe(true);
    expect(ran(new GRU({ units: 2, activation: 'elu' }))).toBe(false);
    const cells = new LSTM({ units: 2 });
    cells.useKernels = false;
    expect(ran(cells)).toBe(false);
    x.dispose();
  });

  test(`products, the projection, the Embedding and Adam go where the table says for ${backend}`, () => {
    expect(productPath()).toBe({ cpu: 'kernels', wasm: 'explicitTransposes', tensorflow: 'tf' }[backend]);
    expect(kernelsProject()).toBe(backend !== 'tensorflow');
    placementOptions.projection = 'tf';
    expect(kernelsProject()).toBe(false);
    placementOptions.projection = 'kernels';
    expect(kernelsProject()).toBe(true);
    placementOptions.projection = 'auto';
    const table = tf.zeros([100, 4]);
    expect(embeddingKernels('gather', table, 100, 25) !== null).toBe(backend !== 'tensorflow'); // V ≤ 4 N
    expect(embeddingKernels('gather', table, 100, 24)).toBeNull(); //                                  V > 4 N
    expect(embeddingKernels('scatter', table, 100, 25) !== null).toBe(backend === 'cpu');
    expect(adamKernels()).toBe(kernelModule());
    table.dispose();
  });
});
