/**
 * The built command, as a new user runs it (`node dist/cli/main.js`, the
 * package's `bin`), and a user's script through the built package: what goes
 * to stdout and stderr, and the exit codes.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { scratchDir } from './helpers/scratch';
import { builtDist } from './helpers/dist';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'dist', 'cli', 'main.js');
const scratch = scratchDir('tfjs-recurrent-bin-');

beforeAll(() => {
  builtDist(); // `npm install` builds dist/; rebuilt here if src/ is newer
}, 120000);

const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', input, env: { ...process.env, TFJS_RECURRENT_QUIET: '' } });

test('--version prints the version of package.json and nothing else', () => {
  const r = run(['--version']);
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
  expect(r.stderr).toBe('');
});

test('a missing --data file is the only output, on stderr, exit 1', () => {
  const r = run(['sentiment', '--data', path.join(scratch(), 'nope.tsv')]);
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^error: .*nope\.tsv/);
});

test("a user's script that builds and runs a model writes nothing to stdout but its own output", () => {
  const script = `
    const { tf, Sequential, LSTM, Dense } = require(${JSON.stringify(path.join(ROOT, 'dist'))});
    const m = new Sequential({ layers: [new LSTM({ units: 2, inputShape: [3, 2] }), new Dense({ units: 1 })] });
    const y = m.predict(tf.ones([1, 3, 2]));
    process.stdout.write(JSON.stringify({ shape: y.shape }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, TFJS_RECURRENT_QUIET: '' } });
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ shape: [1, 1] });
  // The one note about tfjs's slow default goes to stderr.
  expect(r.stderr).toMatch(/^tfjs-recurrent: backend 'cpu' \(tfjs's default, the slowest; await setBackend\('auto'\) picks the fastest here\)\n$/);
});

test('summary of a saved model through the bin; predict reads texts from standard input', () => {
  const dir = path.join(scratch(), 'm');
  const save = `
    const { Sequential, Embedding, GRU, Dense } = require(${JSON.stringify(path.join(ROOT, 'dist'))});
    new Sequential({ layers: [new Embedding({ inputDim: 20, outputDim: 4 }), new GRU({ units: 3 }), new Dense({ units: 1 })] }).save('file://${dir}');`;
  expect(spawnSync(process.execPath, ['-e', save], { encoding: 'utf8' }).status).toBe(0);
  const s = run(['summary', `${dir}/model.json`]);
  expect(s.status).toBe(0);
  expect(s.stdout).toMatch(/^Model: "sequential"\n/);
  expect(s.stdout).toContain('Total params: 165');
  const p = run(['predict', '--model', path.join(scratch(), 'no-run')], 'a text\n');
  expect(p.status).toBe(1);
  expect(p.stdout).toBe('');
  expect(p.stderr).toMatch(/^error: /);
});

test('predict with empty standard input says so on stderr and exits 1', () => {
  const r = run(['predict', '--model', path.join(scratch(), 'no-run')], '\n \n');
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe('error: predict: no text to score: standard input had no non-empty line (give texts as arguments, or one per line on standard input)\n');
});
