/**
 * What a save may replace: a model saved before, yes; a file that is no model
 * (a CSV, a note) only when asked with `overwrite: true`, as Keras's
 * `model.save(path, overwrite=...)`; and a model.json starting with a BOM
 * loads, with no invisible character in any message about it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Sequential, LSTM, fileIO, loadModel, resetNames, RecurrentInputError } from '../../src';
import { visible } from '../../src/model/untrusted';
import { scratchDir } from '../helpers/scratch';

const scratch = scratchDir('tfjs-recurrent-overwrite-');
const fresh = (name: string) => fs.mkdtempSync(path.join(scratch(), `${name}-`));
const model = (units: number) => {
  resetNames();
  return new Sequential({ layers: [new LSTM({ units, inputShape: [3, 2] })] });
};
const predict = (m: tf.LayersModel) => (m.predict(tf.ones([1, 3, 2])) as tf.Tensor).arraySync();
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00A0\u200B-\u200F\u2028-\u202F\u2060-\u206F\uFEFF]/;

test("model.save('file://results.csv') onto a CSV is refused, naming the file; nothing is written", async () => {
  const dir = fresh('csv');
  const csv = path.join(dir, 'results.csv');
  fs.writeFileSync(csv, 'epoch,loss\n1,0.5\n');
  const save = model(2).save(`file://${csv}`);
  await expect(save).rejects.toThrow(RecurrentInputError);
  await expect(model(2).save(`file://${csv}`)).rejects.toThrow(
    `fileIO: ${csv} exists and is not a saved model (expected a model JSON with a weightsManifest, found a 17-byte file with no weightsManifest); refused to replace it`,
  );
  expect(fs.readFileSync(csv, 'utf8')).toBe('epoch,loss\n1,0.5\n');
  expect(fs.readdirSync(dir)).toEqual(['results.csv']);
});

test('a JSON file that is not valid, or no model, is refused the same way', async () => {
  const dir = fresh('json');
  fs.writeFileSync(path.join(dir, 'model.json'), '{"weightsManifest": [');
  await expect(model(2).save(fileIO(dir))).rejects.toThrow(/found a file that is not valid JSON\); refused/);
  fs.writeFileSync(path.join(dir, 'model.json'), '{"notes": "mine"}');
  await expect(model(2).save(fileIO(dir))).rejects.toThrow(/found a 17-byte file with no weightsManifest\); refused/);
  expect(fs.readdirSync(dir)).toEqual(['model.json']);
});

test('overwrite: true replaces such a file with the model; overwrite: false refuses even a model', async () => {
  const dir = fresh('asked');
  const csv = path.join(dir, 'results.csv');
  fs.writeFileSync(csv, 'epoch,loss\n');
  const m = model(3);
  await m.save(fileIO(csv, { overwrite: true }));
  expect(predict(await loadModel(csv))).toEqual(predict(m));
  await expect(model(4).save(fileIO(csv, { overwrite: false }))).rejects.toThrow(`fileIO: ${csv} exists and overwrite is false; refused to replace it`);
  expect(predict(await loadModel(csv))).toEqual(predict(m));
  await model(5).save(fileIO(path.join(dir, 'new.json'), { overwrite: false })); // nothing there: saved
});

test('by default a model saved before is replaced, as Keras does', async () => {
  const dir = fresh('model');
  await model(2).save(fileIO(dir));
  const m = model(3);
  await m.save(`file://${dir}`);
  expect(predict(await loadModel(dir))).toEqual(predict(m));
});

test('a folder at the model JSON path is refused', async () => {
  const dir = fresh('folder');
  fs.mkdirSync(path.join(dir, 'model.json'));
  await expect(model(2).save(fileIO(dir, { modelFile: 'model.json' }))).rejects.toThrow(`fileIO: cannot save the model JSON to ${path.join(dir, 'model.json')}: it is a folder`);
});

test('a model.json that starts with a UTF-8 BOM loads', async () => {
  const dir = fresh('bom');
  const m = model(3);
  await m.save(fileIO(dir));
  const file = path.join(dir, 'model.json');
  fs.writeFileSync(file, '\uFEFF' + fs.readFileSync(file, 'utf8'));
  expect(predict(await loadModel(dir))).toEqual(predict(m));
  expect(predict(await tf.loadLayersModel(`file://${file}`))).toEqual(predict(m));
});

test('a broken model.json with a BOM or a zero-width space: the message shows them as \\uXXXX', async () => {
  const dir = fresh('bad-bom');
  const file = path.join(dir, 'model.json');
  // Node quotes the offending text for the first and the last (the BOM after the one stripped, a no-break space).
  for (const [text, shown] of [['\uFEFF\uFEFF{"a": 1}', '\\uFEFF'], ['{"modelTopology"\u200B: {}}', ''], ['\u00A0{', '\\u00A0']]) {
    fs.writeFileSync(file, text);
    const e = await loadModel(dir).then(() => null, (err: Error) => err);
    expect(e).toBeInstanceOf(RecurrentInputError);
    expect(e!.message).toMatch(/^loadModel: .*model\.json is not valid JSON \(/);
    expect(e!.message).not.toMatch(INVISIBLE);
    expect(e!.message).toContain(shown);
  }
});

test('visible() writes invisible characters as \\uXXXX and keeps the rest', () => {
  expect(visible('a\uFEFFb\u200Bc\td é 😀')).toBe('a\\uFEFFb\\u200Bc\\u0009d é 😀');
});
