/**
 * Where a model is named: a folder, its model.json, or either as a file://
 * URL with an absolute or relative path; loadModel, tf.loadLayersModel,
 * loadKerasModel and the summary command take the same forms, and one
 * handler answers file:// whether or not tfjs-node registered its own.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../src/tf';
import {
  Sequential, Functional, Embedding, EmbeddingBag, SimpleRNN, LSTM, GRU, Bidirectional, Dense, Dropout,
  GlobalMaxPooling1D, GlobalAveragePooling1D, Masking, TimeDistributed, fileIO, loadModel, loadKerasModel, resetNames, printSummary,
  RNN, SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells,
} from '../../src';
import { NS } from '../../src/layers/base';
import { WordCountLogit } from '../../src/sentiment/wide';
import { main } from '../../src/cli/main';
import { onEachBackend, canLoad } from '../helpers/backends';
import { scratchDir } from '../helpers/scratch';

const scratch = scratchDir('tfjs-recurrent-forms-');
const predict = (m: tf.LayersModel, x: tf.Tensor) => (m.predict(x) as tf.Tensor).arraySync();

function small(): Sequential {
  return new Sequential({ layers: [new Embedding({ inputDim: 20, outputDim: 4, maskZero: true }), new GRU({ units: 3 }), new Dense({ units: 1 })] });
}
const ids = () => tf.tensor2d([[0, 3, 4], [5, 6, 7]], [2, 3], 'int32');

/** The ways a user may name the folder `dir`. */
const FORMS: Record<string, (dir: string) => string> = {
  'a folder': (dir) => dir,
  'its model.json': (dir) => path.join(dir, 'model.json'),
  'file:// + absolute folder': (dir) => `file://${dir}`,
  'file:// + relative folder': (dir) => `file://${path.relative(process.cwd(), dir)}`,
  'file:// + absolute model.json': (dir) => `file://${dir}/model.json`,
  'file:// + relative model.json': (dir) => `file://${path.relative(process.cwd(), dir)}/model.json`,
};

/** The lines `tfjs-recurrent summary MODEL` prints (it must exit 0). */
async function summaryOf(model: string): Promise<string[]> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((l) => { lines.push(String(l)); });
  try {
    expect(await main(['summary', model])).toBe(0);
  } finally {
    log.mockRestore();
  }
  return lines;
}

describe('file:// routing', () => {
  test('one handler answers a file:// URL for saving and for loading, with tfjs-node loaded too where it loads', () => {
    if (canLoad('@tensorflow/tfjs-node')) expect(tf.engine().registryFactory['tensorflow']).toBeDefined();
    expect(tf.io.getLoadHandlers('file:///somewhere/model.json')).toHaveLength(1);
    expect(tf.io.getSaveHandlers('file://somewhere')).toHaveLength(1);
  });

  test('a router registered later (as tfjs-node registers its own) yields file:// strings and keeps its other URLs', () => {
    const theirs = { load: async () => ({}) } as tf.io.IOHandler;
    tf.io.registerLoadRouter(((url: string | string[]) => (url === 'file:///x' || url === 'mine://x' ? theirs : null)) as Parameters<typeof tf.io.registerLoadRouter>[0]);
    expect(tf.io.getLoadHandlers('file:///x')).toHaveLength(1);
    expect(tf.io.getLoadHandlers('file:///x')[0]).not.toBe(theirs);
    expect(tf.io.getLoadHandlers('mine://x')).toEqual([theirs]);
  });
});

onEachBackend(() => {
  beforeEach(() => resetNames());

  test.each(Object.keys(FORMS))('saves to and loads from %s, by every loader', async (kind) => {
    const dir = fs.mkdtempSync(path.join(scratch(), 'm-'));
    const where = FORMS[kind](dir);
    const m = small();
    const want = predict(m, ids());
    const target = where.startsWith('file://') ? where : fileIO(where);
    await m.save(target);
    expect(fs.existsSync(path.join(dir, 'model.json'))).toBe(true);
    expect(predict(await loadModel(where), ids())).toEqual(want);
    expect(predict(await tf.loadLayersModel(where.startsWith('file://') ? where : fileIO(where)), ids())).toEqual(want);
    expect(predict(await loadKerasModel(where), ids())).toEqual(want);
  });

  test('every layer class this package registers saves through file:// and loads back with the same predictions', async () => {
    const dir = (name: string) => `file://${path.join(scratch(), name)}`;
    const models: Array<[tf.LayersModel, tf.Tensor]> = [
      [new Sequential({ layers: [
        new Embedding({ inputDim: 20, outputDim: 4, maskZero: true }),
        new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }), mergeMode: 'concat' }),
        new SimpleRNN({ units: 3, returnSequences: true }),
        new GlobalMaxPooling1D(),
        new Dropout({ rate: 0.2 }),
        new Dense({ units: 1, activation: 'sigmoid' }),
      ] }), ids()],
      [new Sequential({ layers: [
        new EmbeddingBag({ inputDim: 30, outputDim: 3, maskZero: true, inputShape: [4, 2] }),
        new GRU({ units: 2, resetAfter: false, returnSequences: true }),
        new GlobalAveragePooling1D(),
      ] }), tf.tensor3d([[[0, 0], [3, 21], [4, 0], [9, 8]]], [1, 4, 2], 'int32')],
      [new Sequential({ layers: [new WordCountLogit({ inputDim: 20, inputShape: [3] })] }), ids()],
      [new Sequential({ layers: [
        new Masking({ maskValue: 0, inputShape: [3, 2] }),
        new LSTM({ units: 3, returnSequences: true }),
        new TimeDistributed({ layer: new Dense({ units: 2 }) }),
      ] }), tf.tensor3d([[[0, 0], [1, 2], [3, 4]]])],
      [(() => {
        const input = tf.input({ shape: [3, 2] });
        return new Functional({ inputs: input, outputs: new Dense({ units: 2 }).apply(new LSTM({ units: 3 }).apply(input)) as tf.SymbolicTensor });
      })(), tf.ones([1, 3, 2])],
      [new Sequential({ layers: [
        new RNN({ cell: new LSTMCell({ units: 3 }), returnSequences: true, inputShape: [3, 2] }),
        new RNN({ cell: [new SimpleRNNCell({ units: 2 }), new GRUCell({ units: 2 })] }),
      ] }), tf.tensor3d([[[0, 1], [1, 2], [3, 4]]])],
    ];
    // Each layer, the layer Bidirectional wraps, and an RNN's cell (a stack's cells too).
    const parts = (l: tf.layers.Layer): unknown[] => {
      const inner = l instanceof Bidirectional ? [l.forwardLayer] : [];
      const cell = l instanceof RNN ? [l.cell, ...(l.cell instanceof StackedRNNCells ? l.cell.cells : [])] : [];
      return [l, ...inner, ...cell];
    };
    const covered = new Set(models.flatMap(([m]) => m.layers.flatMap(parts)).map((l) => ((l as object).constructor as unknown as { className: string }).className));
    covered.add((Sequential as unknown as { className: string }).className);
    covered.add((Functional as unknown as { className: string }).className);
    const registered = Object.keys(tf.serialization.SerializationMap.getMap().classNameMap).filter((c) => c.startsWith(NS));
    expect(registered.filter((c) => !covered.has(c))).toEqual([]);
    for (const [k, [m, x]] of models.entries()) {
      // A non-zero WordCountLogit kernel, so that its prediction says something.
      if (m.layers[0] instanceof WordCountLogit) m.layers[0].setWeights([tf.range(0, 20).reshape([20, 1]).div(10)]);
      await m.save(dir(`all-${k}`));
      const back = await loadModel(dir(`all-${k}`));
      expect(back.toJSON(null, false)).toEqual(m.toJSON(null, false));
      expect(predict(back, x)).toEqual(predict(m, x));
    }
  });

  test('the summary command takes the same forms', async () => {
    const dir = fs.mkdtempSync(path.join(scratch(), 's-'));
    await small().save(`file://${dir}`);
    for (const form of Object.values(FORMS).map((spell) => spell(dir))) {
      resetNames();
      expect(await summaryOf(form)).toContain('Total params: 165');
    }
  });

  test('the summary command prints a saved model of any of our classes (the demo\'s: EmbeddingBag, concatenate, WordCountLogit) as before saving', async () => {
    const ids = tf.input({ shape: [4, 2], dtype: 'int32', name: 'ids' });
    const bags = new EmbeddingBag({ inputDim: 30, outputDim: 3, maskZero: true }).apply(ids) as tf.SymbolicTensor;
    const h = new Bidirectional({ layer: new LSTM({ units: 2 }) }).apply(bags) as tf.SymbolicTensor;
    const mean = new GlobalAveragePooling1D().apply(bags) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate().apply([h, mean]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: ids, outputs: new Dense({ units: 1 }).apply(joined) as tf.SymbolicTensor, name: 'demo_like' });
    const want: string[] = [];
    printSummary(model, undefined, undefined, (l) => want.push(String(l)));
    const dir = fs.mkdtempSync(path.join(scratch(), 'sum-'));
    await model.save(`file://${dir}`);
    resetNames();
    const lines = await summaryOf(dir);
    expect(lines).toEqual(want);
    expect(lines).toContain('embedding_bag (EmbeddingBag)    (None, 4, 3)         90          ids[0][0]                        ');
  });

  test('a missing model names the folder and the file it looked for', async () => {
    const nowhere = path.join(scratch(), 'nowhere');
    await expect(loadModel(`file://${nowhere}`)).rejects.toThrow(`loadModel: no model.json in ${nowhere}`);
    await expect(loadModel(`${nowhere}/other.json`)).rejects.toThrow(`loadModel: no other.json in ${nowhere}`);
  });
});
