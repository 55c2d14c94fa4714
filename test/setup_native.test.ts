/**
 * `npm run setup:native` where tfjs-node already loads (as in CI, after the
 * setup ran): it says so in one line and changes nothing. Where tfjs-node
 * does not load, running it here would download and build, so it is not run.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { canLoad } from './helpers/backends';

const ROOT = path.resolve(__dirname, '..');
const hasNode = canLoad('@tensorflow/tfjs-node');

(hasNode ? test : test.skip)('with tfjs-node loading, it says so, exits 0 and leaves the binding as it was', () => {
  const binding = path.join(path.dirname(require.resolve('@tensorflow/tfjs-node/package.json')), 'lib');
  const before = fs.readdirSync(binding).map((d) => fs.statSync(path.join(binding, d)).mtimeMs);
  const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'setup-native.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(out).toMatch(/^setup:native: @tensorflow\/tfjs-node \d+\.\d+\.\d+ already loads \(backend 'tensorflow'\); nothing to do\n$/);
  expect(fs.readdirSync(binding).map((d) => fs.statSync(path.join(binding, d)).mtimeMs)).toEqual(before);
});
