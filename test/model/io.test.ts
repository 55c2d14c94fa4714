/**
 * Saving to files in Node on every backend: round trip, a failed save leaves
 * the previous model loadable, corrupted files are rejected with the file named.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Sequential, Embedding, GRU, Dense, fileIO, loadModel, RecurrentInputError, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

function model(units: number): Sequential {
  return new Sequential({ layers: [new Embedding({ inputDim: 20, outputDim: 4, maskZero: true }), new GRU({ units }), new Dense({ units: 1 })] });
}
const x = () => tf.tensor2d([[0, 3, 4], [5, 6, 7]], [2, 3], 'int32');

onEachBackend(() => {
  let dir: string;
  beforeEach(() => {
    resetNames();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-recurrent-io-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('save to a folder and load back: same predictions, via fileIO and via file:// URLs', async () => {
    const m = model(3);
    await m.save(fileIO(dir));
    expect(fs.readdirSync(dir).sort()).toEqual([expect.stringMatching(/^model\.json$/), expect.stringMatching(/^weights\..+\.bin$/)].sort());
    const a = await loadModel(dir);
    expect((a.predict(x()) as tf.Tensor).arraySync()).toEqual((m.predict(x()) as tf.Tensor).arraySync());
    await m.save(`file://${dir}/b`);
    const b = await tf.loadLayersModel(`file://${dir}/b`);
    expect((b.predict(x()) as tf.Tensor).arraySync()).toEqual((m.predict(x()) as tf.Tensor).arraySync());
  });

  test('saving again replaces the weights file and removes the old one', async () => {
    await model(3).save(fileIO(dir));
    await new Promise((r) => setTimeout(r, 5));
    await model(5).save(fileIO(dir));
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    const back = await loadModel(dir);
    expect(back.layers[1].getWeights()[1].shape).toEqual([5, 15]);
  });

  test.each(['weights', 'model.json'])('a save that fails while writing %s leaves the previous model intact', async (which) => {
    const good = model(3);
    await good.save(fileIO(dir));
    const before = (good.predict(x()) as tf.Tensor).arraySync();
    const files = fs.readdirSync(dir).sort();
    const failing = (file: string, data: string | Uint8Array) => {
      if (file.includes(which === 'weights' ? '.bin.tmp' : 'model.json.tmp')) {
        fs.writeFileSync(file, typeof data === 'string' ? data.slice(0, 10) : data.subarray(0, 10)); // a partial write...
        throw new Error('disk full (injected)'); // ...then the failure
      }
      fs.writeFileSync(file, data);
    };
    await expect(model(5).save(fileIO(dir, { writeFile: failing }))).rejects.toThrow('disk full (injected)');
    expect(fs.readdirSync(dir).sort()).toEqual(files);
    const back = await loadModel(dir);
    expect((back.predict(x()) as tf.Tensor).arraySync()).toEqual(before);
  });

  test('a truncated weights file or a corrupted model.json is a clear error naming the file', async () => {
    await model(3).save(fileIO(dir));
    const bin = fs.readdirSync(dir).find((f) => f.endsWith('.bin'))!;
    const full = fs.readFileSync(path.join(dir, bin));
    fs.writeFileSync(path.join(dir, bin), full.subarray(0, full.length - 8));
    await expect(loadModel(dir)).rejects.toThrow(new RegExp(`model\\.json: dense/kernel: manifest declares \\[3, 1\\] float32 = 12 bytes from byte ${full.length - 16}, but ${bin.replace(/\./g, '\\.')} hold\\(s\\) ${full.length - 8} bytes: truncated`));
    fs.writeFileSync(path.join(dir, 'model.json'), '{"modelTopology": {');
    await expect(loadModel(dir)).rejects.toThrow(RecurrentInputError);
    await expect(loadModel(dir)).rejects.toThrow(/model\.json is not valid JSON/);
    await expect(loadModel(path.join(dir, 'nowhere'))).rejects.toThrow(/^loadModel: no model\.json in /);
  });
});
