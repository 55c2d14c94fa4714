/**
 * The package's own browser bundle (dist/browser/, npm run build:browser),
 * without any npm install:
 * - it imports only its own chunks and @tensorflow/tfjs (no `require(`, no
 *   Node built-in, `process` only behind `typeof`), and stays within a size
 *   budget (the sizes, raw and gzipped, go to test/browser/output/bundle.json);
 * - loaded in headless Chromium through an import map beside tfjs's ESM
 *   build, the Embedding → LSTM → Dense model predicts as the plain-JS
 *   reference (1e-5) with the kernels' path taken;
 * - `loadKernels({ url })` fetches the kernels from the served dist/kernels/
 *   (a folder: the relaxed build; a file: that build), and a bad URL (404,
 *   refused, not WebAssembly) rejects naming the URL while the kernels loaded
 *   before keep working; with no URL, `setBackend` takes the inlined copy.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { builtinModules } from 'module';
import { gzipSync } from 'zlib';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { PageLog, evaluate, launchChromium, openPage, writeReport } from './helpers/browser';
import { ROOT, builtBrowserBundle } from './helpers/build';
import { MODEL_JS, makeFixture, maxAbsDiff, referencePredict } from './helpers/fixture';
import { Served, serve } from './helpers/serve';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const fixture = makeFixture();
const reference = referencePredict(fixture);
/** The bundle's entry may not exceed this (tfjs itself, outside it, is over 1 MB): a budget that fails if tfjs were pulled in. */
const ENTRY_BUDGET_KB = 600;

let bundleDir = '';
let files: { name: string; text: string }[] = [];

beforeAll(() => {
  bundleDir = builtBrowserBundle();
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  files = walk(bundleDir)
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => ({ name: path.relative(bundleDir, f), text: fs.readFileSync(f, 'utf8') }));
}, 180000);

describe('the bundle file', () => {
  test('imports only its own chunks and the dependencies the package declares, none of them a Node built-in', async () => {
    expect(files.map((f) => f.name)).toContain('index.mjs');
    // esbuild parses the bundle (a regex would also match an import written inside a message) and lists each file's imports
    const bareIsExternal = { name: 'bare', setup: (b: esbuild.PluginBuild) => b.onResolve({ filter: /^[^./]/ }, (a) => ({ path: a.path, external: true })) };
    const { metafile } = await esbuild.build({ entryPoints: [path.join(bundleDir, 'index.mjs')], bundle: true, write: false, metafile: true, format: 'esm', platform: 'neutral', logLevel: 'silent', plugins: [bareIsExternal] });
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const reached = Object.keys(metafile.inputs).map((f) => path.relative(bundleDir, path.resolve(ROOT, f)));
    expect(reached.sort()).toEqual(files.map((f) => f.name).sort()); // every chunk is reachable from the entry, and nothing else is
    const bare = new Set<string>();
    for (const [file, { imports }] of Object.entries(metafile.inputs)) {
      for (const i of imports) {
        const what = `${path.relative(ROOT, file)}: ${i.kind} '${i.original ?? i.path}'`;
        expect(['import-statement', 'dynamic-import'].includes(i.kind) ? 'ESM' : `${what} is not an ES import`).toBe('ESM');
        expect(builtins.has(i.path) ? `${what} is a Node built-in` : 'not built-in').toBe('not built-in');
        if (!i.external) continue;
        bare.add(i.path);
        expect(declared.has(i.path) ? 'declared' : `${what}: package.json does not declare it`).toBe('declared');
      }
    }
    expect([...bare]).toEqual(['@tensorflow/tfjs']);
  });

  test('has no require(, no __dirname or __filename, and reads process only behind typeof', () => {
    for (const { name, text } of files) {
      expect({ name, require: /\brequire\s*\(/.test(text), dirname: /\b__(dirname|filename)\b/.test(text) }).toEqual({ name, require: false, dirname: false });
      const processLines = text.split('\n').filter((l) => /\bprocess\b/.test(l) && !/^\s*(\/\/|\*)/.test(l));
      for (const l of processLines) expect(l).toMatch(/typeof process\s*!==?\s*["']undefined["']/);
    }
  });

  test(`its entry is under ${ENTRY_BUDGET_KB} KB (sizes in output/bundle.json)`, () => {
    const sizes = Object.fromEntries(files.map(({ name, text }) => [name, { bytes: Buffer.byteLength(text), gzip: gzipSync(text).length }]));
    const total = Object.values(sizes).reduce((s, x) => ({ bytes: s.bytes + x.bytes, gzip: s.gzip + x.gzip }), { bytes: 0, gzip: 0 });
    writeReport('bundle', { files: sizes, total });
    expect(sizes['index.mjs'].bytes / 1024).toBeLessThan(ENTRY_BUDGET_KB);
    // the inlined kernels (both builds, base64) are a chunk of their own, fetched only without loadKernels({ url })
    const inline = files.find((f) => /^chunks\/inline_builds/.test(f.name));
    expect(inline).toBeDefined();
    expect(files.find((f) => f.name === 'index.mjs')!.text).toContain(`import("./${inline!.name}")`);
  });
});

describe('in Chromium, through an import map', () => {
  let site = '';
  let server: Served;
  let browser: Browser;
  let page: Page;
  let log: PageLog;
  const call = <T>(js: string): Promise<T> => evaluate<T>(page, log, js);
  type Predicted = { y: number[]; grew: number; backend: string; info: { loaded: boolean; source: string; build: string; sequences: number } };

  beforeAll(async () => {
    site = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-page-'));
    fs.symlinkSync(path.join(ROOT, 'dist'), path.join(site, 'pkg'));
    fs.symlinkSync(path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs', 'dist'), path.join(site, 'tfjs'));
    fs.writeFileSync(path.join(site, 'fixture.json'), JSON.stringify(fixture));
    fs.writeFileSync(path.join(site, 'bogus.wasm'), 'not a WebAssembly module');
    fs.writeFileSync(path.join(site, 'index.html'), PAGE);
    expect(fs.existsSync(path.join(site, 'tfjs', 'tf.fesm.min.js'))).toBe(true);
    server = await serve(site);
    browser = await launchChromium();
    ({ page, log } = await openPage(browser, server.url));
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(site, { recursive: true, force: true });
  });

  test('the package and the page share tfjs, and nothing loads the kernels before it is asked', async () => {
    expect(await call('page.oneEngine')).toBe(true);
    expect(await call('page.infoBefore')).toMatchObject({ loaded: false, source: null, sequences: 0 });
  });

  test('loadKernels({ url }) fetches the served dist/kernels/, which setBackend keeps, and the LSTM runs on them as the reference', async () => {
    const folder = `${server.url}pkg/kernels/`;
    expect(await call(`page.load(${JSON.stringify(folder)})`)).toEqual({ info: expect.objectContaining({ loaded: true, source: `${folder}recurrent-relaxed.wasm`, build: 'relaxed' }) });
    expect(await call("page.api.setBackend('cpu')")).toBe('cpu');
    const p = await call<Predicted>('page.predict()');
    expect(p).toMatchObject({ backend: 'cpu', grew: 1, info: { source: `${folder}recurrent-relaxed.wasm` } });
    expect(maxAbsDiff(p.y, reference)).toBeLessThan(1e-5);
  });

  test.each([
    ['a folder that answers 404', 'missing/', /answered 404/],
    ['a server that refuses', 'http://127.0.0.1:9/kernels/', /cannot fetch/],
    ['a file that is not WebAssembly', 'bogus.wasm', /is not a WebAssembly module this browser compiles/],
  ])('a bad URL (%s) rejects naming it, and the kernels loaded before keep running', async (_what, where, why) => {
    const url = where.startsWith('http') ? where : `${server.url}${where}`;
    const before = await call<Predicted['info']>('page.api.kernelsInfo()');
    const r = await call<{ error?: string; name?: string }>(`page.load(${JSON.stringify(url)})`);
    expect(r.name).toBe('RecurrentConfigError');
    expect(r.error).toContain(url);
    expect(r.error).toMatch(why);
    const p = await call<Predicted>('page.predict()');
    expect(p.info.source).toBe(before.source);
    expect(p.grew).toBe(1);
    expect(maxAbsDiff(p.y, reference)).toBeLessThan(1e-5);
  });

  test('the URL of one .wasm file loads that build (plain SIMD here), which runs as the reference too', async () => {
    const file = `${server.url}pkg/kernels/recurrent.wasm`;
    expect(await call(`page.load(${JSON.stringify(file)})`)).toEqual({ info: expect.objectContaining({ source: file, build: 'plain' }) });
    const p = await call<Predicted>('page.predict()');
    expect(p.grew).toBe(1);
    expect(maxAbsDiff(p.y, reference)).toBeLessThan(1e-5);
  });

  test('the page said nothing but the failed loads it asked for', () => {
    const asked = [`${server.url}missing/`, '127.0.0.1:9/', `${server.url}bogus.wasm`];
    expect(log.pageErrors).toEqual([]);
    expect(log.warnings()).toEqual([]);
    for (const line of log.errors()) expect(asked.some((u) => line.includes(u)) ? 'asked for' : line).toBe('asked for');
  });

  test('without loadKernels, setBackend takes the copy inlined in the bundle', async () => {
    const fresh = await openPage(browser, server.url);
    expect(await evaluate(fresh.page, fresh.log, "page.api.setBackend('cpu')")).toBe('cpu');
    const p = await evaluate<Predicted>(fresh.page, fresh.log, 'page.predict()');
    expect(p.info).toMatchObject({ loaded: true, source: 'inline:recurrent-relaxed.wasm', build: 'relaxed' });
    expect(p.grew).toBe(1);
    expect(maxAbsDiff(p.y, reference)).toBeLessThan(1e-5);
    expect(fresh.log.errors()).toEqual([]);
    await fresh.page.close();
  });
});

// The page: tfjs's own ESM build and our bundle, both by bare name through an import map.
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>loading</title>
<script type="importmap">{ "imports": { "@tensorflow/tfjs": "/tfjs/tf.fesm.min.js", "tfjs-recurrent": "/pkg/browser/index.mjs" } }</script>
</head><body>
<script type="module">
import * as tf from '@tensorflow/tfjs';
import * as api from 'tfjs-recurrent';
${MODEL_JS}
const f = await (await fetch('/fixture.json')).json();
window.page = {
  api,
  oneEngine: api.tf.engine() === tf.engine(),
  infoBefore: api.kernelsInfo(),
  async load(url) {
    try {
      return { info: await api.loadKernels({ url }) };
    } catch (e) {
      return { error: e.message, name: e.name };
    }
  },
  async predict() {
    const before = api.kernelsInfo().sequences;
    const model = buildModel(api, f);
    const ids = tf.tensor2d(f.ids, [f.B, f.T], 'int32');
    const y = model.predict(ids);
    const out = { y: Array.from(await y.data()), grew: api.kernelsInfo().sequences - before, backend: tf.getBackend(), info: api.kernelsInfo() };
    tf.dispose([ids, y]);
    model.dispose();
    return out;
  },
};
document.title = 'ready';
</script></body></html>
`;
