/**
 * Misuse is refused before any state changes, with one of our errors, the
 * same on every backend; empty inputs give a defined result or a clear error.
 */
import { tf } from '../src/tf';
import {
  Sequential, LSTM, GRU, Embedding, Dense, EmbeddingBag, GlobalMaxPooling1D, GlobalAveragePooling1D, Tokenizer, fromTorchStateDict,
  RecurrentInputError, resetNames,
} from '../src';
import { onEachBackend } from './helpers/backends';

onEachBackend(() => {
  beforeEach(() => resetNames());

  test('setWeights with a disposed or string tensor is refused, and the layer keeps its weights and works', () => {
    const layer = new LSTM({ units: 2, inputShape: [3, 2] });
    const x = tf.ones([1, 3, 2]);
    const before = (layer.apply(x) as tf.Tensor).arraySync();
    const w = layer.getWeights();
    const gone = w[1].clone();
    gone.dispose();
    expect(() => layer.setWeights([w[0], gone, w[2]])).toThrow(/LSTM \(layer 'lstm'\): setWeights: recurrentKernel is a disposed tensor; nothing was changed/);
    expect(() => layer.setWeights([w[0], w[1], tf.tensor(new Array(8).fill('a'), [8], 'string')])).toThrow(/setWeights: bias must be numeric \(float32 or int32\), got dtype string/);
    expect((layer.apply(x) as tf.Tensor).arraySync()).toEqual(before);
  });

  test('a stateful layer declared for batch 4 refuses batch 3 on its first call, and takes 4', () => {
    const layer = new GRU({ units: 2, stateful: true, batchInputShape: [4, 3, 2] });
    expect(() => layer.apply(tf.ones([3, 3, 2]))).toThrow(/a stateful layer declared for batch 4 \(batchInputShape\) got a batch of 3/);
    expect((layer.apply(tf.ones([4, 3, 2])) as tf.Tensor).shape).toEqual([4, 2]);
  });

  test('fromTorchStateDict refuses ragged arrays (a short or a long row) and writes nothing', () => {
    const layer = new LSTM({ units: 2, inputShape: [3, 2] });
    layer.apply(tf.ones([1, 3, 2]));
    const before = layer.getWeights().map((t) => t.arraySync());
    const rows = (n: number, w: number) => Array.from({ length: n }, () => new Array(w).fill(0.5));
    const sd = (ih: number[][]) => ({ weight_ih_l0: ih, weight_hh_l0: rows(8, 2), bias_ih_l0: new Array(8).fill(0), bias_hh_l0: new Array(8).fill(0) });
    const short = rows(8, 2);
    short[3] = [1];
    expect(() => fromTorchStateDict(layer, sd(short))).toThrow(/weight_ih_l0 is ragged: weight_ih_l0\[3\] has length 1, expected 2/);
    const long = rows(8, 2);
    long[5] = [1, 2, 3];
    expect(() => fromTorchStateDict(layer, sd(long))).toThrow(/weight_ih_l0\[5\] has length 3, expected 2/);
    const text = rows(8, 2);
    (text[0] as unknown[])[1] = 'x';
    expect(() => fromTorchStateDict(layer, sd(text))).toThrow(/must be a nested array of numbers, got 'x' at weight_ih_l0\[0\]\[1\]/);
    expect(layer.getWeights().map((t) => t.arraySync())).toEqual(before);
  });

  test('GlobalMaxPooling1D and GlobalAveragePooling1D over zero time steps are a clear error', () => {
    expect(() => new GlobalMaxPooling1D().apply(tf.zeros([2, 0, 3]))).toThrow(/GlobalMaxPooling1D expects at least one time step, got shape \[2, 0, 3\]/);
    expect(() => new GlobalAveragePooling1D().apply(tf.zeros([2, 0, 3]))).toThrow(RecurrentInputError);
  });

  test('an empty batch through Embedding, Dense and the poolings gives an empty result; recurrent layers refuse it', () => {
    expect((new Embedding({ inputDim: 5, outputDim: 2 }).apply(tf.zeros([0, 3], 'int32')) as tf.Tensor).shape).toEqual([0, 3, 2]);
    expect((new Dense({ units: 2 }).apply(tf.zeros([0, 3])) as tf.Tensor).shape).toEqual([0, 2]);
    expect((new GlobalMaxPooling1D().apply(tf.zeros([0, 3, 2])) as tf.Tensor).shape).toEqual([0, 2]);
    expect((new GlobalAveragePooling1D().apply(tf.zeros([0, 3, 2])) as tf.Tensor).shape).toEqual([0, 2]);
    expect(() => new LSTM({ units: 2 }).apply(tf.zeros([0, 3, 2]))).toThrow(/LSTM expects at least one sequence of at least one time step, got shape \[0, 3, 2\]/);
  });

  test('EmbeddingBag of an empty batch or empty bags gives zeros of the output shape', () => {
    const layer = new EmbeddingBag({ inputDim: 5, outputDim: 2 });
    expect((layer.apply(tf.zeros([0, 3, 2], 'int32')) as tf.Tensor).shape).toEqual([0, 3, 2]);
    const y = layer.apply(tf.zeros([2, 3, 0], 'int32')) as tf.Tensor;
    expect(y.shape).toEqual([2, 3, 2]);
    expect(y.arraySync()).toEqual([[[0, 0], [0, 0], [0, 0]], [[0, 0], [0, 0], [0, 0]]]);
  });

  test('a recurrent layer takes a nested array of numbers as Keras takes a list, and refuses a ragged one', () => {
    const layer = new LSTM({ units: 2 });
    const a = [[[1, 2], [3, 4]]];
    const n = tf.memory().numTensors;
    const y = layer.apply(a) as tf.Tensor;
    expect(y.arraySync()).toEqual((layer.apply(tf.tensor3d(a)) as tf.Tensor).arraySync());
    expect(tf.memory().numTensors).toBe(n + 6); // 3 weights, 2 outputs and the tensor3d made above: the array's own tensor is gone
    expect(() => layer.apply([[[1, 2], [3]]])).toThrow(/LSTM \(layer 'lstm'\): expects a Tensor or a nested array of numbers, got a ragged array/);
    expect(() => layer.apply([[[1, 'a']]] as never)).toThrow(/got an array holding 'a'/);
  });

  test('predict, evaluate and fit take nested arrays of numbers as Keras takes lists, and leak nothing', async () => {
    const model = new Sequential({ layers: [new LSTM({ units: 2, inputShape: [3, 2] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = [[[1, 2], [3, 4], [5, 6]]];
    const want = (model.predict(tf.tensor3d(x)) as tf.Tensor).arraySync();
    const n = tf.memory().numTensors;
    const p = model.predict(x) as tf.Tensor;
    expect(p.arraySync()).toEqual(want);
    p.dispose();
    tf.dispose(model.evaluate(x, [[0, 1]]));
    await model.fit(x, [[0, 1]], { epochs: 1, verbose: 0 });
    expect(tf.memory().numTensors).toBe(n); // sgd keeps no slots
    expect(() => model.predict([[[1, 2], [3]]] as never)).toThrow(/predict \(model 'sequential'\): expects a Tensor or a nested array of numbers, got a ragged array/);
  });

  test('predict of a string or disposed tensor is our error, not a tfjs kernel message', () => {
    const model = new Sequential({ layers: [new LSTM({ units: 2, inputShape: [3, 2] })] });
    expect(() => model.predict(tf.tensor(new Array(6).fill('a'), [1, 3, 2], 'string'))).toThrow(/predict: x must be numeric \(float32, int32 or bool\), got dtype string/);
    const x = tf.ones([1, 3, 2]);
    x.dispose();
    expect(() => model.predict(x)).toThrow(/predict: x is a disposed tensor/);
  });
});

describe('Tokenizer.fromJSON', () => {
  const good = () => {
    const t = new Tokenizer({ oovToken: '<oov>' });
    t.fitOnTexts(['the cat sat', 'the dog']);
    return JSON.parse(t.toJSON()) as { wordIndex: [string, unknown][]; wordCounts: [string, unknown][]; documentCount: unknown };
  };

  test('round-trips a fitted tokenizer', () => {
    const t = Tokenizer.fromJSON(JSON.stringify(good()));
    expect(t.textsToSequences(['the cat ran'])).toEqual([[2, 3, 1]]);
  });

  test.each([['x'], [-5], [1.5], [1e12], [null]])('refuses a tampered word id %p', (id) => {
    const j = good();
    j.wordIndex[1][1] = id;
    expect(() => Tokenizer.fromJSON(JSON.stringify(j))).toThrow(/Tokenizer\.fromJSON: wordIndex(\[1\] must be \[word, integer >= 1\]|.* must number its 5 words 1\.\.5, each once)/);
  });

  test('refuses a duplicated id, a bad count and a bad documentCount', () => {
    const j = good();
    j.wordIndex[2][1] = j.wordIndex[1][1];
    expect(() => Tokenizer.fromJSON(JSON.stringify(j))).toThrow(/must number its 5 words 1\.\.5, each once/);
    const k = good();
    k.wordCounts[0][1] = -1;
    expect(() => Tokenizer.fromJSON(JSON.stringify(k))).toThrow(/wordCounts\[0\] must be \[word, integer >= 0\], got \['the', -1\]/);
    const m = good();
    m.documentCount = 'many';
    expect(() => Tokenizer.fromJSON(JSON.stringify(m))).toThrow(/documentCount must be a non-negative integer, got 'many'/);
  });
});
