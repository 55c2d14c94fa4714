/**
 * CSVLogger in real training: Keras's columns and names (`accuracy`, not
 * tfjs's `acc`), the values fit logged, each row on disk when its epoch
 * ends (a fit that fails later leaves them), append, fitDataset, and bad
 * arguments. Keras's bytes on fixed logs are in callbacks_keras.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Sequential, SimpleRNN, Dense, CSVLogger, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function model(): Sequential {
  resetNames();
  const m = new Sequential({ layers: [new SimpleRNN({ units: 3, inputShape: [4, 2] }), new Dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return m;
}

const data = () => [tf.randomNormal([8, 4, 2], 0, 1, 'float32', 21), tf.tensor2d([1, 0, 1, 0, 1, 1, 0, 0], [8, 1])] as const;
const rows = (file: string) => fs.readFileSync(file, 'utf8').split('\r\n').filter((l) => l).map((l) => l.split(','));

onEachBackend(() => {
  test("one row per epoch under Keras's column names, holding the values fit logged", async () => {
    const m = model();
    const [x, y] = data();
    const file = path.join(dir, 'log.csv');
    const h = await m.fit(x, y, { epochs: 3, verbose: 0, validationData: [x, y], callbacks: [new CSVLogger(file)] });
    const [head, ...body] = rows(file);
    expect(head).toEqual(['epoch', 'accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(body.map((r) => r[0])).toEqual(['0', '1', '2']);
    for (const [e, r] of body.entries()) {
      head.slice(1).forEach((k, i) => expect(Number(r[i + 1])).toBe(h.history[k][e]));
    }
    tf.dispose([x, y]);
  });

  test('each row is on disk when its epoch ends: a fit that fails later leaves them', async () => {
    const m = model();
    const [x, y] = data();
    const file = path.join(dir, 'log.csv');
    const onDisk: number[] = [];
    const boom = new tf.CustomCallback({
      onEpochEnd: async (epoch) => {
        onDisk.push(rows(file).length - 1);
        if (epoch === 2) throw new Error('crash in epoch 3');
      },
    });
    await expect(m.fit(x, y, { epochs: 5, verbose: 0, callbacks: [new CSVLogger(file), boom] })).rejects.toThrow('crash in epoch 3');
    expect(onDisk).toEqual([1, 2, 3]);
    expect(rows(file).map((r) => r[0])).toEqual(['epoch', '0', '1', '2']);
    tf.dispose([x, y]);
  });

  test('append adds a second fit under the first header; fitDataset logs the same way', async () => {
    const m = model();
    const [x, y] = data();
    const file = path.join(dir, 'log.csv');
    const log = new CSVLogger(file, { append: true, separator: ';' });
    await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [log] });
    const ds = tf.data.zip({ xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y)) }).batch(4);
    await m.fitDataset(ds as tf.data.Dataset<tf.TensorContainer>, { epochs: 1, verbose: 0, callbacks: [log] });
    const lines = fs.readFileSync(file, 'utf8').split('\r\n');
    expect(lines[0]).toBe('epoch;accuracy;loss;val_accuracy;val_loss');
    expect(lines.slice(1).map((l) => l.split(';')[0])).toEqual(['0', '1', '0', '']);
    expect(lines[1].split(';').slice(3)).toEqual(['NA', 'NA']);
    expect(lines[3]).toMatch(/^0;[0-9.e-]+;[0-9.e-]+;NA;NA$/); // fitDataset logs accuracy and loss under the same names
    tf.dispose([x, y]);
  });
});

test('bad arguments are errors at construction', () => {
  expect(() => new CSVLogger('')).toThrow(/^CSVLogger: filename must be a non-empty path, got ''$/);
  expect(() => new CSVLogger('a.csv', { separator: ', ' })).toThrow(/^CSVLogger: separator must be one character other than a quote or a line break \(as Python's csv needs\), got ', '$/);
  expect(() => new CSVLogger('a.csv', { separator: '"' })).toThrow(/separator must be one character other than a quote/);
  expect(() => new CSVLogger('a.csv', { append: 'yes' } as never)).toThrow(/^CSVLogger: append must be true or false, got 'yes'$/);
  expect(() => new CSVLogger('a.csv', { sep: ';' } as never)).toThrow(/^CSVLogger: unknown option 'sep'; known options: separator, append$/);
});
