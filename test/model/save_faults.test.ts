/**
 * Saving never loses the model: saves in a row, concurrent savers (in one
 * process and in two), a saver killed with SIGKILL at any moment, and the
 * leftovers of killed saves, which the next save removes.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Sequential, LSTM, Dense, fileIO, loadModel, resetNames } from '../../src';
import { LOCK_FILE } from '../../src/model/dir_lock';
import { scratchDir } from '../helpers/scratch';
import { onEachBackend } from '../helpers/backends';
import { builtDist } from '../helpers/dist';

const scratch = scratchDir('tfjs-recurrent-save-');
const ROOT = path.resolve(__dirname, '..', '..');

function model(units: number): Sequential {
  resetNames();
  return new Sequential({ layers: [new LSTM({ units, inputShape: [3, 2] }), new Dense({ units: 1 })] });
}
const x = () => tf.ones([1, 3, 2]);
const predict = (m: tf.LayersModel) => (m.predict(x()) as tf.Tensor).arraySync();
const bins = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.bin'));

onEachBackend(() => {
  test('two awaited saves in a row to one folder leave the second model, loadable, with one weights file', async () => {
    const dir = fs.mkdtempSync(path.join(scratch(), 'row-'));
    const [a, b] = [model(3), model(4)];
    await a.save(fileIO(dir));
    await b.save(fileIO(dir));
    expect(bins(dir)).toHaveLength(1);
    expect(predict(await loadModel(dir))).toEqual(predict(b));
  });

  test('concurrent saves in one process leave one consistent model (one of them), and no lock behind', async () => {
    const dir = fs.mkdtempSync(path.join(scratch(), 'concurrent-'));
    const models = [2, 3, 4, 5, 6].map(model);
    await Promise.all(models.map((m) => m.save(fileIO(dir))));
    expect(bins(dir)).toHaveLength(1);
    const back = await loadModel(dir);
    const units = (back.layers[0] as LSTM).units;
    expect(predict(back)).toEqual(predict(models.find((m) => (m.layers[0] as LSTM).units === units)!));
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  test('the next save removes the temporaries and orphaned weights of killed saves, and a stale lock', async () => {
    const dir = fs.mkdtempSync(path.join(scratch(), 'leftovers-'));
    await model(3).save(fileIO(dir));
    const junk = ['weights.0123456789abcdef.bin', 'weights.0123456789abcdef.bin.tmp-99999-00aa', 'model.json.tmp-99999-11bb'];
    for (const f of junk) fs.writeFileSync(path.join(dir, f), 'x'.repeat(1000));
    const lock = path.join(dir, LOCK_FILE); // as a killed saver leaves it: a lock not refreshed for a minute
    fs.mkdirSync(lock);
    fs.utimesSync(lock, new Date(Date.now() - 60000), new Date(Date.now() - 60000));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const m = model(4);
    await m.save(fileIO(dir));
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'notes.txt', ...bins(dir)].sort());
    expect(bins(dir)).toHaveLength(1);
    expect(predict(await loadModel(dir))).toEqual(predict(m));
  });

  test('weights named by any file of the folder are kept: a model file without .json, ./ paths, a BOM', async () => {
    const dir = fs.mkdtempSync(path.join(scratch(), 'names-'));
    const [a, b, c] = [model(3), model(4), model(5)];
    await a.save(fileIO(dir, { modelFile: 'mymodel' }));
    await b.save(fileIO(dir, { modelFile: 'B.JSON' }));
    const bj = path.join(dir, 'B.JSON');
    const j = JSON.parse(fs.readFileSync(bj, 'utf8'));
    j.weightsManifest[0].paths = j.weightsManifest[0].paths.map((p: string) => `./${p}`);
    fs.writeFileSync(bj, '\uFEFF' + JSON.stringify(j));
    await c.save(fileIO(dir));
    expect(predict(await loadModel(path.join(dir, 'mymodel')))).toEqual(predict(a));
    expect(predict(await loadModel(dir))).toEqual(predict(c));
    expect(bins(dir)).toHaveLength(3);
    expect(() => fileIO(dir, { modelFile: 'sub/m.json' })).toThrow(/fileIO: modelFile must be a file name in the folder \(such as 'model\.json'\), got "sub\/m\.json"/);
  });

  test("weights named by another model JSON in the folder are kept (two models side by side)", async () => {
    const dir = fs.mkdtempSync(path.join(scratch(), 'two-'));
    const [a, b] = [model(3), model(4)];
    await a.save(fileIO(dir, { modelFile: 'a.json' }));
    await b.save(fileIO(dir, { modelFile: 'b.json' }));
    expect(predict(await loadModel(path.join(dir, 'a.json')))).toEqual(predict(a));
    expect(predict(await loadModel(path.join(dir, 'b.json')))).toEqual(predict(b));
  });

});

/** A child process that saves models of growing size into `dir` in a loop until killed. */
function saver(dir: string): ReturnType<typeof spawn> {
  const script = `
    const r = require(${JSON.stringify(path.join(ROOT, 'dist'))});
    r.setVerbose(false);
    (async () => {
      for (let k = 1; ; k++) {
        const m = new r.Sequential({ layers: [new r.LSTM({ units: 8 + (k % 5) * 60, inputShape: [3, 2] })] });
        await m.save(r.fileIO(${JSON.stringify(dir)}));
        m.dispose();
        process.stdout.write('saved ' + k + '\\n');
      }
    })();`;
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
}

test('savers in two processes, each killed with SIGKILL mid-loop, leave a loadable model; the next save cleans up', async () => {
  builtDist(); // the savers run the built package: it must be this code
  const dir = path.join(scratch(), 'killed');
  await model(3).save(fileIO(dir));
  for (let round = 0; round < 3; round++) {
    const kids = [saver(dir), saver(dir)];
    // Let each save a few times, then kill both at an arbitrary moment.
    await Promise.all(kids.map((k) => new Promise<void>((resolve) => {
      let n = 0;
      k.stdout!.on('data', (d: Buffer) => { n += String(d).split('\n').filter(Boolean).length; if (n >= 2 + round) resolve(); });
    })));
    await new Promise((r) => setTimeout(r, 7 * round));
    for (const k of kids) k.kill('SIGKILL');
    await Promise.all(kids.map((k) => new Promise((r) => k.once('exit', r))));
    const back = await loadModel(dir); // whichever save completed last
    expect((back.predict(x()) as tf.Tensor).shape).toEqual([1, (back.layers[0] as LSTM).units]);
  }
  const m = model(5);
  await m.save(fileIO(dir));
  expect(fs.readdirSync(dir).sort()).toEqual(['model.json', ...bins(dir)].sort());
  expect(predict(await loadModel(dir))).toEqual(predict(m));
}, 180000);
