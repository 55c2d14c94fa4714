/**
 * Signals keep Node's meaning once the package is loaded: importing it
 * installs no handler, so Ctrl-C ends a busy script at once, by the signal.
 * Only a save holding its lock listens, to remove the lock, and then raises
 * the signal again.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Sequential, LSTM, fileIO } from '../../src';
import { LOCK_FILE, READ_MARK_PREFIX } from '../../src/model/dir_lock';
import { scratchDir } from '../helpers/scratch';
import { builtDist } from '../helpers/dist';

const scratch = scratchDir('tfjs-recurrent-signals-');
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let dist = '';

beforeAll(() => {
  dist = builtDist(); // the children run the built package: it must be this code
}, 180000);

/** Runs `script` in a child node; sends `signal` when `ready(stdout)` holds; resolves with how it ended. */
function runAndSignal(script: string, signal: NodeJS.Signals, ready: (out: string) => boolean, cwd?: string) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string; ms: number }>((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { cwd, env: { ...process.env, TFJS_RECURRENT_QUIET: '1' } });
    let out = '';
    let err = '';
    let sent = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
      if (sent === 0 && ready(out)) {
        sent = Date.now();
        child.kill(signal);
      }
    });
    child.stderr.on('data', (d: Buffer) => void (err += String(d)));
    child.on('exit', (code, sig) => resolve({ code, signal: sig, out, err, ms: Date.now() - sent }));
  });
}

test('importing the package installs no signal or exit handler', () => {
  const script = `
    const before = ${JSON.stringify(SIGNALS)}.map((s) => process.listenerCount(s)).concat(process.listenerCount('exit'));
    require(${JSON.stringify(dist)});
    const after = ${JSON.stringify(SIGNALS)}.map((s) => process.listenerCount(s)).concat(process.listenerCount('exit'));
    process.stdout.write(JSON.stringify({ before, after, signalExit: Object.keys(require.cache).filter((f) => /signal-exit|proper-lockfile/.test(f)) }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, TFJS_RECURRENT_QUIET: '1' } });
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ before: [0, 0, 0, 0], after: [0, 0, 0, 0], signalExit: [] });
});

test.each(['SIGINT', 'SIGTERM'] as const)('%s ends a script that loaded the package and then works synchronously, at once and by the signal', async (signal) => {
  const script = `
    require(${JSON.stringify(dist)});
    process.stdout.write('ready\\n');
    const end = Date.now() + 3000;
    while (Date.now() < end) {} // a long synchronous computation
    process.stdout.write('finished\\n');`;
  const started = Date.now();
  const r = await runAndSignal(script, signal, (out) => out.includes('ready'));
  expect(r.signal).toBe(signal); // not exit 0 after the work
  expect(r.code).toBeNull();
  expect(r.out).not.toContain('finished');
  expect(r.ms).toBeLessThan(1500);
  expect(Date.now() - started).toBeLessThan(10000);
}, 30000);

test('a save listens only while it holds its lock: SIGINT during the save removes the lock and ends the process by SIGINT', async () => {
  const dir = path.join(scratch(), 'saving');
  await new Sequential({ layers: [new LSTM({ units: 2, inputShape: [3, 2] })] }).save(fileIO(dir));
  // A reader in another live process (this one): the child's save waits for it, holding its lock.
  const mark = path.join(dir, `${READ_MARK_PREFIX}${process.pid}-beef`);
  fs.writeFileSync(mark, JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'beefbeefbeefbeef' }));
  const script = `
    const r = require(${JSON.stringify(dist)});
    const fs = require('fs');
    const counts = () => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s)).join(',');
    process.stdout.write('idle ' + counts() + '\\n');
    const m = new r.Sequential({ layers: [new r.LSTM({ units: 3, inputShape: [3, 2] })] });
    m.save(r.fileIO(${JSON.stringify(dir)})).then(() => process.stdout.write('saved\\n'));
    const poll = setInterval(() => {
      if (fs.existsSync(${JSON.stringify(path.join(dir, LOCK_FILE))})) {
        clearInterval(poll);
        process.stdout.write('holding ' + counts() + '\\n');
      }
    }, 5);`;
  const r = await runAndSignal(script, 'SIGINT', (out) => out.includes('holding'));
  fs.rmSync(mark);
  expect(r.out).toMatch(/^idle 0,0,0\nholding 1,1,1\n$/);
  expect(r.signal).toBe('SIGINT');
  expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
}, 60000);

test('after a save, the process has no signal handler of ours left', async () => {
  const dir = path.join(scratch(), 'after');
  const before = SIGNALS.map((s) => process.listenerCount(s));
  await new Sequential({ layers: [new LSTM({ units: 2, inputShape: [3, 2] })] }).save(fileIO(dir));
  await Promise.all([2, 3, 4].map((u) => new Sequential({ layers: [new LSTM({ units: u, inputShape: [3, 2] })] }).save(fileIO(dir))));
  expect(SIGNALS.map((s) => process.listenerCount(s))).toEqual(before);
});
