/**
 * `npm run setup:native`'s probe: it asks a fresh process whether tfjs-node
 * loads, and reads only the one line that process writes for it, whatever
 * TensorFlow prints around it (absl's and oneDNN's start-up lines on some
 * CPUs). Where tfjs-node loads (as in CI, after the setup ran), the script
 * says so in one line and changes nothing; where it does not, running it
 * here would download and build, so that test is skipped.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { canLoad } from './helpers/backends';
import { QUIET_TENSORFLOW } from '../src/backend';

const ROOT = path.resolve(__dirname, '..');
const hasNode = canLoad('@tensorflow/tfjs-node');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require(path.join(ROOT, 'scripts', 'setup-native.js')) as {
  probeVersion(stdout: string): string | null;
  tfjsNodeLoads(pkg?: string): { ok: true; version: string } | { ok: false; why: string };
  PROBE_MARK: string;
  QUIET_TF: Record<string, string>;
};

const ABSL = 'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR';
const ONEDNN = 'I0000 00:00:1796677061.473701    2550 port.cc:153] oneDNN custom operations are on. You may see slightly different numerical results due to floating-point round-off errors from different computation orders. To turn them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.';

/** A stand-in for tfjs-node that prints TensorFlow's start-up lines, unterminated, on both streams, as it loads. */
function fakeTfjsNode(body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-tfjs-node-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fake-tfjs-node', version: '9.8.7', main: 'index.js' }));
  fs.writeFileSync(
    path.join(dir, 'index.js'),
    `process.stdout.write(${JSON.stringify(ABSL + '\n' + ONEDNN)});
     process.stderr.write(${JSON.stringify(ABSL + '\n' + ONEDNN)});
     ${body}`,
  );
  return dir;
}

const WORKING = `module.exports = { getBackend: () => 'tensorflow', ones: () => null, matMul: () => ({ dataSync: () => [3] }) };`;

test('the probe reads its version from its own line, with TensorFlow\'s start-up lines around it on both streams', () => {
  const dir = fakeTfjsNode(WORKING);
  try {
    expect(setup.tfjsNodeLoads(dir)).toEqual({ ok: true, version: '9.8.7' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a probe that fails gives its error line as the reason, not TensorFlow\'s start-up lines', () => {
  const dir = fakeTfjsNode(`throw new Error('libtensorflow.so.2: cannot open shared object file');`);
  try {
    const r = setup.tfjsNodeLoads(dir);
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.why).toMatch(/^Error: libtensorflow\.so\.2: cannot open shared object file$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('probeVersion takes only the marked line', () => {
  expect(setup.probeVersion(`${ABSL}\n${ONEDNN}\n${setup.PROBE_MARK}4.22.0\n`)).toBe('4.22.0');
  expect(setup.probeVersion(`${ONEDNN}4.22.0`)).toBeNull();
  expect(setup.probeVersion(`${setup.PROBE_MARK}\n`)).toBeNull();
});

test('the probe, the library and jest quiet TensorFlow with the same variables', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const forJest = require('./helpers/quiet_tensorflow') as { QUIET_TENSORFLOW: Record<string, string> };
  expect(setup.QUIET_TF).toEqual(QUIET_TENSORFLOW);
  expect(forJest.QUIET_TENSORFLOW).toEqual(QUIET_TENSORFLOW);
});

(hasNode ? test : test.skip)('with tfjs-node loading, it says so in one line, exits 0 and leaves the binding as it was', () => {
  const binding = path.join(path.dirname(require.resolve('@tensorflow/tfjs-node/package.json')), 'lib');
  const before = fs.readdirSync(binding).map((d) => fs.statSync(path.join(binding, d)).mtimeMs);
  const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'setup-native.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(out).toMatch(/^setup:native: @tensorflow\/tfjs-node \d+\.\d+\.\d+ already loads \(backend 'tensorflow'\); nothing to do\n$/);
  expect(fs.readdirSync(binding).map((d) => fs.statSync(path.join(binding, d)).mtimeMs)).toEqual(before);
});
