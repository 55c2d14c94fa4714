/**
 * Training on a browser's GPU backends: on webgl and webgpu (SwiftShader in
 * headless Chromium) a model of our layers trains with nothing read back
 * synchronously (webgpu loses its device on such a read): the loss goes
 * down, the recurrent layer takes the tf-op path (our kernels run no
 * sequence), and the predictions before training are wasm's, where our
 * kernels run it, within float32 tolerance. A model of our layers also
 * saves to and loads from tfjs's browser handlers (IndexedDB, localStorage).
 */
import * as path from 'path';
import type { Page } from 'playwright-core';
import { Hosted, PageLog, evaluate, host, openPage } from './helpers/browser';
import { bundlePage } from './helpers/build';

interface Trained {
  backend: string;
  losses: number[];
  before: number[];
  sequences: number;
}

let site: Hosted;
let page: Page;
let log: PageLog;

beforeAll(async () => {
  site = await host(bundlePage(path.join(__dirname, 'pages', 'gpu_training.ts')));
  ({ page, log } = await openPage(site.browser, site.url));
}, 120000);

afterAll(() => site?.close());

const results: Record<string, Trained> = {};

test.each(['wasm', 'webgl', 'webgpu'])('on %s, 8 steps of trainOnBatch lower the loss', async (backend) => {
  const r = await evaluate<Trained>(page, log, `train(${JSON.stringify(backend)}, 8)`, 120000);
  results[backend] = r;
  expect(r.backend).toBe(backend);
  expect(r.losses.every(Number.isFinite)).toBe(true);
  expect(r.losses[r.losses.length - 1]).toBeLessThan(r.losses[0] - 0.002);
  // our kernels run the LSTM on wasm (a forward and a backward per step), none on a GPU backend
  expect(r.sequences).toBe(backend === 'wasm' ? 16 : 0);
}, 130000);

test('before training, webgl and webgpu predict as wasm (our kernels) within float32 tolerance', () => {
  for (const b of ['webgl', 'webgpu']) {
    const diff = Math.max(...results[b].before.map((v, i) => Math.abs(v - results.wasm.before[i])));
    expect(diff).toBeLessThan(1e-4);
  }
  expect(log.pageErrors).toEqual([]);
  expect(log.console.filter((l) => /synchronously reading data from GPU/.test(l))).toEqual([]);
});

test.each(['indexeddb://tfjs-recurrent-test', 'localstorage://tfjs-recurrent-test'])(
  'a model of our layers saved to %s loads back with tf.loadLayersModel and predicts the same; Keras\'s overwrite is refused by name',
  async (url) => {
    const r = await evaluate<{ before: number[]; after: number[]; classes: string[]; overwrite: string }>(page, log, `roundTrip(${JSON.stringify(url)})`);
    expect(r.classes).toEqual(['tfjs-recurrent>Embedding', 'tfjs-recurrent>LSTM', 'tfjs-recurrent>Dense']); // our layers, as registered
    expect(Math.max(...r.before.map((v, i) => Math.abs(v - r.after[i])))).toBe(0);
    expect(r.overwrite).toMatch(/^save \(model '.*'\): overwrite applies to files in Node; tfjs's browser handlers/);
  },
);
