/** loadKerasModel's errors begin with its own name, also those of the file reader it shares with loadModel. */
import * as fs from 'fs';
import * as path from 'path';
import { loadKerasModel, RecurrentInputError } from '../../src';
import { scratchDir } from '../helpers/scratch';

const scratch = scratchDir('tfjs-recurrent-keras-errors-');

test('a model.json that is not JSON', async () => {
  const dir = path.join(scratch(), 'bad-json');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'model.json'), '{"modelTopology": ');
  const e = await loadKerasModel(dir).catch((x: Error) => x);
  expect(e).toBeInstanceOf(RecurrentInputError);
  expect((e as Error).message).toMatch(new RegExp(`^loadKerasModel: ${path.join(dir, 'model.json').replace(/[.\\/]/g, '\\$&')} is not valid JSON`));
});

test('a weight file named in model.json that is missing', async () => {
  const dir = path.join(scratch(), 'no-weights');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({
    modelTopology: { class_name: 'Sequential', config: { layers: [] } },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }],
  }));
  await expect(loadKerasModel(dir)).rejects.toThrow(/^loadKerasModel: weight file .*group1-shard1of1\.bin named in .*model\.json is missing$/);
});

test('a folder without model.json', async () => {
  const dir = path.join(scratch(), 'empty');
  fs.mkdirSync(dir);
  await expect(loadKerasModel(dir)).rejects.toThrow(/^loadKerasModel: /);
});
