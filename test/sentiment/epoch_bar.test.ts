/**
 * Ctrl-C during the sentiment app's progress bar: the terminal is restored
 * (cursor shown, line wrap on) and the process still ends by the signal.
 * Run in a child process, with the bar drawn on a stand-in terminal that
 * copies what it is sent to the child's stdout.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src', 'sentiment', 'epoch_bar.ts');
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const WRAP_OFF = '\x1b[?7l';
const WRAP_ON = '\x1b[?7h';

/** Runs `body` in a child node with epoch_bar.ts (transpiled) as `bar` and a terminal stand-in as `tty`. */
function child(body: string) {
  const js = ts.transpileModule(fs.readFileSync(SRC, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const script = `
    const bar = (() => { const module = { exports: {} }; const exports = module.exports; ${js}; return module.exports; })();
    const fs = require('fs');
    const tty = { isTTY: true, columns: 80, write: (s) => { fs.writeSync(1, s); return true; }, on() {}, removeListener() {} };
    ${body}`;
  return spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20000 });
}

test('SIGINT while the bar is drawn: cursor shown and line wrap on again, then the process ends by SIGINT', () => {
  const r = child(`
    const b = bar.startEpochBar('epoch 1/1 [{bar}] {value}/{total} | loss {loss} | acc {acc}', 10, tty);
    b.update(3, { loss: '0.5', acc: '0.7' });
    process.kill(process.pid, 'SIGINT');
    setTimeout(() => fs.writeSync(1, 'still running'), 2000);`);
  expect(r.signal).toBe('SIGINT');
  expect(r.stdout).not.toContain('still running');
  const hidden = r.stdout.indexOf(HIDE_CURSOR);
  expect(hidden).toBeGreaterThanOrEqual(0);
  expect(r.stdout.indexOf(WRAP_OFF)).toBeGreaterThanOrEqual(0);
  expect(r.stdout.lastIndexOf(SHOW_CURSOR)).toBeGreaterThan(hidden);
  expect(r.stdout.lastIndexOf(WRAP_ON)).toBeGreaterThan(r.stdout.indexOf(WRAP_OFF));
});

test('SIGTERM too; and a stopped bar leaves no listener, so a later SIGINT is the default one', () => {
  const term = child(`
    bar.startEpochBar('{bar} {loss} {acc}', 10, tty);
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => fs.writeSync(1, 'still running'), 2000);`);
  expect(term.signal).toBe('SIGTERM');
  expect(term.stdout).toContain(SHOW_CURSOR);
  expect(term.stdout).not.toContain('still running');

  const after = child(`
    const b = bar.startEpochBar('{bar} {loss} {acc}', 10, tty);
    b.stop();
    fs.writeSync(1, 'listeners ' + process.listenerCount('SIGINT') + ' ' + process.listenerCount('SIGTERM'));`);
  expect(after.status).toBe(0);
  expect(after.stdout).toContain('listeners 0 0');
});

test('a bar that is not drawn (not a terminal) installs no listener', () => {
  const r = child(`
    bar.startEpochBar('{bar} {loss} {acc}', 10, { write: () => true, isTTY: false });
    fs.writeSync(1, 'listeners ' + process.listenerCount('SIGINT'));`);
  expect(r.stdout).toBe('listeners 0');
});
