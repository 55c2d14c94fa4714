/**
 * The exporters' files: saveOnnx and saveKeras replace a file of their own
 * format, refuse any other existing file unless asked (Keras's `overwrite`),
 * and write atomically; the ONNX file names the package's version.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Sequential, LSTM, Dense, saveOnnx, saveKeras, resetNames, RecurrentConfigError } from '../../src';
import { decodeOnnx } from '../../src/interop/onnx/proto';
import { scratchDir } from '../helpers/scratch';

const scratch = scratchDir('tfjs-recurrent-export-files-');
const model = () => {
  resetNames();
  return new Sequential({ layers: [new LSTM({ units: 2, inputShape: [3, 2] }), new Dense({ units: 1 })] });
};
const version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;

describe.each([
  ['saveOnnx', 'model.onnx', 'model.json', async (m: tf.LayersModel, f: string, o?: { overwrite?: boolean }) => saveOnnx(m, f, o)],
  ['saveKeras', 'model.keras', 'results.keras', async (m: tf.LayersModel, f: string, o?: { overwrite?: boolean }) => saveKeras(m, f, o)],
] as const)('%s', (who, name, other, save) => {
  test('replaces its own file, refuses another (a model.json, a CSV) unless overwrite: true, and overwrite: false refuses any', async () => {
    const dir = fs.mkdtempSync(path.join(scratch(), `${who}-`));
    const file = path.join(dir, name);
    await save(model(), file);
    const first = fs.readFileSync(file);
    await save(model(), file); // the same format: replaced
    expect(fs.readdirSync(dir)).toEqual([name]); // no temporary left
    const json = path.join(dir, other); // a file of ours that is no such export
    fs.writeFileSync(json, '{"modelTopology": {}, "weightsManifest": []}');
    await expect(save(model(), json)).rejects.toThrow(RecurrentConfigError);
    await expect(save(model(), json)).rejects.toThrow(new RegExp(`^${who}: ${json.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} exists and is not an? [^;]+; refused to replace it: write to another path, or pass \\{ overwrite: true \\}`));
    expect(fs.readFileSync(json, 'utf8')).toBe('{"modelTopology": {}, "weightsManifest": []}');
    await expect(save(model(), file, { overwrite: false })).rejects.toThrow(`${who}: ${file} exists and overwrite is false; refused to replace it`);
    await save(model(), json, { overwrite: true });
    expect(fs.readFileSync(json).subarray(0, 2)).toEqual(first.subarray(0, 2));
    await expect(save(model(), dir)).rejects.toThrow(who === 'saveKeras' ? /file must be a path ending in \.keras/ : /cannot write .*: it is a folder/);
  });
});

test('the ONNX file names this package and its version as its producer', () => {
  const file = path.join(scratch(), 'producer.onnx');
  saveOnnx(model(), file);
  const proto = decodeOnnx(fs.readFileSync(file)) as { producer_name: string; producer_version: string };
  expect(proto.producer_name).toBe('tfjs-recurrent');
  expect(proto.producer_version).toBe(version);
});
