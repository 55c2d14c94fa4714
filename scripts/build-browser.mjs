// The browser build: src/index.browser.ts bundled as ES modules into dist/browser/, with every
// src/X.ts that has a twin src/X.browser.ts replaced by the twin (the Node-only parts:
// files, worker threads, the native backend). tfjs stays outside the bundle (a peer
// dependency: the page's own copy), and the kernels' .wasm builds are inlined in a chunk
// of their own that loads only when no URL is given to loadKernels.
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { browserTwins } from './browser_twins.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

fs.rmSync(path.join(root, 'dist', 'browser'), { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: { index: path.join(src, 'index.browser.ts') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  outdir: path.join(root, 'dist', 'browser'),
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  external: Object.keys(pkg.peerDependencies ?? {}).concat(Object.keys(pkg.dependencies ?? {})),
  loader: { '.wasm': 'binary' },
  plugins: [browserTwins(src)],
  sourcemap: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});
const out = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.mjs'));
for (const [file, info] of out) console.log(`${path.relative(root, file)}  ${(info.bytes / 1024).toFixed(0)} KB`);
