/**
 * Training on a browser's GPU backends: on webgl and webgpu (SwiftShader in
 * headless Chromium) a model of our layers trains with nothing read back
 * synchronously (webgpu loses its device on such a read): the loss goes
 * down, the recurrent layer takes the tf-op path (our kernels run no
 * sequence), and the predictions before training are wasm's, where our
 * kernels run it, within float32 tolerance.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { PageLog, evaluate, launchChromium, openPage } from './helpers/browser';
import { ROOT, builtBrowserBundle, run } from './helpers/build';
import { Served, serve } from './helpers/serve';

interface Trained {
  backend: string;
  losses: number[];
  before: number[];
  sequences: number;
}

let site: string;
let server: Served;
let browser: Browser;
let page: Page;
let log: PageLog;

beforeAll(async () => {
  builtBrowserBundle();
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-recurrent-gpu-'));
  const esbuild = path.join(ROOT, 'node_modules', '.bin', 'esbuild');
  const entry = path.join(__dirname, 'pages', 'gpu_training.ts');
  const built = run(esbuild, [entry, '--bundle', '--platform=browser', '--format=esm', `--outfile=${path.join(site, 'page.js')}`, '--log-level=warning', '--tsconfig-raw={}'], { cwd: ROOT });
  expect(built.stdout + built.stderr).toBe('');
  fs.mkdirSync(path.join(site, 'tfjs-wasm'));
  const wasmDist = path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  for (const f of fs.readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) fs.copyFileSync(path.join(wasmDist, f), path.join(site, 'tfjs-wasm', f));
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>loading</title><script type="module" src="page.js"></script>');
  server = await serve(site);
  browser = await launchChromium();
  ({ page, log } = await openPage(browser, server.url));
}, 120000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(site, { recursive: true, force: true });
});

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
