// Builds the sentiment page (web/sentiment/) into a static folder any server can host:
//   OUT/index.html, style.css, app.js (+ chunks/)   the page, bundled by esbuild with the browser twins of src/
//   OUT/tfjs-wasm/*.wasm                             tfjs-backend-wasm's own binaries (setWasmPaths points here)
//   OUT/data.json                                    the bundled sentences the demo trains on, for in-page training
//   OUT/model/                                       a run exported by `tfjs-recurrent export --to web`
//   OUT/build.json                                   whether model/ holds a run (and the mark of a folder this script owns)
//
//   node web/build.mjs [--run DIR | --no-run] [--out DIR]
//
// The run is DIR, else the newest run folder under runs/ that `npm run demo` wrote; with none,
// the page is built without one (it says how to make one, and can train a model itself).
import * as esbuild from 'esbuild';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { browserTwins } from '../scripts/browser_twins.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = (p) => path.relative(process.cwd(), p) || '.';
const MARK = 'build.json';

function fail(message) {
  console.error(`web/build.mjs: ${message}`);
  process.exit(1);
}

/** The command line's options: --run DIR, --no-run, --out DIR. */
function options(argv) {
  const o = { run: undefined, noRun: false, out: path.join(root, 'web', 'site') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-run') o.noRun = true;
    else if (a === '--run' || a === '--out') {
      if (argv[i + 1] === undefined) fail(`${a} needs a folder`);
      o[a.slice(2)] = path.resolve(argv[++i]);
    } else fail(`unknown argument '${a}' (usage: node web/build.mjs [--run DIR | --no-run] [--out DIR])`);
  }
  return o;
}

/** The newest run folder of `tfjs-recurrent sentiment` under runs/ (by its report.json's time), or undefined. */
function newestRun() {
  const runs = path.join(root, 'runs');
  if (!fs.existsSync(runs)) return undefined;
  const found = fs.readdirSync(runs, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.join(runs, e.name))
    .filter((d) => ['report.json', 'tokenizer.json'].every((f) => fs.existsSync(path.join(d, f))))
    .map((d) => ({ d, t: fs.statSync(path.join(d, 'report.json')).mtimeMs }));
  return found.sort((a, b) => b.t - a.t)[0]?.d;
}

/** Empties OUT, where it is new, empty or an earlier build of this script; refuses any other folder. */
function prepareOut(out) {
  const st = fs.statSync(out, { throwIfNoEntry: false });
  if (st != null && !st.isDirectory()) fail(`--out ${rel(out)} is a file; give a folder`);
  if (st != null && fs.readdirSync(out).length > 0 && !fs.existsSync(path.join(out, MARK))) {
    fail(`--out ${rel(out)} holds files this script did not write (no ${MARK}); give a new or empty folder, or an earlier build`);
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
}

const o = options(process.argv.slice(2));
const dist = path.join(root, 'dist');
for (const f of ['cli/main.js', 'cli/export_web.js', 'sentiment/data.js', 'kernels/recurrent.wasm', 'kernels/recurrent-relaxed.wasm']) {
  if (!fs.existsSync(path.join(dist, f))) fail(`dist/${f} is missing: build the package first (npm run build)`);
}
const run = o.noRun ? undefined : o.run ?? newestRun();
if (run !== undefined && !fs.existsSync(path.join(run, 'report.json'))) fail(`--run ${rel(run)} is no run folder of 'tfjs-recurrent sentiment' (no report.json)`);
prepareOut(o.out);
const t0 = Date.now();

// The page: plain TypeScript, bundled with tfjs, tfjs-backend-wasm and src/ (its browser twins).
const built = await esbuild.build({
  entryPoints: { app: path.join(root, 'web', 'sentiment', 'app.ts') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  outdir: o.out,
  chunkNames: 'chunks/[name]-[hash]',
  loader: { '.wasm': 'binary' },
  plugins: [browserTwins(path.join(root, 'src'))],
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});
for (const f of ['index.html', 'style.css']) fs.copyFileSync(path.join(root, 'web', 'sentiment', f), path.join(o.out, f));

// tfjs-backend-wasm's binaries (plain, SIMD, threaded SIMD: it picks the one this browser runs).
const wasmDir = path.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
fs.mkdirSync(path.join(o.out, 'tfjs-wasm'));
for (const f of fs.readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) fs.copyFileSync(path.join(wasmDir, f), path.join(o.out, 'tfjs-wasm', f));

// The sentences `npm run demo` trains on, read by the demo's own reader.
const { loadBundled } = createRequire(import.meta.url)(path.join(dist, 'sentiment', 'data.js'));
const examples = loadBundled().map((e) => [e.text, e.label, e.source]);
fs.writeFileSync(path.join(o.out, 'data.json'), JSON.stringify({ source: 'bundled UCI Sentiment Labelled Sentences (imdb, amazon, yelp)', examples }));

// The run, exported by the command line as a user would.
if (run !== undefined) {
  const r = spawnSync(process.execPath, [path.join(dist, 'cli', 'main.js'), 'export', '--to', 'web', run, path.join(o.out, 'model')], { encoding: 'utf8' });
  if (r.status !== 0) fail(`tfjs-recurrent export --to web ${rel(run)} failed: ${r.stderr.trim()}`);
}
// The page reads it: whether model/ holds a run (so that it asks for none where there is none).
fs.writeFileSync(path.join(o.out, MARK), `${JSON.stringify({ builtBy: 'web/build.mjs', model: run !== undefined }, null, 2)}\n`);

const size = (dir) => fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? size(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0);
const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
const js = Object.entries(built.metafile.outputs).filter(([f]) => f.endsWith('.js')).reduce((n, [, i]) => n + i.bytes, 0);
console.log(`built ${rel(o.out)}/ in ${((Date.now() - t0) / 1000).toFixed(1)} s: the page (${mb(js)} of JavaScript), ${examples.length} sentences, ` +
  (run === undefined ? 'no run' : `the run ${rel(run)} (${mb(size(path.join(o.out, 'model')))})`));
if (run === undefined && !o.noRun) {
  console.log('no run folder under runs/: the page can train a small model itself; for the demo\'s ensemble, run `npm run demo` (a few minutes), then `npm run web` again');
}
console.log(`serve it: node web/server.mjs ${rel(o.out)} (any static server will do; docs/web.md)`);
