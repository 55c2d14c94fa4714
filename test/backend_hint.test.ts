/** setBackend('auto')'s hint names the command that works where the package is: the repository's script, or an npm install in a user's project. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { nativeHint } from '../src/backend';

const ROOT = path.resolve(__dirname, '..');

test('in this repository, where scripts/setup-native.js exists, the hint is npm run setup:native', () => {
  expect(nativeHint(ROOT)).toBe('npm run setup:native builds it');
});

test("in a user's project (the package under node_modules, without scripts/) the hint is npm install @tensorflow/tfjs-node", () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-recurrent-hint-'));
  try {
    const installed = path.join(project, 'node_modules', 'tfjs-recurrent');
    fs.mkdirSync(installed, { recursive: true });
    fs.writeFileSync(path.join(installed, 'package.json'), fs.readFileSync(path.join(ROOT, 'package.json')));
    expect(nativeHint(installed)).toBe('npm install @tensorflow/tfjs-node adds it');
    // Even a copy that kept scripts/ is a dependency there: the script runs only in a checkout.
    fs.mkdirSync(path.join(installed, 'scripts'));
    fs.writeFileSync(path.join(installed, 'scripts', 'setup-native.js'), '');
    expect(nativeHint(installed)).toBe('npm install @tensorflow/tfjs-node adds it');
    expect(nativeHint(undefined)).toBe('npm install @tensorflow/tfjs-node adds it');
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
});

test('the package as npm publishes it ships no scripts/, so an installed copy gets the npm install hint', () => {
  const files: string[] = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).files;
  expect(files).not.toContain('scripts');
});
