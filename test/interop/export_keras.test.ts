/**
 * saveKeras: the .keras files of these models, loaded by real Keras 3
 * (fixtures: test/reference/make_keras_export.py), predict our outputs to
 * 1e-5 on masked batches; our model.weights.h5 has the groups, datasets and
 * shapes that Keras's own save of the same model has; config.json names
 * Keras's classes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { unzipSync, strFromU8 } from 'fflate';
import * as lib from '../../src';
import { tf } from '../../src/tf';
import { Dense, EmbeddingBag, Functional, LSTM, Sequential, resetNames, saveKeras } from '../../src';
import { kerasModelConfig } from '../../src/interop/keras/save';
import { onEachBackend } from '../helpers/backends';
import { maxAbsDiff } from '../helpers/close';
import { scratchDir } from '../helpers/scratch';
import { loadH5wasm } from '../../src/interop/keras/weights_h5';
import { buildClassifier } from '../../src/sentiment/model';
import { DEFAULTS } from '../../src/sentiment/options';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cases } = require('../reference/keras_export_cases.js') as {
  cases: (l: typeof lib, demo: { buildClassifier: typeof buildClassifier; DEFAULTS: typeof DEFAULTS }) => Array<{ name: string; build: () => tf.LayersModel; input: unknown; inputDtype: 'int32' | 'float32' }>;
};

interface Expected {
  name: string;
  output: number[][];
  classes: string[];
  weights: string[];
}
const EXPECTED: Expected[] = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'interop', 'keras_export.json'), 'utf8')).cases;

/** 'path shape' of every dataset of an HDF5 file, sorted, read with h5wasm. */
async function h5Layout(bytes: Uint8Array): Promise<string[]> {
  const h5 = await loadH5wasm();
  const { FS } = await h5.ready;
  FS.writeFile('/read.h5', bytes);
  const f = new h5.File('/read.h5', 'r') as unknown as { keys(): string[]; get(k: string): unknown; close(): void };
  const out: string[] = [];
  const walk = (g: { keys(): string[]; get(k: string): unknown }, at: string) => {
    for (const k of g.keys()) {
      const item = g.get(k) as { type: string; shape?: number[]; keys(): string[]; get(k: string): unknown };
      const p = at ? `${at}/${k}` : k;
      if (item.type === 'Dataset') out.push(`${p} ${JSON.stringify(item.shape)}`.replace(/,/g, ', '));
      else walk(item, p);
    }
  };
  walk(f, '');
  f.close();
  FS.unlink('/read.h5');
  return out.sort();
}

onEachBackend(() => {
  const dir = scratchDir('keras-');
  beforeEach(() => resetNames());

  test.each(cases(lib, { buildClassifier, DEFAULTS }).map((c) => [c.name, c] as const))('%s: Keras 3 loads our file and predicts our outputs to 1e-5', async (name, c) => {
    const expected = EXPECTED.find((e) => e.name === name)!;
    const model = c.build();
    const x = tf.tensor(c.input as number[], undefined, c.inputDtype);
    const ours = [model.predict(x)].flat() as tf.Tensor[];
    expect(ours.length).toBe(expected.output.length);
    ours.forEach((y, i) => expect(maxAbsDiff(y.arraySync() as number[], expected.output[i])).toBeLessThan(1e-5));

    const file = path.join(dir(), `${name}.keras`);
    await saveKeras(model, file);
    const zip = unzipSync(fs.readFileSync(file));
    expect(Object.keys(zip).sort()).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);
    expect(await h5Layout(zip['model.weights.h5'])).toEqual(expected.weights);
    const config = JSON.parse(strFromU8(zip['config.json']));
    const classes = (config.config.layers as Array<{ class_name: string }>).map((l) => l.class_name);
    expect(classes.filter((k) => config.class_name === 'Functional' || k !== 'InputLayer')).toEqual(expected.classes);
    tf.dispose([x, ...ours]);
    model.dispose();
  });

  test("the layers written for an EmbeddingBag take names no layer of the model has; the model's keep theirs", () => {
    const x = tf.input({ shape: [4, 3], dtype: 'int32' });
    const e = new EmbeddingBag({ inputDim: 9, outputDim: 2, maskZero: true, name: 'bag' }).apply(x) as tf.SymbolicTensor;
    const y = new Dense({ units: 1, name: 'bag_real' }).apply(new LSTM({ units: 2, name: 'bag_sum' }).apply(e) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const model = new Functional({ inputs: x, outputs: y });
    const names = ((kerasModelConfig(model).config.config as { layers: Array<{ name: string }> }).layers).map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['bag', 'bag_real', 'bag_sum', 'bag_real_1', 'bag_sum_1']));
    model.dispose();
  });

  test.each([
    ['a layer Keras has no counterpart for here', () => {
      const m = new Sequential();
      m.add(tf.layers.flatten({ inputShape: [4, 2], name: 'flatten' }));
      return m;
    }, 'x.keras', /saveKeras: layer 'flatten' \(Flatten\) has no Keras counterpart here; Keras writes Embedding, EmbeddingBag, WordCountLogit, Masking, SimpleRNN/],
    ['an EmbeddingBag whose bags have no fixed size', () => {
      const m = new Sequential();
      m.add(new EmbeddingBag({ inputDim: 9, outputDim: 3, inputShape: [4, null] }));
      return m;
    }, 'x.keras', /saveKeras: EmbeddingBag 'embedding_bag' has bags of no fixed size \(input shape \[null,4,null\]\); Keras's form of it needs one: give the layer an inputShape \[time, bag\]/],
    ['a name without .keras', () => new Sequential({ layers: [new LSTM({ units: 2, inputShape: [3, 4] })] }), 'model.h5', /saveKeras: file must be a path ending in \.keras \(Keras 3's load_model reads no other name\), got '.*model\.h5'/],
    ['a model that is not built', () => new Sequential(), 'x.keras', /saveKeras: model 'sequential' is not built/],
  ])('%s is a clear error', async (_, make, file, message) => {
    const model = make();
    await expect(saveKeras(model, path.join(dir(), file))).rejects.toThrow(message);
    model.dispose();
  });
});
