/**
 * The README's browser example is examples/browser/quickstart.ts, verbatim,
 * and it runs as a page: esbuild bundles it for the browser, resolving
 * 'tfjs-recurrent' through package.json's `browser` export condition (to
 * dist/browser/); served cross-origin isolated with tfjs-backend-wasm's own
 * .wasm files at /tfjs-wasm/, it prints a probability, and kernelsInfo says
 * our kernels ran its LSTM.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { launchChromium, openPage } from './helpers/browser';
import { ROOT, builtBrowserBundle, run } from './helpers/build';
import { Served, serve } from './helpers/serve';

const EXAMPLE = path.join(ROOT, 'examples', 'browser', 'quickstart.ts');

test('the README shows examples/browser/quickstart.ts verbatim', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain('```ts\n' + fs.readFileSync(EXAMPLE, 'utf8').trim() + '\n```');
});

describe('the example as a page', () => {
  let site: string;
  let server: Served;
  let browser: Browser;

  beforeAll(async () => {
    builtBrowserBundle();
    site = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-recurrent-example-'));
    // As a user's project bundles it: the package by its name (not the repository's tsconfig paths), the browser condition,
    // an ES module with top-level await.
    const esbuild = path.join(ROOT, 'node_modules', '.bin', 'esbuild');
    const built = run(esbuild, [EXAMPLE, '--bundle', '--platform=browser', '--format=esm', `--outfile=${path.join(site, 'page.js')}`, '--log-level=warning', '--tsconfig-raw={}'], { cwd: ROOT });
    expect(built.stdout + built.stderr).toBe(''); // no warning
    fs.mkdirSync(path.join(site, 'tfjs-wasm'));
    const wasmDist = path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
    for (const f of fs.readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) fs.copyFileSync(path.join(wasmDist, f), path.join(site, 'tfjs-wasm', f));
    fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>example</title><script type="module" src="page.js"></script>');
    server = await serve(site);
    browser = await launchChromium();
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(site, { recursive: true, force: true });
  });

  test('prints a probability, its LSTM run by our kernels (one sequence), and logs nothing else', async () => {
    const { page, log } = await openPage(browser, server.url, 'true');
    // Its two console.log lines, as the page prints them: the tensor, then kernelsInfo().
    const deadline = Date.now() + 30000;
    while (log.console.filter((l) => l.startsWith('log:')).length < 2 && log.pageErrors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const lines = log.console.filter((l) => l.startsWith('log:'));
    const probability = Number(lines.join(' ').match(/\[\[(-?\d+\.\d+)\]/)?.[1]);
    expect(probability > 0 && probability < 1).toBe(true);
    expect(lines.join('\n')).toMatch(/loaded: true/);
    expect(lines.join('\n')).toMatch(/sequences: 1\b/);
    expect(lines.join('\n')).toMatch(/source: inline:recurrent(-relaxed)?\.wasm/);
    expect(log.errors()).toEqual([]);
    expect(log.warnings()).toEqual([]);
    await page.close();
  }, 60000);
});
