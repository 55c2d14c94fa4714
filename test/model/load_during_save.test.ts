/**
 * Loads while another process saves: every load succeeds (the saver keeps the
 * weights a load's model.json names until the load ends), and a save flushes
 * each file and the folder to disk before the rename that publishes it.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Sequential, LSTM, fileIO, loadModel, resetNames } from '../../src';
import { scratchDir } from '../helpers/scratch';
import { builtDist } from '../helpers/dist';

/** Node's own fs module (the namespace import above is read-only), for spies the source sees. */
const nodeFs = require('fs') as typeof fs; // eslint-disable-line @typescript-eslint/no-require-imports

const scratch = scratchDir('tfjs-recurrent-load-save-');
const model = (units: number) => {
  resetNames();
  return new Sequential({ layers: [new LSTM({ units, inputShape: [3, 2] })] });
};

test('40 saves in another process against a reader in a loop: no load fails', async () => {
  const dist = builtDist(); // the saver runs the built package: it must be this code
  const dir = path.join(scratch(), 'race');
  await model(2).save(fileIO(dir));
  const saves = 40;
  const script = `
    const r = require(${JSON.stringify(dist)});
    (async () => {
      for (let k = 1; k <= ${saves}; k++) {
        const m = new r.Sequential({ layers: [new r.LSTM({ units: 2 + (k % 7), inputShape: [3, 2] })] });
        await m.save(r.fileIO(${JSON.stringify(dir)}));
        m.dispose();
      }
    })();`;
  // The reader is slow between model.json and the weights it names: the window in which
  // a saver that removes the old weights at once makes the load fail.
  const read = nodeFs.readFileSync;
  const slow = jest.spyOn(nodeFs, 'readFileSync').mockImplementation(((f: fs.PathOrFileDescriptor, o?: unknown) => {
    const data = (read as (f: fs.PathOrFileDescriptor, o?: unknown) => string | Buffer)(f, o);
    if (String(f).endsWith('model.json')) for (const end = Date.now() + 15; Date.now() < end;);
    return data;
  }) as typeof fs.readFileSync);
  const saver = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TFJS_RECURRENT_QUIET: '1' } });
  let stderr = '';
  saver.stderr.on('data', (d: Buffer) => void (stderr += String(d)));
  let done = false;
  const exited = new Promise<number | null>((resolve) => saver.on('exit', (code) => {
    done = true;
    resolve(code);
  }));
  let loads = 0;
  const failures: string[] = [];
  try {
    while (!done) {
      try {
        (await loadModel(dir)).dispose();
        loads++;
      } catch (e) {
        failures.push((e as Error).message);
      }
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    slow.mockRestore();
  }
  expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: '' });
  expect(failures).toEqual([]);
  expect(loads).toBeGreaterThan(saves / 2);
  expect(fs.readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
}, 180000);

test('a save flushes the weights, model.json and the folder to disk before the rename that publishes model.json', async () => {
  const dir = path.join(scratch(), 'fsync');
  await model(2).save(fileIO(dir));
  const events: string[] = [];
  const fds = new Map<number, string>();
  const open = nodeFs.openSync;
  const spies = [
    jest.spyOn(nodeFs, 'openSync').mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
      const fd = (open as (...a: unknown[]) => number)(p, ...rest);
      fds.set(fd, String(p));
      return fd;
    }) as typeof fs.openSync),
    jest.spyOn(nodeFs, 'fsyncSync').mockImplementation((fd: number) => void events.push(`fsync ${path.relative(dir, fds.get(fd) ?? '?') || '.'}`)),
    jest.spyOn(nodeFs, 'renameSync').mockImplementation(((from: fs.PathLike, to: fs.PathLike) => {
      events.push(`rename ${path.basename(String(to))}`);
      fs.copyFileSync(from, to);
      fs.rmSync(from);
    }) as typeof fs.renameSync),
  ];
  try {
    await model(3).save(fileIO(dir));
  } finally {
    for (const s of spies) s.mockRestore();
  }
  const names = events.map((e) => e.replace(/weights\.[0-9a-f]+\.bin/, 'W').replace(/\.tmp-\d+-[0-9a-f]+/, '.tmp'));
  expect(names).toEqual(['fsync W.tmp', 'rename W', 'fsync model.json.tmp', 'fsync .', 'rename model.json', 'fsync .']);
});
