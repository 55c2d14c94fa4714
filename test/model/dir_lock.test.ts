/**
 * The locks of a model folder: a saver's lock left by a dead process is taken
 * over at once, a live one is waited for; a folder that cannot be written
 * fails at once, naming it; a save keeps the old weights while a load's read
 * mark is there, and ignores the mark of a dead reader.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Sequential, LSTM, fileIO, loadModel, resetNames } from '../../src';
import { LOCK_FILE, READ_MARK_PREFIX, withDirLock, withReadMark } from '../../src/model/dir_lock';
import { scratchDir } from '../helpers/scratch';
import { builtDist } from '../helpers/dist';

/** Node's own fs module (the namespace import above is read-only), for spies the source sees. */
const nodeFs = require('fs') as typeof fs; // eslint-disable-line @typescript-eslint/no-require-imports

const scratch = scratchDir('tfjs-recurrent-lock-');
const fresh = (name: string) => fs.mkdtempSync(path.join(scratch(), `${name}-`));
const predict = (m: tf.LayersModel) => (m.predict(tf.ones([1, 3, 2])) as tf.Tensor).arraySync();
const bins = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).sort();

function model(units: number): Sequential {
  resetNames();
  return new Sequential({ layers: [new LSTM({ units, inputShape: [3, 2] })] });
}

/** The pid of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;
/** A lock or mark as another process of this host writes it. */
const owner = (pid: number) => JSON.stringify({ pid, host: os.hostname(), token: 'a0a0a0a0a0a0a0a0' });

function plantLock(dir: string, pid: number): string {
  const lock = path.join(dir, LOCK_FILE);
  fs.mkdirSync(lock);
  fs.writeFileSync(path.join(lock, 'owner'), owner(pid));
  return lock;
}

test('the fresh lock of a process killed with SIGKILL is taken over at once, without waiting for it to go stale', async () => {
  const dir = fresh('dead');
  plantLock(dir, deadPid());
  const t0 = Date.now();
  expect(await withDirLock(dir, () => 'held')).toBe('held');
  expect(Date.now() - t0).toBeLessThan(1000);
  expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
});

test('the lock of a live process is waited for, and the error names the folder and the holder', async () => {
  const dir = fresh('live');
  plantLock(dir, process.ppid); // alive: jest's parent
  const t0 = Date.now();
  await expect(withDirLock(dir, () => 'held', 'fileIO', 300)).rejects.toThrow(
    new RegExp(`^fileIO: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is locked by process ${process.ppid} on .* for more than 300 ms: another save is running`),
  );
  expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
  expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true); // not ours to remove
});

test('a lock released while waited for is taken', async () => {
  const dir = fresh('released');
  const lock = plantLock(dir, process.ppid);
  setTimeout(() => fs.rmSync(lock, { recursive: true }), 200);
  expect(await withDirLock(dir, () => 'held')).toBe('held');
});

test.each(['EACCES', 'EROFS', 'EPERM'])('%s on the lock fails at once, naming the folder (no retrying for 30 s)', async (code) => {
  const dir = fresh(code);
  const mkdir = fs.mkdirSync;
  const spy = jest.spyOn(nodeFs, 'mkdirSync').mockImplementation(((p: fs.PathLike, o?: fs.MakeDirectoryOptions) => {
    if (String(p).endsWith(LOCK_FILE)) throw Object.assign(new Error(`${code}: injected, mkdir '${String(p)}'`), { code });
    return mkdir(p, o);
  }) as typeof fs.mkdirSync);
  try {
    const t0 = Date.now();
    await expect(model(2).save(fileIO(dir))).rejects.toThrow(`fileIO: cannot save into ${dir}: the folder is not writable (${code} on ${LOCK_FILE})`);
    expect(Date.now() - t0).toBeLessThan(1000);
  } finally {
    spy.mockRestore();
  }
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('a folder that cannot be made is our error naming it', async () => {
  const file = path.join(fresh('notdir'), 'a-file');
  fs.writeFileSync(file, 'x');
  await expect(model(2).save(fileIO(path.join(file, 'sub')))).rejects.toThrow(`fileIO: cannot save into ${path.join(file, 'sub')}: `);
});

test('a save keeps the old weights while a load reads (its read mark), and removes them once it is gone', async () => {
  const dir = fresh('reader');
  await model(2).save(fileIO(dir));
  const old = bins(dir);
  const mark = path.join(dir, `${READ_MARK_PREFIX}${process.ppid}-0123`);
  fs.writeFileSync(mark, owner(process.ppid)); // a reader in another process, alive
  const m = model(3);
  let done = false;
  const saving = m.save(fileIO(dir)).then(() => (done = true));
  const named = () => JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths[0];
  for (let t = 0; t < 200 && old.includes(named()); t++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 300));
  expect(done).toBe(false); // the new model.json is in place, but the save waits for the reader
  expect(bins(dir)).toEqual(expect.arrayContaining(old));
  expect((await loadModel(dir)).layers[0].getWeights()[0].shape).toEqual([2, 12]); // the new one
  fs.rmSync(mark);
  await saving;
  expect(bins(dir)).toHaveLength(1);
  expect(bins(dir)).not.toEqual(old);
});

test("a dead reader's mark is removed by the next save, which does not wait for it", async () => {
  const dir = fresh('dead-reader');
  await model(2).save(fileIO(dir));
  const mark = path.join(dir, `${READ_MARK_PREFIX}1-4567`);
  fs.writeFileSync(mark, owner(deadPid()));
  const t0 = Date.now();
  await model(3).save(fileIO(dir));
  expect(Date.now() - t0).toBeLessThan(2000);
  expect(fs.readdirSync(dir).sort()).toEqual(['model.json', ...bins(dir)].sort());
});

test('a load leaves no mark behind, and a folder where no mark can be written is read without one', async () => {
  const dir = fresh('marks');
  const m = model(2);
  await m.save(fileIO(dir));
  expect(withReadMark(dir, () => fs.readdirSync(dir).filter((f) => f.startsWith(READ_MARK_PREFIX)))).toHaveLength(1);
  await loadModel(dir);
  expect(fs.readdirSync(dir).filter((f) => f.startsWith(READ_MARK_PREFIX))).toEqual([]);
  const write = fs.writeFileSync;
  const spy = jest.spyOn(nodeFs, 'writeFileSync').mockImplementation(((f: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (String(f).includes(READ_MARK_PREFIX)) throw Object.assign(new Error('EROFS: injected'), { code: 'EROFS' });
    return (write as (...a: unknown[]) => void)(f, ...rest);
  }) as typeof fs.writeFileSync);
  try {
    const back = await loadModel(dir);
    expect((back.predict(tf.ones([1, 3, 2])) as tf.Tensor).arraySync()).toEqual((m.predict(tf.ones([1, 3, 2])) as tf.Tensor).arraySync());
  } finally {
    spy.mockRestore();
  }
});

test('a save whose lock was taken over while it stalled replaces nothing and leaves no file behind', async () => {
  const dir = fresh('taken');
  const m = model(2);
  await m.save(fileIO(dir));
  const files = fs.readdirSync(dir).sort();
  const stalled = (file: string, data: string | Uint8Array) => {
    fs.writeFileSync(file, data);
    if (file.includes('model.json.tmp')) fs.writeFileSync(path.join(dir, LOCK_FILE, 'owner'), owner(process.ppid)); // another saver took it
  };
  await expect(model(3).save(fileIO(dir, { writeFile: stalled }))).rejects.toThrow(
    `fileIO: the save lock of ${dir} was taken over by another save (this one stalled for more than 10000 ms); nothing was replaced`,
  );
  fs.rmSync(path.join(dir, LOCK_FILE), { recursive: true }); // the other saver's, as it would release it
  expect(fs.readdirSync(dir).sort()).toEqual(files);
  expect(predict(await loadModel(dir))).toEqual(predict(m));
});

test('a folder this user cannot write fails at once, naming it (a real EACCES)', async () => {
  const dir = fresh('readonly');
  await model(2).save(fileIO(dir));
  const before = fs.readdirSync(dir).sort();
  const t0 = Date.now();
  let message: string;
  if (process.getuid?.() === 0) {
    // root writes anywhere: save as an unprivileged user instead, through the built package
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.dirname(dir), 0o755); // made 0700 by mkdtemp
    const script = `
      const r = require(${JSON.stringify(builtDist())});
      const m = new r.Sequential({ layers: [new r.LSTM({ units: 3, inputShape: [3, 2] })] });
      m.save(r.fileIO(${JSON.stringify(dir)})).then(() => process.stdout.write('saved'), (e) => process.stdout.write(e.message));`;
    const t1 = Date.now();
    const r = spawnSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8', env: { ...process.env, TFJS_RECURRENT_QUIET: '1' } });
    expect(Date.now() - t1).toBeLessThan(10000); // node's start and the package's load included
    message = r.stdout;
  } else {
    fs.chmodSync(dir, 0o555);
    try {
      message = await model(3).save(fileIO(dir)).then(() => 'saved', (e: Error) => e.message);
    } finally {
      fs.chmodSync(dir, 0o755);
    }
    expect(Date.now() - t0).toBeLessThan(1000);
  }
  expect(message).toBe(`fileIO: cannot save into ${dir}: the folder is not writable (EACCES on ${LOCK_FILE})`);
  expect(fs.readdirSync(dir).sort()).toEqual(before);
}, 180000);

test("a Worker thread's lock and read mark are another holder's, not a dead one's: the same pid does not make them stale", async () => {
  const dir = fresh('threads');
  await model(2).save(fileIO(dir));
  const { Worker } = require('worker_threads') as typeof import('worker_threads'); // eslint-disable-line @typescript-eslint/no-require-imports
  const dist = builtDist();
  // A Worker (threadId ≥ 1, this pid) holds the save lock for 1.5 s, then reports; meanwhile a save here must wait for it.
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const lock = require(${JSON.stringify(path.join(dist, 'model', 'dir_lock.js'))});
    lock.withDirLock(workerData.dir, async (held) => {
      parentPort.postMessage('held');
      await new Promise((r) => setTimeout(r, 1500));
      held.assertHeld(); // still its own: not taken over by the other thread's save
      parentPort.postMessage('released');
    }, 'worker').catch((e) => parentPort.postMessage('error: ' + e.message));`;
  const worker = new Worker(code, { eval: true, workerData: { dir } });
  const said: string[] = [];
  worker.on('message', (m: string) => said.push(m));
  const heard = async (what: string) => {
    while (!said.includes(what) && !said.some((m) => m.startsWith('error'))) await new Promise((r) => setTimeout(r, 20));
  };
  await heard('held');
  const t0 = Date.now();
  await model(3).save(fileIO(dir));
  expect(Date.now() - t0).toBeGreaterThan(1000); // it waited for the Worker's lock
  await heard('released');
  expect(said).toEqual(['held', 'released']);
  await worker.terminate();
  // A read mark written by a Worker thread of this process is live: a save here keeps the weights it reads.
  const mark = path.join(dir, `.tfjs-recurrent-read-${process.pid}-worker`);
  fs.writeFileSync(mark, JSON.stringify({ pid: process.pid, thread: 7, host: os.hostname(), token: 'b1b1b1b1b1b1b1b1' }));
  const old = bins(dir);
  const saving = model(4).save(fileIO(dir));
  await new Promise((r) => setTimeout(r, 300));
  expect(bins(dir)).toEqual(expect.arrayContaining(old)); // the old weights stay while the mark is there
  fs.rmSync(mark);
  await saving;
  expect(bins(dir).some((b) => old.includes(b))).toBe(false);
}, 60000);
