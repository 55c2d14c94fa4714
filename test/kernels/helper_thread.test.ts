/**
 * The kernels' helper thread takes half of the batch's rows of each sequence
 * (B ≥ 8), and half of the panels of each large product: the results are the
 * same to the bit with and without it (each thread writes its own rows or
 * columns, in the order one thread would).
 */
import { tf } from '../../src/tf';
import { LSTM, GRU, SimpleRNN, RecurrentLayer } from '../../src';
import { kernelModule, stopKernelHelper, loadKernelModuleFrom } from '../../src/kernels/module';
import { kernelThreads } from '../../src/kernels/helper_thread';
import { outputAndGradients } from '../helpers/layer_grads';
import { builtDist } from '../helpers/dist';
import { spawnSync } from 'child_process';
import * as path from 'path';

/**
 * Output and every gradient of a layer on [B, 20, 24]; B = 32 (rows 0–15 and 16–31) or 13 (rows 0–7
 * and 8–12), with a mask of front padding and holes when `masked`.
 */
function run(make: () => RecurrentLayer, B: number, masked: boolean): number[][] {
  const x = tf.randomNormal([B, 20, 24], 0, 1, 'float32', 7);
  const mask = masked ? tf.tensor2d(Array.from({ length: B }, (_, b) => Array.from({ length: 20 }, (_, t) => (t >= b % 7 && (t + b) % 5 !== 0 ? 1 : 0))), undefined, 'bool') : undefined;
  const out = outputAndGradients(make, x, { weightScale: 0.3, mask });
  tf.dispose([x, ...(mask ? [mask] : [])]);
  return out;
}

describe('the kernels\' helper thread', () => {
  afterAll(() => loadKernelModuleFrom(null));

  test.each([
    ['LSTM(64)', () => new LSTM({ units: 64, returnSequences: true }), 32, false],
    ['GRU(64)', () => new GRU({ units: 64, returnSequences: true }), 32, false],
    ['LSTM(11), goBackwards, masked, recurrent dropout, B = 13', () => new LSTM({ units: 11, goBackwards: true, recurrentDropout: 0.3, seed: 3 }), 13, true],
    ['GRU(11) resetAfter false, masked, zeroOutputForMask, B = 13', () => new GRU({ units: 11, resetAfter: false, returnSequences: true, zeroOutputForMask: true }), 13, true],
    ['GRU(11), masked, dropout, B = 13', () => new GRU({ units: 11, dropout: 0.2, recurrentDropout: 0.2, seed: 4 }), 13, true],
    ['SimpleRNN(11), masked, B = 13', () => new SimpleRNN({ units: 11, returnSequences: true }), 13, true],
  ] as const)('%s gives the same bits with and without it', (_n, make, B, masked) => {
    loadKernelModuleFrom(null); // a fresh module, with its helper where there are 2 cores
    const k = kernelModule()!;
    const jobs = k.sharedJobs();
    const shared = run(make, B, masked);
    if (kernelThreads() >= 2) expect(k.sharedJobs()).toBeGreaterThan(jobs); // the helper took part
    stopKernelHelper();
    const before = k.sharedJobs();
    const alone = run(make, B, masked);
    expect(k.sharedJobs()).toBe(before); // alone: nothing was shared
    shared.forEach((a, i) => expect(a).toEqual(alone[i]));
  });
});

describe('where no helper thread can run', () => {
  // An ES-module script, then Node's permission model (no workers allowed): the layer computes, the process lives.
  const script = (dist: string) => `
    const { tf, LSTM } = (await import(${JSON.stringify(path.join(dist, 'index.js'))})).default;
    const { kernelModule } = (await import(${JSON.stringify(path.join(dist, 'kernels', 'module.js'))})).default;
    const y = new LSTM({ units: 64 }).apply(tf.ones([32, 20, 8]));
    process.stdout.write(y.shape.join('x') + ' shared:' + (kernelModule().sharedJobs() > 0) + '\\n');`;
  const run = (flags: string[]) =>
    spawnSync(process.execPath, [...flags, '--input-type=module'], { input: script(builtDist()), encoding: 'utf8', env: { ...process.env, TFJS_RECURRENT_QUIET: '1' } });

  test('under --input-type=module (which workers inherit) the helper still starts', () => {
    const r = run([]);
    expect(r.stderr).not.toMatch(/require is not defined|one thread/);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`32x64 shared:${kernelThreads() >= 2}\n`);
  });

  test('under the permission model without --allow-worker the kernels run on one thread, and say so once on stderr', () => {
    const r = run(['--experimental-permission', '--allow-fs-read=*', '--no-warnings']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('32x64 shared:false\n');
    if (kernelThreads() >= 2) {
      expect(r.stderr.match(/tfjs-recurrent: the kernels run on one thread: no helper thread could start \(Access to this API has been restricted/g)).toHaveLength(1);
    }
  });
});
