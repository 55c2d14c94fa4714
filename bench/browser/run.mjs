// `npm run bench:browser`: our layers in headless Chromium (Debian's, /usr/bin/chromium, or
// CHROMIUM=path), on each backend asked for that the page has: cpu and wasm (with our kernels)
// and webgl (tf ops; in a headless Chromium without a GPU, SwiftShader's CPU emulation); webgpu
// only when --backends names it (SwiftShader's WebGPU loses its device at these sizes here).
// The page is cross-origin isolated, so our kernels use two threads. Workloads run in
// rounds (every backend once per round, in turns) so that each backend sees the same
// minutes of this machine; each figure is the median over the rounds. Prints a table and
// writes bench/results/<date>-browser.json. Not a test: nothing here asserts a speed.
//   npm run bench:browser -- [--rounds 3] [--only 1,3] [--backends cpu,wasm,webgl,webgpu] [--out FILE]
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { chromium } from 'playwright-core';
import { browserTwins } from '../../scripts/browser_twins.mjs';
import { startServer } from '../../web/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const rounds = Number(opt('--rounds', 3));
const only = opt('--only', null)?.split(',').map(Number);
const wanted = opt('--backends', 'cpu,wasm,webgl').split(',');

const site = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-recurrent-bench-'));
await esbuild.build({
  entryPoints: [path.join(root, 'bench', 'browser', 'page.ts')],
  bundle: true, format: 'esm', platform: 'browser', outfile: path.join(site, 'page.js'),
  loader: { '.wasm': 'binary' }, plugins: [browserTwins(path.join(root, 'src'))], logLevel: 'warning',
});
fs.mkdirSync(path.join(site, 'tfwasm'));
const wasmDist = path.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
for (const f of fs.readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) fs.copyFileSync(path.join(wasmDist, f), path.join(site, 'tfwasm', f));
fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="page.js"></script>');

const server = await startServer({ root: site });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
// A page of its own for each measurement: a backend that fails (webgpu on SwiftShader may lose its
// device, or crash the page) is recorded as failed, and the others go on.
const errors = [];
async function openPage() {
  const page = await browser.newPage();
  page.on('crash', () => errors.push('the page crashed'));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon/.test(m.location().url)) errors.push(`${m.type()}: ${m.text()}`); });
  await page.goto(server.url);
  await page.waitForFunction(() => globalThis.bench !== undefined, null, { timeout: 30000 });
  return page;
}
let page = await openPage();
const workloads = (await page.evaluate(() => globalThis.bench.workloads)).filter((_, i) => !only || only.includes(i + 1));
const backends = await page.evaluate((w) => globalThis.bench.backends(w), wanted);
const info = await page.evaluate(() => globalThis.bench.setBackend('wasm').then(() => new Promise((r) => setTimeout(r, 500))).then(() => globalThis.bench.kernelsInfo())).catch((e) => { throw new Error(`${e.message}: ${errors.join('; ')}`); });
await page.close();
const version = await browser.version();
console.log(`Chromium ${version}, backends: ${backends.join(', ')}, ${rounds} rounds, ${os.cpus().length} cores (${os.cpus()[0].model})`);

const times = {};
const failures = {};
for (let r = 0; r < rounds; r++) {
  for (const w of workloads) {
    const order = r % 2 === 0 ? backends : [...backends].reverse();
    for (const b of order) {
      if (failures[w]?.[b]) continue;
      errors.length = 0;
      page = await openPage();
      try {
        const t = await page.evaluate(([w, b]) => globalThis.bench.runWorkload(w, b), [w, b]);
        ((times[w] ??= {})[b] ??= []).push(t);
      } catch (e) {
        (failures[w] ??= {})[b] = `${e.message.split('\n')[0]}${errors.length ? ` (the page said: ${errors.join('; ').slice(0, 300)})` : ''}`;
        console.log(`${w} on ${b} failed: ${failures[w][b]}`);
      }
      await page.close().catch(() => undefined);
    }
  }
}
await browser.close();
await server.close();
fs.rmSync(site, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = workloads.map((w) => {
  const ran = backends.filter((b) => times[w]?.[b]?.length && !failures[w]?.[b]);
  const ms = Object.fromEntries(ran.map((b) => [b, median(times[w][b].map((t) => t.ms))]));
  const best = ran.reduce((a, b) => (ms[b] < ms[a] ? b : a));
  return { workload: w, ms, best, failed: failures[w] ?? {}, kernels: Object.fromEntries(ran.map((b) => [b, times[w][b].every((t) => t.kernels)])) };
});
const pad = (s, n) => String(s).padEnd(n);
console.log(`\n${pad('ms per step (median of rounds)', 32)}${backends.map((b) => pad(b, 12)).join('')}fastest`);
for (const r of rows) console.log(`${pad(r.workload, 32)}${backends.map((b) => pad(b in r.ms ? `${r.ms[b].toFixed(1)}${r.kernels[b] ? '*' : ''}` : 'failed', 12)).join('')}${r.best}`);
console.log(`\n* our kernels ran the recurrent layer (kernelsInfo: ${info.build} build, ${info.threads} threads)`);

const date = new Date().toISOString().slice(0, 16).replace('T', '-').replace(':', '');
const out = opt('--out', path.join(root, 'bench', 'results', `${date}-browser.json`));
fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), chromium: version, cpu: os.cpus()[0].model, cores: os.cpus().length, rounds, kernels: info, rows, times, failures }, null, 2) + '\n');
console.log(`written: ${path.relative(root, out)}`);
