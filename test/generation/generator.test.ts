/**
 * The text generator: after each step, the probabilities `predict` gives at
 * the last step of the whole prefix (to 1e-5), for LSTM, GRU (both forms),
 * SimpleRNN, a stack of cells, Dropout between, a softmax or a linear Dense,
 * batches and masked ids; in the kernels (one call a step) and on the host;
 * no tensors and no kernels' memory kept per step; the same text for the same
 * seed on every backend; and errors naming what is wrong with a model or an id.
 */
import { tf } from '../../src/tf';
import {
  Sequential, Functional, Embedding, LSTM, GRU, SimpleRNN, Dense, Dropout, Bidirectional, RNN, LSTMCell, GRUCell, generator, sample, SeedGenerator, resetNames,
} from '../../src';
import { RecurrentConfigError, RecurrentInputError } from '../../src/errors';
import { placementOptions } from '../../src/placement';
import { kernelModule, residentBlocks } from '../../src/kernels/module';
import { kernelCalls } from '../../src/kernels/sequence';
import { generationCalls } from '../../src/generation/kernel_steps';
import { onEachBackend } from '../helpers/backends';
import { setBackend } from '../../src/backend';

/** Sets every weight of `model` to fixed values (a sine, a different phase per weight), the same on every backend. */
function fixWeights(model: tf.LayersModel, scale = 0.3): void {
  let phase = 0;
  for (const layer of model.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    layer.setWeights(ws.map((w) => {
      phase += 1;
      const v = Float32Array.from({ length: w.size }, (_, i) => scale * Math.sin(1.7 * i + phase * 0.61) + (w.rank === 1 ? 0.05 * phase : 0));
      return tf.tensor(v, w.shape);
    }));
  }
}

type Build = () => Sequential;
const V = 13;
const emb = (maskZero = false) => new Embedding({ inputDim: V, outputDim: 6, maskZero });
const MODELS: Array<[string, Build]> = [
  ['LSTM, LSTM, softmax', () => new Sequential({ layers: [emb(), new LSTM({ units: 12, returnSequences: true }), new LSTM({ units: 10 }), new Dense({ units: V, activation: 'softmax' })] })],
  ['GRU (resetAfter), GRU (resetAfter false), logits', () => new Sequential({ layers: [emb(), new GRU({ units: 9, returnSequences: true }), new GRU({ units: 7, resetAfter: false }), new Dense({ units: V })] })],
  ['SimpleRNN (relu), Dropout, LSTM (returnSequences) → Dense on every step', () => new Sequential({ layers: [emb(), new SimpleRNN({ units: 8, activation: 'relu', returnSequences: true }), new Dropout({ rate: 0.3 }), new LSTM({ units: 5, returnSequences: true, recurrentActivation: 'hard_sigmoid' }), new Dense({ units: V, activation: 'softmax' })] })],
  ['a vocabulary too large for the table E W + b (the Embedding\'s rows, then x W + b)', () => new Sequential({ layers: [new Embedding({ inputDim: 70000, outputDim: 4 }), new SimpleRNN({ units: 64 }), new Dense({ units: V, activation: 'softmax' })] })],
  ['RNN of a stack of LSTMCell and GRUCell, no biases', () => new Sequential({ layers: [emb(), new RNN({ cell: [new LSTMCell({ units: 6, useBias: false }), new GRUCell({ units: 5 })] }), new Dense({ units: V, useBias: false })] })],
];

/** predict's output at the last step of each row's prefix ids[r][0 … t]. */
function predictLast(model: Sequential, ids: number[][], t: number): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor2d(ids.map((r) => r.slice(0, t + 1)), [ids.length, t + 1], 'int32');
    let y = model.predict(x) as tf.Tensor;
    if (y.rank === 3) y = tf.squeeze(tf.slice(y, [0, t, 0], [-1, 1, -1]), [1]);
    const v = y.dataSync() as Float32Array;
    const N = y.shape[1]!;
    return ids.map((_, r) => v.slice(r * N, (r + 1) * N));
  });
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

const IDS = [[3, 1, 4, 1, 5, 9, 2, 6], [2, 7, 1, 8, 2, 8, 1, 8], [12, 0, 11, 10, 9, 0, 0, 7]];

/** Each backend's text for the same model and seed (compared after all backends ran). */
const texts: Record<string, number[]> = {};

onEachBackend((backend) => {
  beforeEach(() => resetNames());
  afterEach(() => {
    placementOptions.generation = 'auto';
  });

  describe.each(['kernels', 'host'] as const)('%s', (where) => {
    beforeEach(() => {
      placementOptions.generation = where === 'host' ? 'host' : 'auto';
    });

    test.each(MODELS)('%s: each step gives predict\'s last step on the whole prefix, for a batch of 3', (_n, build) => {
      const model = build();
      fixWeights(model);
      const gen = generator(model, { batchSize: 3 });
      expect(gen.path).toBe(where);
      let worst = 0;
      for (let t = 0; t < IDS[0].length; t++) {
        const rows = gen.step(IDS.map((r) => r[t]));
        const ref = predictLast(model, IDS, t);
        rows.forEach((row, r) => (worst = Math.max(worst, maxDiff(row, ref[r]))));
      }
      expect(worst).toBeLessThan(1e-5);
      gen.dispose();
      model.dispose();
    });
  });

  test('the 2-layer LSTM(256) character model (Embedding(65, 64)): predict\'s probabilities at every step of a 12-id prefix', () => {
    const model = new Sequential({ layers: [new Embedding({ inputDim: 65, outputDim: 64 }), new LSTM({ units: 256, returnSequences: true }), new LSTM({ units: 256 }), new Dense({ units: 65, activation: 'softmax' })] });
    fixWeights(model, 0.08);
    const ids = [Array.from({ length: 12 }, (_, i) => (i * 7 + 3) % 65)];
    const gen = generator(model);
    let worst = 0;
    for (let t = 0; t < 12; t++) worst = Math.max(worst, maxDiff(gen.step(ids[0][t])[0], predictLast(model, ids, t)[0]));
    expect(worst).toBeLessThan(1e-5);
    gen.dispose();
    model.dispose();
  });

  test('a Functional model of the same chain steps as its predict', () => {
    const ids = tf.input({ shape: [null], dtype: 'int32' });
    const h = new GRU({ units: 7 }).apply(new LSTM({ units: 9, returnSequences: true }).apply(emb().apply(ids))) as tf.SymbolicTensor;
    const model = new Functional({ inputs: ids, outputs: new Dense({ units: V, activation: 'softmax' }).apply(h) as tf.SymbolicTensor });
    fixWeights(model);
    const gen = generator(model, { batchSize: 3 });
    for (let t = 0; t < IDS[0].length; t++) {
      const rows = gen.step(IDS.map((r) => r[t]));
      const ref = predictLast(model as unknown as Sequential, IDS, t);
      rows.forEach((row, r) => expect(maxDiff(row, ref[r])).toBeLessThan(1e-5));
    }
    gen.dispose();
    model.dispose();
  });

  test('an id 0 under an Embedding with maskZero keeps every state, as predict keeps it', () => {
    const model = new Sequential({ layers: [emb(true), new GRU({ units: 8, returnSequences: true }), new LSTM({ units: 6 }), new Dense({ units: V, activation: 'softmax' })] });
    fixWeights(model);
    const gen = generator(model, { batchSize: 3 });
    for (let t = 0; t < IDS[0].length; t++) {
      const rows = gen.step(IDS.map((r) => r[t]));
      const ref = predictLast(model, IDS, t);
      rows.forEach((row, r) => expect(maxDiff(row, ref[r])).toBeLessThan(1e-5));
    }
    gen.dispose();
    model.dispose();
  });

  test('a step is one kernel call and no sequence call; many steps keep no tensor and no kernels\' memory', () => {
    const model = MODELS[0][1]();
    fixWeights(model);
    const k = kernelModule()!;
    const blocks = residentBlocks(k).inUse;
    const gen = generator(model);
    gen.step(1);
    const tensors = tf.memory().numTensors, bytes = k.memory.buffer.byteLength;
    const [steps, forward] = [generationCalls.steps, kernelCalls.forward];
    for (let i = 0; i < 500; i++) gen.step(i % V);
    expect(generationCalls.steps - steps).toBe(500);
    expect(kernelCalls.forward).toBe(forward);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(k.memory.buffer.byteLength).toBe(bytes);
    gen.reset(4); // a new batch size: new state rows, the old ones freed
    gen.reset(1);
    gen.dispose();
    expect(residentBlocks(k).inUse).toBe(blocks);
    expect(() => gen.step(1)).toThrow(/^TextGenerator: this generator was disposed; make a new one$/);
    model.dispose();
  });

  test('reset starts again from zero states; states() gives each layer\'s h (and c)', () => {
    const model = MODELS[0][1]();
    fixWeights(model);
    const gen = generator(model);
    const first = gen.step(4)[0];
    gen.step(5);
    const [[h1, c1], [h2, c2]] = gen.states();
    expect([h1.length, c1.length, h2.length, c2.length]).toEqual([12, 12, 10, 10]);
    expect(maxDiff(h2, tf.tidy(() => (model.layers[2].apply(model.layers[1].apply(model.layers[0].apply(tf.tensor2d([[4, 5]], [1, 2], 'int32')))) as tf.Tensor).dataSync()))).toBeLessThan(1e-6);
    gen.reset();
    expect(gen.step(4)[0]).toEqual(first);
    gen.dispose();
    model.dispose();
  });

  test('generate: the prompt, then ids drawn as sample draws them, each fed back; a seed repeats the text', () => {
    const model = MODELS[0][1]();
    fixWeights(model, 0.6);
    const gen = generator(model);
    const text = gen.generate([3, 1, 4], { length: 40, temperature: 0.9, topK: 8, seed: 11 });
    expect(text).toHaveLength(40);
    expect(gen.generate([3, 1, 4], { length: 40, temperature: 0.9, topK: 8, seed: 11 })).toEqual(text);
    // By hand: the same steps and draws from one stream.
    const rng = new SeedGenerator(11);
    gen.reset();
    let p = [3, 1, 4].map((id) => gen.step(id)).pop()!;
    const byHand: number[] = [];
    for (let i = 0; i < 40; i++) {
      byHand.push(sample(p, { temperature: 0.9, topK: 8, seed: rng })[0]);
      p = gen.step(byHand[i]);
    }
    expect(byHand).toEqual(text);
    const seen: number[] = [];
    gen.generate([2], { length: 5, seed: 1, onStep: (id, i) => seen.push(i) });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    texts[backend] = text;
    gen.dispose();
    model.dispose();
  });
});

describe('on cpu, where predict runs the same products in the kernels', () => {
  beforeAll(async () => {
    await setBackend('cpu', { verbose: false });
  });

  test('the logits are predict\'s to the bit (a GRU of 300 units: products over K > 256, summed in blocks as predict sums them)', () => {
    resetNames();
    const model = new Sequential({ layers: [new Embedding({ inputDim: 40, outputDim: 9 }), new LSTM({ units: 20, returnSequences: true }), new GRU({ units: 300, resetAfter: false }), new Dense({ units: 40 })] });
    fixWeights(model, 0.1);
    const gen = generator(model);
    const ids = [[5, 39, 0, 17, 22, 8]];
    for (let t = 0; t < ids[0].length; t++) expect(Array.from(gen.step(ids[0][t])[0])).toEqual(Array.from(predictLast(model, ids, t)[0]));
    gen.dispose();
    model.dispose();
  });
});

test('the same seed gives the same text on every backend', () => {
  const all = Object.values(texts);
  expect(all.length).toBeGreaterThan(0);
  for (const t of all) expect(t).toEqual(all[0]);
});

describe('errors', () => {
  beforeEach(() => resetNames());
  const build = (...layers: tf.layers.Layer[]) => new Sequential({ layers });

  test.each([
    ['no Embedding first', () => build(new LSTM({ units: 4, inputShape: [3, 2] }), new Dense({ units: 5 })), /^generator: model 'sequential' must be Embedding → .*; layer 'lstm' \(LSTM\) is not an Embedding \(the first layer\)$/],
    ['no Dense last', () => build(emb(), new LSTM({ units: 4 })), /^generator: model 'sequential' must be .*; layer 'lstm' \(LSTM\) is not a Dense \(the last layer\)$/],
    ['a Bidirectional', () => build(emb(), new Bidirectional({ layer: new LSTM({ units: 4 }) }), new Dense({ units: 5 })), /layer 'bidirectional' \(Bidirectional\) is not a SimpleRNN, LSTM, GRU or RNN of our cells$/],
    ['goBackwards', () => build(emb(), new LSTM({ units: 4, goBackwards: true }), new Dense({ units: 5 })), /^generator: layer 'lstm' has goBackwards: true; a generator steps forward in time/],
    ['a sigmoid Dense', () => build(emb(), new GRU({ units: 4 }), new Dense({ units: 5, activation: 'sigmoid' })), /^generator: the Dense 'dense' has activation 'sigmoid'; a generator takes a softmax Dense \(probabilities\) or a linear one \(logits\)$/],
    ['an activation the kernels lack', () => build(emb(), new GRU({ units: 4, activation: 'elu' }), new Dense({ units: 5 })), /^generator: layer 'gru' uses activation 'elu'; a generator computes linear, tanh, sigmoid, relu, hard_sigmoid$/],
  ])('refuses a model with %s, naming the layer', (_n, make, message) => {
    const model = make();
    expect(() => generator(model)).toThrow(RecurrentConfigError);
    expect(() => generator(model)).toThrow(message);
  });

  test('refuses a model of tf.layers\' own layers, saying so', () => {
    const model = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 5, outputDim: 2, inputLength: 3 }), tf.layers.lstm({ units: 2 }), tf.layers.dense({ units: 5 })] });
    expect(() => generator(model)).toThrow(/; layer '.*' \(Embedding, tf.layers' own: build the model from tfjs-recurrent's layers\) is not an Embedding \(the first layer\)$/);
  });

  test('refuses ids outside [0, V), the wrong count, and bad options', () => {
    const model = build(emb(), new LSTM({ units: 4 }), new Dense({ units: 5 }));
    const gen = generator(model, { batchSize: 2 });
    expect(() => gen.step([1, 13])).toThrow(RecurrentInputError);
    expect(() => gen.step([1, 13])).toThrow(/^TextGenerator.step: ids must be 2 integer ids \(one per row\) in \[0, 13\), got \[1, 13\]$/);
    expect(() => gen.step(1)).toThrow(/^TextGenerator.step: ids must be 2 integer ids \(one per row\) in \[0, 13\), got 1$/);
    expect(() => gen.step([1, 2.5])).toThrow(/got \[1, 2.5\]$/);
    expect(() => gen.reset(0)).toThrow(/^TextGenerator.reset: batchSize must be a positive integer, got 0$/);
    expect(() => generator(model, { batch: 2 } as never)).toThrow(/^generator: unknown option 'batch'; known options: batchSize$/);
    expect(() => gen.generate([], { length: 3 })).toThrow(/^TextGenerator.generate: prompt must hold at least one id \(the first input\), got \[\]$/);
    expect(() => gen.generate([1], { length: -1 })).toThrow(/^TextGenerator.generate: length must be an integer >= 0, got -1$/);
    expect(() => gen.generate([1], { length: 2, topP: 2 })).toThrow(/^TextGenerator.generate: topP must be a number in \(0, 1\], got 2$/);
    gen.dispose();
  });
});
