/** model.save(url, { overwrite }) as Keras's model.save(path, overwrite=...), on Sequential and Functional. */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Sequential, Functional, LSTM, Dense, loadModel, resetNames, RecurrentConfigError, RecurrentInputError } from '../../src';
import { scratchDir } from '../helpers/scratch';

const scratch = scratchDir('tfjs-recurrent-save-overwrite-');
const predict = (m: tf.LayersModel) => (m.predict(tf.ones([1, 3, 2])) as tf.Tensor).arraySync();

const models: Array<[string, () => Sequential | Functional]> = [
  ['Sequential', () => new Sequential({ layers: [new LSTM({ units: 2, inputShape: [3, 2] })] })],
  ['Functional', () => {
    const input = tf.input({ shape: [3, 2] });
    return new Functional({ inputs: input, outputs: new Dense({ units: 2 }).apply(new LSTM({ units: 3 }).apply(input)) as tf.SymbolicTensor });
  }],
];

test.each(models)('%s: overwrite true replaces a file that is no model, false refuses any, and a bad value or handler is refused', async (_n, make) => {
  resetNames();
  const dir = fs.mkdtempSync(path.join(scratch(), 'm-'));
  const csv = path.join(dir, 'results.csv');
  fs.writeFileSync(csv, 'epoch,loss\n');
  const m = make();
  await expect(m.save(`file://${csv}`)).rejects.toThrow(/refused to replace it: save to another path, or replace it with model\.save\(url, \{ overwrite: true \}\)/);
  await m.save(`file://${csv}`, { overwrite: true });
  expect(predict(await loadModel(csv))).toEqual(predict(m));
  await expect(make().save(`file://${csv}`, { overwrite: false })).rejects.toThrow(RecurrentInputError);
  expect(predict(await loadModel(csv))).toEqual(predict(m));
  await expect(m.save(`file://${csv}`, { overwrite: 'yes' as unknown as boolean })).rejects.toThrow(/^save \(model '.+'\): overwrite must be true or false, got 'yes'/);
  await expect(m.save(tf.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })), { overwrite: true }))
    .rejects.toThrow(RecurrentConfigError);
});
