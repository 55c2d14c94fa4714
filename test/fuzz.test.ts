/**
 * Property-style: random malformed arguments (seeded) into every public entry
 * point. Each call either works or throws one of our two error classes; it
 * leaks no tensor and, when it throws, changes no state.
 */
import { tf } from '../src/tf';
import {
  SimpleRNN, LSTM, GRU, Bidirectional, Embedding, EmbeddingBag, Dense, Dropout, GlobalMaxPooling1D, Sequential,
  Tokenizer, padSequences, subwordBags, fromTorchStateDict, kerasModelFromArtifacts, withGradientClipping, printSummary,
  RecurrentConfigError, RecurrentInputError, resetNames,
} from '../src';
import { rng } from '../src/sentiment/split'; // mulberry32, seeded: a failure repeats
import { onEachBackend } from './helpers/backends';

const SCALARS: unknown[] = [undefined, null, NaN, Infinity, -Infinity, -1, 0, 0.5, 1.5, 3, 1e12, -0, '', 'x', 'tanh', 'relu', true, false, {}, [], [[1], [2, 3]], [1, 'a'], Symbol('s'), () => 1, new Date(0)];

/** A malformed (or sometimes fine) value: scalars, odd objects, and tensors of random shape and dtype, some disposed. */
function anything(r: () => number, made: tf.Tensor[]): unknown {
  const k = r();
  if (k < 0.55) return SCALARS[Math.floor(r() * SCALARS.length)];
  if (k < 0.65) {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < 3; i++) o[['units', 'inputShape', 'constructor', '__proto__', 'toString', 'rate', 'layer'][Math.floor(r() * 7)]] = anything(r, made);
    return o;
  }
  if (k < 0.72) return Array.from({ length: Math.floor(r() * 4) }, () => anything(r, made));
  const rank = Math.floor(r() * 4);
  const shape = Array.from({ length: rank }, () => Math.floor(r() * 4));
  const dtype = (['float32', 'int32', 'bool', 'string'] as const)[Math.floor(r() * 4)];
  const n = shape.reduce((a, b) => a * b, 1);
  const t = dtype === 'string' ? tf.tensor(new Array(n).fill('s'), shape, 'string') : tf.tensor(Array.from({ length: n }, () => Math.floor(r() * 7) - 1), shape, dtype);
  made.push(t);
  if (r() < 0.15) t.dispose();
  return t;
}

const ours = (e: unknown) => e instanceof RecurrentConfigError || e instanceof RecurrentInputError;

type Case = [name: string, setup: () => unknown, call: (subject: any, a: unknown, b: unknown) => unknown, state?: (subject: any) => unknown];

const weights = (l: tf.layers.Layer) => l.getWeights().map((w) => w.arraySync());
const built = (l: tf.layers.Layer, shape: number[]) => { l.apply(tf.zeros(shape)); return l; };

const CASES: Case[] = [
  ['new SimpleRNN', () => null, (_s, a) => new SimpleRNN(a as never)],
  ['new LSTM', () => null, (_s, a, b) => new LSTM({ units: 2, ...(a as object), activation: b } as never)],
  ['new GRU', () => null, (_s, a, b) => new GRU({ units: a, resetAfter: b } as never)],
  ['new Embedding', () => null, (_s, a, b) => new Embedding({ inputDim: a, outputDim: b } as never)],
  ['new Dense', () => null, (_s, a, b) => new Dense({ units: a, activation: b } as never)],
  ['new Dropout', () => null, (_s, a) => new Dropout({ rate: a } as never)],
  ['new Bidirectional', () => null, (_s, a, b) => new Bidirectional({ layer: a, mergeMode: b } as never)],
  ['LSTM.apply', () => built(new LSTM({ units: 2 }), [1, 3, 2]), (l, a, b) => l.apply(a, b as never), weights],
  ['GRU.apply with initialState', () => built(new GRU({ units: 2 }), [1, 3, 2]), (l, a, b) => l.apply(a, { initialState: b }), weights],
  ['Bidirectional.apply', () => built(new Bidirectional({ layer: new SimpleRNN({ units: 2 }) }), [1, 3, 2]), (l, a) => l.apply(a), weights],
  ['Embedding.apply', () => built(new Embedding({ inputDim: 5, outputDim: 2 }), [1, 3]), (l, a) => l.apply(a), weights],
  ['EmbeddingBag.apply', () => built(new EmbeddingBag({ inputDim: 5, outputDim: 2 }), [1, 3, 2]), (l, a) => l.apply(a), weights],
  ['Dense.apply', () => built(new Dense({ units: 2 }), [1, 3]), (l, a) => l.apply(a), weights],
  ['GlobalMaxPooling1D.apply', () => new GlobalMaxPooling1D(), (l, a) => l.apply(a)],
  ['LSTM.setWeights', () => built(new LSTM({ units: 2 }), [1, 3, 2]), (l, a) => l.setWeights(a), weights],
  ['Embedding.setWeights', () => built(new Embedding({ inputDim: 5, outputDim: 2 }), [1, 3]), (l, a) => l.setWeights(a), weights],
  ['Sequential.predict', () => new Sequential({ layers: [new LSTM({ units: 2, inputShape: [3, 2] })] }), (m, a, b) => m.predict(a, b), (m) => weights(m)],
  ['Sequential.evaluate', () => { const m = new Sequential({ layers: [new LSTM({ units: 2, inputShape: [3, 2] })] }); m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }); return m; }, (m, a, b) => m.evaluate(a, b), (m) => weights(m)],
  ['Sequential.add', () => new Sequential(), (m, a) => m.add(a)],
  ['padSequences', () => null, (_s, a, b) => padSequences(a as never, b as never)],
  ['Tokenizer.fitOnTexts', () => new Tokenizer(), (t, a) => t.fitOnTexts(a), (t) => t.toJSON()],
  ['Tokenizer.textsToSequences', () => { const t = new Tokenizer(); t.fitOnTexts(['a b']); return t; }, (t, a) => t.textsToSequences(a), (t) => t.toJSON()],
  ['new Tokenizer', () => null, (_s, a) => new Tokenizer(a as never)],
  ['Tokenizer.fromJSON', () => null, (_s, a) => Tokenizer.fromJSON(typeof a === 'string' ? a : JSON.stringify({ className: 'Tokenizer', wordIndex: a, wordCounts: [] }) ?? '')],
  ['subwordBags', () => { const t = new Tokenizer(); t.fitOnTexts(['a b']); return t; }, (t, a, b) => subwordBags(t, a as never, b as never), (t) => t.toJSON()],
  ['fromTorchStateDict', () => built(new LSTM({ units: 2 }), [1, 3, 2]), (l, a, b) => fromTorchStateDict(l, { weight_ih_l0: a, weight_hh_l0: b, bias_ih_l0: a, bias_hh_l0: b } as never), weights],
  ['kerasModelFromArtifacts', () => null, (_s, a, b) => kerasModelFromArtifacts({ modelTopology: a as never, weightSpecs: b as never })],
  ['withGradientClipping', () => null, (_s, a, b) => withGradientClipping(a as never, b as never)],
  ['printSummary', () => null, (_s, a, b) => printSummary(a as never, b as never)],
];

onEachBackend(() => {
  test.each(CASES.map((c) => [c[0], c] as const))('%s: 60 random calls give a result or our error, leak nothing and change nothing on error', (_n, [name, setup, call, state]) => {
    const r = rng([...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7));
    resetNames();
    const subject = setup();
    const silence = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 60; i++) {
        const made: tf.Tensor[] = [];
        const [a, b] = [anything(r, made), anything(r, made)];
        const before = state ? JSON.stringify(state(subject)) : null;
        const count = tf.memory().numTensors;
        let out: unknown;
        try {
          out = call(subject, a, b);
        } catch (e) {
          if (!ours(e)) throw new Error(`${name}(${show(a)}, ${show(b)}) threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
          expect(tf.memory().numTensors).toBe(count);
          if (state) expect(JSON.stringify(state(subject))).toBe(before);
          tf.dispose(made);
          continue;
        }
        const outs = (Array.isArray(out) ? out : [out]).filter((o) => o instanceof tf.Tensor) as tf.Tensor[];
        // A call on a subject adds nothing but its outputs (constructors may build weights: not counted).
        if (subject != null) expect(tf.memory().numTensors - outs.filter((o) => !o.isDisposed).length).toBe(count);
        tf.dispose(outs);
        tf.dispose(made);
      }
    } finally {
      silence.mockRestore();
    }
  });
});

function show(v: unknown): string {
  if (v instanceof tf.Tensor) return `Tensor(${v.dtype} [${v.shape}]${v.isDisposed ? ', disposed' : ''})`;
  if (typeof v === 'symbol' || typeof v === 'function') return String(v);
  try {
    return JSON.stringify(v) ?? Object.prototype.toString.call(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
