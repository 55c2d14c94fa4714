// `npm run test:lowest`: the jest suite on the lowest @tensorflow/tfjs this package supports
// (the floor of its peerDependencies range), with the same version of tfjs-backend-wasm, on
// cpu and wasm. It swaps those versions into node_modules (one copy of tfjs-core, checked),
// runs the suite, and puts the lockfile's versions back with `npm install`, pass or fail.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const low = pkg.peerDependencies['@tensorflow/tfjs'].replace(/^\^/, '');
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
};
const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];

console.log(`tfjs ${low} (the floor of ${pkg.peerDependencies['@tensorflow/tfjs']}), with tfjs-backend-wasm ${low}, on cpu and wasm`);
const native = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node');
const aside = path.join(root, 'node_modules', '.cache', 'tfjs-recurrent-lowest', 'tfjs-node');
let status = 1;
try {
  // tfjs-node pins its own tfjs: set it aside (with the binding setup:native built), so that one tfjs-core, the lowest, is left.
  if (fs.existsSync(native)) {
    fs.rmSync(aside, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(aside), { recursive: true });
    fs.renameSync(native, aside);
  }
  const lowest = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'].map((p) => `${p}@${low}`);
  if (run(npm[0], [...npm.slice(1), 'install', '--no-save', '--ignore-scripts', '--legacy-peer-deps', ...quiet, ...lowest]) !== 0) throw new Error('npm install failed');
  // npm put tfjs-node back (a devDependency, with its own tfjs); the webgpu backend (the browser bench's) has no release at every version
  for (const p of [native, path.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-webgpu')]) fs.rmSync(p, { recursive: true, force: true });
  const cores = spawnSync(npm[0], [...npm.slice(1), 'ls', '@tensorflow/tfjs-core', '--all', '--parseable'], { cwd: root, encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
  const versions = [...new Set(cores.map((dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version))];
  if (versions.length !== 1 || versions[0] !== low) throw new Error(`expected one @tensorflow/tfjs-core at ${low}, found ${versions.join(', ')}`);
  status = run(process.execPath, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), ...process.argv.slice(2)], { TEST_BACKENDS: 'cpu,wasm' });
} catch (e) {
  console.error(`test:lowest: ${e.message}`);
} finally {
  console.log('putting back the lockfile\'s versions (npm install)');
  run(npm[0], [...npm.slice(1), 'install', '--ignore-scripts', ...quiet]);
  if (fs.existsSync(aside)) {
    fs.rmSync(native, { recursive: true, force: true });
    fs.renameSync(aside, native);
  }
}
process.exit(status);
