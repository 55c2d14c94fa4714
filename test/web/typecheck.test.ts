/**
 * The web pages' TypeScript (web/sentiment/) type-checks with the DOM, under
 * web/tsconfig.json: the root tsconfig has no DOM, and esbuild, which builds
 * the pages, checks no types.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

test('tsc -p web/tsconfig.json finds no error', () => {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'web', 'tsconfig.json')], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 120_000);
