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
import { withActivityLosses } from '../../src/layers/penalties';
import { modelPenalties } from '../../src/training/penalties';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cases } = require('../reference/keras_export_cases.js') as {
  cases: (l: typeof lib, demo: { buildClassifier: typeof buildClassifier; DEFAULTS: typeof DEFAULTS }) => Array<{ name: string; build: () => tf.LayersModel; input: unknown; inputDtype: 'int32' | 'float32'; penalties?: boolean }>;
};

interface Expected {
  name: string;
  output: number[][];
  classes: string[];
  weights: string[];
  /** A case with regularizers and constraints: each one Keras's loaded layers hold, and Keras's sum(model.losses) on the input. */
  penalties?: Record<string, { class_name: string; config: Record<string, unknown> }>;
  losses?: number;
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

  type KerasPenalty = { class_name: string; config: Record<string, unknown> };
  /** 'outer/inner.key Class {config}', the layer names without Keras's _N counters, the numbers as float32 (Keras writes L1's so). */
  function canon(at: string, key: string, p: KerasPenalty): string {
    const f32 = (v: unknown): unknown => (typeof v === 'number' ? Math.fround(v) : Array.isArray(v) ? v.map(f32) : v);
    const bare = at.split('/').map((n) => n.replace(/_\d+(?=$|_values$)/, '')).join('/');
    return `${bare}.${key} ${p.class_name} ${JSON.stringify(Object.fromEntries(Object.entries(p.config).map(([k, v]) => [k, f32(v)])))}`;
  }

  /** Every regularizer and constraint of the layers of a Keras config, with the layers inside them (as make_keras_export.py walks Keras's). */
  function penaltyList(layers: Array<{ class_name: string; config: Record<string, unknown> }>, prefix = ''): string[] {
    return layers.flatMap(({ class_name: cls, config }) => {
      const at = `${prefix}${String(config.name)}`;
      const own = Object.entries(config).filter(([k, v]) => (k.endsWith('_regularizer') || k.endsWith('_constraint')) && v != null).map(([k, v]) => canon(at, k, v as KerasPenalty));
      const cell = config.cell as { class_name: string; config: { cells?: unknown[] } } | undefined;
      const inner = cls === 'Bidirectional' ? [config.layer, config.backward_layer] : cls === 'TimeDistributed' ? [config.layer] : cls === 'RNN' ? (cell!.config.cells ?? [cell]) : [];
      return [...own, ...penaltyList(inner.filter((l) => l != null) as typeof layers, `${at}/`)];
    });
  }

  test.each(cases(lib, { buildClassifier, DEFAULTS }).filter((c) => c.penalties).map((c) => [c.name, c] as const))(
    '%s: Keras 3 finds every regularizer and constraint we wrote, and its penalties on the input equal ours',
    async (name, c) => {
      const expected = EXPECTED.find((e) => e.name === name)!;
      const model = c.build();
      const file = path.join(dir(), `${name}.keras`);
      await saveKeras(model, file);
      const config = JSON.parse(strFromU8(unzipSync(fs.readFileSync(file))['config.json']));
      const keras = Object.entries(expected.penalties!).map(([k, v]) => canon(k.slice(0, k.lastIndexOf('.')), k.slice(k.lastIndexOf('.') + 1), v));
      expect(keras.length).toBeGreaterThan(7);
      expect(penaltyList(config.config.layers).sort()).toEqual(keras.sort());
      const x = tf.tensor(c.input as number[], undefined, c.inputDtype);
      const inner = (model as unknown as { model?: tf.LayersModel }).model ?? model; // a Sequential's penalties are its inner model's
      const ours = withActivityLosses(() => {
        tf.dispose(model.predict(x) as tf.Tensor);
        const ps = modelPenalties(inner);
        const sum = tf.tidy(() => tf.addN(ps).dataSync()[0]);
        tf.dispose(ps);
        return sum;
      });
      expect(Math.abs(ours - expected.losses!)).toBeLessThan(1e-5 * Math.abs(expected.losses!));
      tf.dispose(x);
      model.dispose();
    },
  );

  test('a regularizer or constraint Keras does not know is an error naming the layer and the option', async () => {
    class Cube extends lib.Regularizer {
      static className = 'CubeForExport';
      apply(x: tf.Tensor): tf.Scalar {
        return tf.tidy(() => tf.sum(tf.pow(tf.abs(x), 3))) as tf.Scalar;
      }
      getConfig() {
        return {};
      }
    }
    const model = new Sequential({ layers: [new LSTM({ units: 2, inputShape: [3, 4], name: 'lstm', recurrentRegularizer: new Cube() })] });
    await expect(saveKeras(model, path.join(dir(), 'cube.keras'))).rejects.toThrow(
      /^saveKeras: layer 'lstm' has recurrentRegularizer CubeForExport, which Keras 3 does not know; it writes L1, L2, L1L2$/,
    );
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
