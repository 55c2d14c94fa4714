/**
 * A user's project, made from scratch: the packed tarball installed beside
 * the lowest @tensorflow/tfjs the package supports (package.json's peer range;
 * its `dependencies` until that peer exists) and the wasm backend, with
 * esbuild, vite and webpack. It checks that
 * - one @tensorflow/tfjs-core is installed, at that version;
 * - a Node script (`require('tfjs-recurrent')`) predicts as the plain-JS
 *   reference on cpu and wasm, and nothing registers twice;
 * - each bundler bundles a page importing from 'tfjs-recurrent' with no error
 *   and no warning (none about fs, path, worker_threads…);
 * - in headless Chromium (cross-origin isolated), on wasm the page predicts as
 *   Node does (1e-5) on the kernels' path, on two threads; not isolated, on
 *   one; on webgl it takes the tf-op path, within 1e-4; `fit` lowers the loss
 *   as Node's does; the vite and webpack pages predict as the esbuild one.
 * The page's screenshot and the run's timings go to test/browser/output/; the
 * temporary project is removed after the run (KEEP_CONSUMER=1 keeps it).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { PageLog, evaluate, launchChromium, openPage, screenshot, writeReport } from './helpers/browser';
import { ROOT, Ran, builtBrowserBundle, lowestTfjs, run } from './helpers/build';
import { MODEL_JS, makeFixture, maxAbsDiff, referencePredict } from './helpers/fixture';
import { Served, serve } from './helpers/serve';

const LOW = lowestTfjs();
const fixture = makeFixture();
const reference = referencePredict(fixture);
const EPOCHS = 6;
const QUIET = ['--no-audit', '--no-fund', '--loglevel=error'];
// The bundlers' majors this test was written against; esbuild's is the one the package builds with.
const devEsbuild = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies.esbuild as string;
const BUNDLERS = [`esbuild@${devEsbuild}`, 'vite@8', 'webpack@5', 'webpack-cli@7'];

/** What the Node script prints after `RESULT `. */
interface NodeResult {
  oneEngine: boolean;
  core: string;
  cpu: { y: number[]; grew: number };
  wasm: { y: number[]; grew: number };
  fit: { loss: number[]; grew: number };
}
/** What the page's predict returns. */
interface Predicted {
  backend: string;
  y: number[];
  grew: number;
  renderer?: string;
  info: { loaded: boolean; source: string | null; build: string | null; threads: number; sequences: number; note?: string };
}

let work = '';
let app = '';
let site = '';
const seconds: Record<string, number> = {};
const bundled: Record<'esbuild' | 'vite' | 'webpack', Ran> = {} as never;
let node: Ran;
let nodeResult: NodeResult;
let renderer: string | undefined; // the WebGL renderer the page found, for the report
let tarballBytes = 0;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  app = path.join(work, 'app');
  site = path.join(app, 'site');
  fs.mkdirSync(site, { recursive: true });

  const t0 = Date.now();
  builtBrowserBundle();
  seconds.build = (Date.now() - t0) / 1000;
  const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work, ...QUIET], { cwd: ROOT });
  const tarball = path.join(work, JSON.parse(packed.stdout)[0].filename);
  seconds.pack = packed.seconds;
  tarballBytes = fs.statSync(tarball).size;

  // As the repository's own package.json does, deny tfjs-node's install script by name: it downloads
  // libtensorflow from outside the npm registry, which cannot be reached here (the optional dependency
  // would then be removed); nothing here loads tfjs-node (the script and the pages run cpu, wasm and webgl).
  const manifest = { name: 'consumer', version: '1.0.0', private: true, allowScripts: { '@tensorflow/tfjs-node': false } };
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  const tfjs = [`@tensorflow/tfjs@${LOW.version}`, `@tensorflow/tfjs-backend-wasm@${LOW.version}`];
  seconds.install = run('npm', ['install', '--save-exact', ...QUIET, ...tfjs, tarball, ...BUNDLERS], { cwd: app }).seconds;

  for (const [name, text] of Object.entries(APP_FILES)) {
    fs.mkdirSync(path.dirname(path.join(app, name)), { recursive: true });
    fs.writeFileSync(path.join(app, name), text);
  }
  fs.mkdirSync(path.join(site, 'tfwasm'));
  const wasmDist = path.join(app, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  for (const f of fs.readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) fs.copyFileSync(path.join(wasmDist, f), path.join(site, 'tfwasm', f));

  node = run(process.execPath, ['predict.cjs'], { cwd: app, allowFailure: true });
  seconds.node = node.seconds;
  const line = node.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (line) nodeResult = JSON.parse(line.slice('RESULT '.length)); // (else the Node test says why)

  const npx = (args: string[]) => run('npx', ['--no-install', ...args], { cwd: app, allowFailure: true });
  bundled.esbuild = npx(['esbuild', 'page.mjs', '--bundle', '--platform=browser', '--format=esm', '--outfile=site/esbuild/page.js', '--log-level=warning']);
  bundled.vite = npx(['vite', 'build', '-c', 'vite.config.mjs']);
  bundled.webpack = npx(['webpack', '-c', 'webpack.config.cjs']);
  for (const [b, r] of Object.entries(bundled)) seconds[b] = r.seconds;
}, 300000);

afterAll(() => {
  const size = (f: string) => (fs.existsSync(path.join(site, f)) ? fs.statSync(path.join(site, f)).size : null);
  writeReport('consumer', { tfjs: LOW, bundlers: BUNDLERS, seconds, tarballBytes, pageBytes: { esbuild: size('esbuild/page.js'), webpack: size('webpack/page.js') }, nodeStderr: node?.stderr.split('\n').filter(Boolean), renderer });
  if (work && !process.env.KEEP_CONSUMER) fs.rmSync(work, { recursive: true, force: true });
});

test(`the project has one @tensorflow/tfjs-core and one @tensorflow/tfjs, at the lowest supported version (from package.json's ${LOW.from})`, () => {
  const listed = run('npm', ['ls', '@tensorflow/tfjs-core', '--all', '--parseable'], { cwd: app }).stdout.split('\n').filter(Boolean);
  expect(listed).toEqual([path.join(app, 'node_modules', '@tensorflow', 'tfjs-core')]);
  for (const name of ['@tensorflow/tfjs-core', '@tensorflow/tfjs']) {
    const copies = installedCopies(path.join(app, 'node_modules'), name);
    expect(copies.map((dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version)).toEqual([LOW.version]);
  }
  expect(nodeResult.core).toBe(LOW.version);
});

test("Node: require('tfjs-recurrent') predicts as the reference on cpu and wasm, on the kernels' path, registering nothing twice", () => {
  expect({ status: node.status, result: nodeResult !== undefined, stderr: node.stderr }).toMatchObject({ status: 0, result: true });
  const lines = `${node.stdout}\n${node.stderr}`.split('\n');
  expect(lines.filter((l) => /already registered|Platform node has already been set|has already been set/i.test(l))).toEqual([]);
  expect(node.stderr.split('\n').filter((l) => l && !l.startsWith('tfjs-recurrent: '))).toEqual([]);
  expect(nodeResult.oneEngine).toBe(true);
  for (const b of ['cpu', 'wasm'] as const) {
    expect(maxAbsDiff(nodeResult[b].y, reference)).toBeLessThan(1e-5);
    expect(nodeResult[b].grew).toBe(1);
  }
});

test.each(['esbuild', 'vite', 'webpack'] as const)('%s bundles the page with no error and no warning', (b) => {
  const r = bundled[b];
  const said = `${r.stdout}\n${r.stderr}`;
  // a Node built-in (fs, path, crypto, os, worker_threads…) left in the browser build would be a warning or an error here
  const success = b === 'webpack' ? /^\s*webpack( [\d.]+)? compiled successfully( in \d+ ms)?\s*$/ : /^\s*$/;
  expect({ status: r.status, said }).toEqual({ status: 0, said: expect.stringMatching(success) });
});

describe('the esbuild page in Chromium', () => {
  let browser: Browser;
  let isolated: Served;
  let plain: Served;
  let page: Page;
  let log: PageLog;

  beforeAll(async () => {
    isolated = await serve(site);
    plain = await serve(site, { isolated: false });
    browser = await launchChromium();
    ({ page, log } = await openPage(browser, `${isolated.url}esbuild/`));
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    await isolated?.close();
    await plain?.close();
  });

  test("on wasm it predicts as Node (1e-5), the kernels (inlined, relaxed SIMD) running the LSTM, on two threads in an isolated page", async () => {
    expect(await evaluate(page, log, 'consumer.oneEngine')).toBe(true);
    expect(await evaluate(page, log, 'consumer.tfjs')).toBe(LOW.version);
    const p = await evaluate<Predicted>(page, log, "consumer.predict('wasm')");
    expect(p).toMatchObject({ backend: 'wasm', grew: 1, info: { loaded: true, source: 'inline:recurrent-relaxed.wasm', build: 'relaxed' } });
    expect(maxAbsDiff(p.y, nodeResult.wasm.y)).toBeLessThan(1e-5);
    expect(maxAbsDiff(p.y, reference)).toBeLessThan(1e-5);
    // the helper thread says it is ready a message after the kernels load
    await page.waitForFunction('consumer.info().threads === 2', undefined, { timeout: 5000 }).catch(() => undefined);
    expect(await evaluate(page, log, 'consumer.info()')).toMatchObject({ threads: 2, crossOriginIsolated: true });
  });

  test('on webgl the layers take the tf-op path (the kernels run no sequence), within 1e-4 of Node', async () => {
    const p = await evaluate<Predicted & { error?: string }>(page, log, "consumer.predict('webgl')");
    renderer = p.renderer;
    expect(p.error).toBeUndefined(); // WebGL (SwiftShader) is there in this headless Chromium; if it were not, this says why
    expect(p).toMatchObject({ backend: 'webgl', grew: 0 });
    expect(maxAbsDiff(p.y, nodeResult.cpu.y)).toBeLessThan(1e-4);
  });

  test(`${EPOCHS} epochs of fit on wasm lower the loss, as in Node, a forward and a backward pass of the kernels each`, async () => {
    const r = await evaluate<{ loss: number[]; grew: number; backend: string }>(page, log, `consumer.fit('wasm', ${EPOCHS})`);
    expect(r.backend).toBe('wasm');
    expect(r.loss).toHaveLength(EPOCHS);
    expect(r.loss[EPOCHS - 1]).toBeLessThan(r.loss[0]);
    expect(maxAbsDiff(r.loss, nodeResult.fit.loss)).toBeLessThan(1e-4 * nodeResult.fit.loss[0]);
    expect(r.grew).toBe(2 * EPOCHS);
    expect(nodeResult.fit.grew).toBe(2 * EPOCHS);
  });

  test('its screenshot is written, and it logged no error and no warning', async () => {
    const file = await screenshot(page, 'consumer');
    expect(fs.statSync(file).size).toBeGreaterThan(1000);
    expect(log.errors()).toEqual([]);
    expect(log.warnings()).toEqual([]);
  });

  test('served without cross-origin isolation, the kernels run on one thread and predict the same', async () => {
    const other = await openPage(browser, `${plain.url}esbuild/`);
    const p = await evaluate<Predicted>(other.page, other.log, "consumer.predict('wasm')");
    expect(p.info).toMatchObject({ threads: 1, crossOriginIsolated: false, note: expect.stringMatching(/not cross-origin isolated/) });
    expect(p.grew).toBe(1);
    expect(maxAbsDiff(p.y, nodeResult.wasm.y)).toBeLessThan(1e-5);
    expect(other.log.errors()).toEqual([]);
    await other.page.close();
  });

  test.each(['vite', 'webpack'])('the %s page predicts on wasm as Node, on the kernels', async (b) => {
    const other = await openPage(browser, `${isolated.url}${b}/`);
    const p = await evaluate<Predicted>(other.page, other.log, "consumer.predict('wasm')");
    expect(p).toMatchObject({ backend: 'wasm', grew: 1, info: { source: 'inline:recurrent-relaxed.wasm' } });
    expect(maxAbsDiff(p.y, nodeResult.wasm.y)).toBeLessThan(1e-5);
    expect(other.log.errors()).toEqual([]);
    await other.page.close();
  });
});

/** The directories of every installed copy of package `name` under `nodeModules`, nested ones included. */
function installedCopies(nodeModules: string, name: string): string[] {
  if (!fs.existsSync(nodeModules)) return [];
  const found = fs.existsSync(path.join(nodeModules, name, 'package.json')) ? [path.join(nodeModules, name)] : [];
  for (const e of fs.readdirSync(nodeModules, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const pkgs = e.name.startsWith('@') ? fs.readdirSync(path.join(nodeModules, e.name)).map((n) => path.join(e.name, n)) : [e.name];
    for (const p of pkgs) found.push(...installedCopies(path.join(nodeModules, p, 'node_modules'), name));
  }
  return found;
}

// ---- the consumer's files ------------------------------------------------------------------------

// The Node script: the user's own tfjs and ours, the model predicted on cpu and wasm, then fitted on wasm.
const PREDICT_CJS = `
const tf = require('@tensorflow/tfjs');
const api = require('tfjs-recurrent');
const f = require('./fixture.json');
${MODEL_JS}
async function main() {
  const out = { oneEngine: api.tf.engine() === tf.engine(), core: tf.version_core };
  const ids = tf.tensor2d(f.ids, [f.B, f.T], 'int32');
  for (const backend of ['cpu', 'wasm']) {
    await api.setBackend(backend);
    const model = buildModel(api, f);
    const before = api.kernelsInfo().sequences;
    out[backend] = { y: Array.from(await model.predict(ids).data()), grew: api.kernelsInfo().sequences - before };
  }
  const model = buildModel(api, f);
  const before = api.kernelsInfo().sequences;
  const h = await model.fit(ids, tf.tensor2d(f.target), { epochs: ${EPOCHS}, batchSize: f.B, shuffle: false, verbose: 0 });
  out.fit = { loss: h.history.loss, grew: api.kernelsInfo().sequences - before };
  console.log('RESULT ' + JSON.stringify(out));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
`;

// The page, as a user writes it: named imports, the wasm backend's files served from /tfwasm/.
// tfjs's wasm backend runs its own threads (in an isolated page) from a worker built by
// stringifying a function, which breaks once a minifier renames identifiers (tensorflow/tfjs#4107,
// #4539): a minified page turns them off (our kernels' helper is a string, and keeps its two threads).
const pageScript = ({ minified }: { minified: boolean }) => `
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tf as packageTf, Sequential, Embedding, LSTM, Dense, setBackend, kernelsInfo } from 'tfjs-recurrent';

const api = { tf, Sequential, Embedding, LSTM, Dense };
${MODEL_JS}
setWasmPaths(new URL('/tfwasm/', location.href).href);
${minified ? "tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);" : ''}
const fixture = fetch('/fixture.json').then((r) => r.json());
const show = (what, value) => {
  const row = document.createElement('pre');
  row.textContent = what + ': ' + JSON.stringify(value);
  document.getElementById('out').append(row);
};
const info = () => ({ ...kernelsInfo(), crossOriginIsolated: self.crossOriginIsolated === true });

function renderer() {
  const gl = tf.backend().gpgpu?.gl;
  const ext = gl?.getExtension('WEBGL_debug_renderer_info');
  return gl ? String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : 'no WebGL context';
}

window.consumer = {
  info,
  oneEngine: packageTf.engine() === tf.engine(),
  tfjs: tf.version.tfjs,
  async predict(backend) {
    const f = await fixture;
    try {
      await setBackend(backend);
    } catch (e) {
      return { error: e.message };
    }
    const model = buildModel(api, f);
    const before = kernelsInfo().sequences;
    const ids = tf.tensor2d(f.ids, [f.B, f.T], 'int32');
    const y = model.predict(ids);
    const out = { backend: tf.getBackend(), y: Array.from(await y.data()), grew: kernelsInfo().sequences - before, info: info() };
    if (backend === 'webgl') out.renderer = renderer();
    tf.dispose([ids, y]);
    model.dispose();
    show('predict on ' + out.backend + (out.renderer ? ' (' + out.renderer + ')' : ''), out.y.map((v) => +v.toFixed(5)));
    show('kernelsInfo()', out.info);
    return out;
  },
  async fit(backend, epochs) {
    const f = await fixture;
    await setBackend(backend);
    const model = buildModel(api, f);
    const before = kernelsInfo().sequences;
    const [ids, target] = [tf.tensor2d(f.ids, [f.B, f.T], 'int32'), tf.tensor2d(f.target)];
    const h = await model.fit(ids, target, { epochs, batchSize: f.B, shuffle: false, verbose: 0 });
    tf.dispose([ids, target]);
    model.dispose();
    const out = { backend: tf.getBackend(), loss: h.history.loss, grew: kernelsInfo().sequences - before };
    show('fit on ' + out.backend + ', loss by epoch', out.loss.map((v) => +v.toFixed(5)));
    return out;
  },
};
document.title = 'ready';
`;

const html = (script: string) => `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>loading</title>
<style>body { font: 14px monospace; margin: 1em } pre { white-space: pre-wrap; margin: .3em 0 }</style></head>
<body><h1>tfjs-recurrent in a consumer's page</h1><p>Embedding → LSTM → Dense, fixed weights</p><div id="out"></div>
${script}
</body></html>
`;

/** The files written into the consumer project (paths relative to it). */
const APP_FILES: Record<string, string> = {
  'fixture.json': JSON.stringify(fixture),
  'site/fixture.json': JSON.stringify(fixture),
  'predict.cjs': PREDICT_CJS,
  'page.mjs': pageScript({ minified: false }),
  'site/esbuild/index.html': html('<script type="module" src="page.js"></script>'),
  'site/webpack/index.html': html('<script src="page.js"></script>'),
  'vite-src/index.html': html('<script type="module" src="./page.mjs"></script>'),
  'vite-src/page.mjs': pageScript({ minified: true }),
  // vite: minified as by default; relative asset URLs (the page lives under /vite/); its warning on chunks over 500 kB moved to 2 MB (tfjs itself is 1.1 MB)
  'vite.config.mjs': `export default { root: 'vite-src', base: './', logLevel: 'warn', build: { outDir: '../site/vite', emptyOutDir: true, chunkSizeWarningLimit: 2048 } };\n`,
  // webpack: not minified (terser would take 15 s of the suite's time); no performance hints, which are about
  // the page's size (tfjs's 1.1 MB over their 244 KiB) and chunking, not about the package (bundle.browser.ts measures ours)
  'webpack.config.cjs': `module.exports = {
  mode: 'production',
  entry: './page.mjs',
  output: { path: __dirname + '/site/webpack', filename: 'page.js' },
  optimization: { minimize: false },
  performance: { hints: false },
  stats: 'errors-warnings',
};
`,
};
