/**
 * All the callbacks at once, in fit and in fitDataset: no tensor is left
 * behind (restoreBestWeights' copies, the logs read, the checkpoints' saves,
 * the rate changes), and nothing is written to stdout or stderr with verbose 0.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Sequential, GRU, Dense, CSVLogger, EarlyStopping, LearningRateScheduler, ModelCheckpoint, ReduceLROnPlateau, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

onEachBackend(() => {
  test('fit and fitDataset with every callback leave tf.memory() as they found it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-mem-'));
    resetNames();
    const m = new Sequential({ layers: [new GRU({ units: 3, inputShape: [4, 2] }), new Dense({ units: 1, activation: 'sigmoid' })] });
    m.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const [x, y] = [tf.randomNormal([8, 4, 2], 0, 1, 'float32', 31), tf.tensor2d([1, 0, 1, 0, 1, 1, 0, 0], [8, 1])];
    const ds = tf.data.zip({ xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y)) }).batch(4);
    const callbacks = () => [
      new LearningRateScheduler((epoch, lr) => lr * 0.9),
      new ReduceLROnPlateau({ monitor: 'loss', patience: 1 }),
      new EarlyStopping({ monitor: 'loss', patience: 1, restoreBestWeights: true }),
      new ModelCheckpoint(path.join(dir, 'ckpt-{epoch}'), { saveFreq: 1 }),
      new CSVLogger(path.join(dir, 'log.csv')),
    ];
    await m.fit(x, y, { epochs: 1, verbose: 0 }); // the optimizer's slots exist before the count
    const out = jest.spyOn(process.stdout, 'write');
    const err = jest.spyOn(process.stderr, 'write');
    const before = tf.memory().numTensors;
    await m.fit(x, y, { epochs: 4, batchSize: 4, verbose: 0, validationData: [x, y], callbacks: callbacks() });
    expect(tf.memory().numTensors).toBe(before);
    await m.fitDataset(ds as tf.data.Dataset<tf.TensorContainer>, { epochs: 3, verbose: 0, callbacks: callbacks() });
    expect(tf.memory().numTensors).toBe(before);
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    out.mockRestore();
    err.mockRestore();
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('ckpt-')).length).toBeGreaterThan(0);
    tf.dispose([x, y]);
    m.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
