/**
 * The package root is the library: importing a layer loads none of the
 * packages only a feature needs (vega and vega-lite for the sentiment app's
 * curves, protobufjs for ONNX, h5wasm for Keras's weights file), and those are
 * optional peer dependencies, not installed with the package. The sentiment
 * app is `tfjs-recurrent/sentiment`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { builtDist } from './helpers/dist';

const ROOT = path.join(__dirname, '..');
const OPTIONAL = ['vega', 'vega-lite', 'protobufjs', 'h5wasm'];
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

test('the feature packages are optional peer dependencies, none a dependency', () => {
  for (const name of OPTIONAL) {
    expect(pkg.dependencies[name]).toBeUndefined();
    expect(pkg.peerDependencies[name]).toBeDefined();
    expect(pkg.peerDependenciesMeta[name]).toEqual({ optional: true });
    expect(pkg.devDependencies[name]).toBe(pkg.peerDependencies[name]); // the repository's own install has them
  }
});

test('importing LSTM and training a step loads none of them; the sentiment entry is its own', () => {
  const dist = builtDist();
  const script = `
    const { tf, LSTM, Sequential, Dense } = require(${JSON.stringify(dist)});
    const m = new Sequential();
    m.add(new LSTM({ units: 2, inputShape: [3, 1] }));
    m.add(new Dense({ units: 1 }));
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    m.fit(tf.ones([2, 3, 1]), tf.ones([2, 1]), { epochs: 1, verbose: 0 }).then(() => {
      const loaded = Object.keys(require.cache).map((f) => f.split('node_modules/').pop().split('/')[0]);
      process.stdout.write(JSON.stringify([...new Set(loaded)].filter((n) => ${JSON.stringify(OPTIONAL)}.includes(n))));
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, TFJS_RECURRENT_QUIET: '1' } });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual([]);
  expect(pkg.exports['./sentiment'].default).toBe('./dist/sentiment/index.js');
  const app = require(path.join(ROOT, pkg.exports['./sentiment'].default));
  expect(typeof app.loadBundled).toBe('function');
  const root = require(dist);
  expect(root.loadBundled).toBeUndefined();
});

test('npm reads no unknown project config here, and the dependencies\' download scripts are denied by name', () => {
  const r = spawnSync('npm', ['config', 'get', 'registry'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stderr).not.toMatch(/Unknown (project|env) config/);
  // onnxruntime-node's would fetch CUDA libraries, tfjs-node's libtensorflow (npm run setup:native builds it instead);
  // esbuild's only checks its binary, which its platform package brings
  expect(pkg.allowScripts).toEqual({ 'onnxruntime-node': false, 'core-js': false, '@tensorflow/tfjs-node': false, esbuild: false });
});

test("tfjs is a peer dependency (the user's one copy serves both), its wasm and native backends optional peers; this repository develops on versions in their range", () => {
  const TFJS = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node'];
  for (const name of TFJS) {
    expect(pkg.dependencies[name]).toBeUndefined();
    expect(pkg.optionalDependencies?.[name]).toBeUndefined();
    expect(pkg.peerDependencies[name]).toBe('^4.3.0');
    const [major, minor] = pkg.devDependencies[name].split('.').map(Number);
    expect(major === 4 && minor >= 3).toBe(true);
  }
  expect(pkg.peerDependenciesMeta['@tensorflow/tfjs']).toBeUndefined();
  expect(pkg.peerDependenciesMeta['@tensorflow/tfjs-backend-wasm'].optional).toBe(true);
  expect(pkg.peerDependenciesMeta['@tensorflow/tfjs-node'].optional).toBe(true);
});
