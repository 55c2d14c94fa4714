/**
 * A cell of the user's own inside RNN, with the peephole LSTM of docs/guide.md
 * (its code block is run here, as written there): it trains with fit, its
 * gradients (tfjs's autodiff through our step-by-step loop) equal central
 * finite differences, with its peepholes at zero it computes what our LSTM
 * computes (masks, goBackwards, initial state), it saves and loads with the
 * model, and nothing leaks.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { tf } from '../../src/tf';
import { LSTM, RNN, RecurrentCell, Sequential, loadModel, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { maxAbsDiff } from '../helpers/close';
import { scratchDir } from '../helpers/scratch';

const GUIDE = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'guide.md'), 'utf8');
const BLOCK = [...GUIDE.matchAll(/```ts\n([\s\S]*?)\n```/g)].map((m) => m[1]).find((b) => b.includes('class PeepholeLSTMCell'))!;

type PeepholeCtor = new (a: { units: number }) => RecurrentCell & tf.serialization.Serializable & { trainableWeights: tf.LayerVariable[] };

/** Runs the guide's block (its imports bound to the package); returns its class and its trained model. */
async function runGuide(): Promise<{ PeepholeLSTMCell: PeepholeCtor; model: Sequential }> {
  const body = BLOCK.replace(/^import\s+(\{[^}]*\})\s+from\s+'([^']+)';?$/gm, (_, names, mod) => `const ${names} = require('${mod}');`);
  const js = ts.transpileModule(`(async () => {\n${body}\nreturn { PeepholeLSTMCell, model };\n})()`, {
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS },
  }).outputText;
  const requireFor = (m: string) => (m === 'tfjs-recurrent' ? require('../../src') : require(m));
  return new Function('require', `return ${js.replace(/^"use strict";\s*/, '').replace(/;\s*$/, '')};`)(requireFor);
}

const MASK = [[1, 1, 1, 1, 1], [0, 0, 1, 1, 1], [1, 0, 1, 1, 0]];

onEachBackend(() => {
  const dir = scratchDir('user-cell-');
  let Peephole: PeepholeCtor;
  beforeAll(async () => {
    resetNames();
    const { PeepholeLSTMCell, model } = await runGuide();
    Peephole = PeepholeLSTMCell;
    model.dispose();
  });
  beforeEach(() => resetNames());

  test("the guide's example trains with fit, and its weights are named under the cell's name", async () => {
    const { model } = await runGuide();
    expect(model.weights.map((w) => w.originalName)).toEqual([
      'rnn/peephole_lstm_cell/kernel', 'rnn/peephole_lstm_cell/recurrent_kernel', 'rnn/peephole_lstm_cell/bias', 'rnn/peephole_lstm_cell/peephole',
      'dense/kernel', 'dense/bias',
    ]);
    expect(model.countParams()).toBe(3 * 32 + 8 * 32 + 32 + 3 * 8 + 8 + 1);
    const before = model.getWeights().map((w) => w.arraySync());
    const x = tf.randomNormal([4, 10, 3], 0, 1, 'float32', 3);
    const y = tf.randomNormal([4, 1], 0, 1, 'float32', 4);
    const loss = (await model.trainOnBatch(x, y)) as number;
    expect(Number.isFinite(loss)).toBe(true);
    const after = model.getWeights().map((w) => w.arraySync());
    after.slice(0, 4).forEach((w, i) => expect(maxAbsDiff(w as number[], before[i] as number[])).toBeGreaterThan(0)); // every cell weight moved
    tf.dispose([x, y]);
    model.dispose();
  });

  test('its gradients (autodiff through the loop, masked) equal central finite differences', () => {
    const rnn = new RNN({ cell: new Peephole({ units: 3 }), returnSequences: true, goBackwards: true });
    rnn.build([3, 5, 2]);
    rnn.setWeights(rnn.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.5, 'float32', 10 + i)));
    const x = tf.randomNormal([3, 5, 2], 0, 1, 'float32', 20);
    const mask = tf.tensor2d(MASK, undefined, 'bool');
    const R = tf.randomNormal([3, 5, 3], 0, 1, 'float32', 30);
    const L = () => tf.tidy(() => tf.sum(tf.mul(rnn.apply(x, { mask }) as tf.Tensor, R)) as tf.Scalar);
    const vars = rnn.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(L, vars);
    const eps = 1e-2;
    let checked = 0;
    rnn.trainableWeights.forEach((w, wi) => {
      const g = grads[vars[wi].name].dataSync();
      const value = w.read().dataSync().slice() as Float32Array;
      for (const k of [0, Math.floor(value.length / 2), value.length - 1]) {
        const at = (d: number) => {
          const v = value.slice();
          v[k] += d;
          w.write(tf.tensor(v, w.shape as number[]));
          const l = L();
          const n = l.dataSync()[0];
          l.dispose();
          return n;
        };
        const fd = (at(eps) - at(-eps)) / (2 * eps); //   ∂L/∂w_k ≈ (L(w + ε) − L(w − ε)) / 2ε
        w.write(tf.tensor(value, w.shape as number[]));
        expect(Math.abs(fd - g[k])).toBeLessThanOrEqual(1e-2 * Math.max(1, Math.abs(g[k])));
        checked++;
      }
    });
    expect(checked).toBe(12);
    tf.dispose([x, mask, R, ...Object.values(grads)]);
    rnn.dispose();
  });

  test("with its peepholes at zero it is an LSTM: RNN of it equals our LSTM, masked, backwards, from an initial state, and its gradients", () => {
    const opts = { returnSequences: true, returnState: true, goBackwards: true };
    const lstm = new LSTM({ units: 4, ...opts });
    const rnn = new RNN({ cell: new Peephole({ units: 4 }), ...opts });
    lstm.build([3, 5, 2]);
    rnn.build([3, 5, 2]);
    const ws = lstm.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.5, 'float32', 40 + i));
    lstm.setWeights(ws);
    rnn.setWeights([...ws, tf.zeros([3, 4])]);
    const x = tf.randomNormal([3, 5, 2], 0, 1, 'float32', 50);
    const mask = tf.tensor2d(MASK, undefined, 'bool');
    const init = [tf.randomNormal([3, 4], 0, 1, 'float32', 51), tf.randomNormal([3, 4], 0, 1, 'float32', 52)];
    const run = (l: RNN) => l.apply(x, { mask, initialState: init }) as tf.Tensor[];
    const [a, b] = [run(lstm), run(rnn)];
    a.forEach((t, i) => expect(maxAbsDiff(t.arraySync() as number[], b[i].arraySync() as number[])).toBeLessThan(1e-5));
    const grad = (l: RNN) => tf.variableGrads(() => tf.sum(tf.mul(run(l)[0], tf.range(0, 60).reshape([3, 5, 4]).sin())) as tf.Scalar, l.trainableWeights.map((w) => w.read() as tf.Variable));
    const [ga, gb] = [grad(lstm), grad(rnn)];
    lstm.trainableWeights.forEach((w, i) => {
      const va = ga.grads[(w.read() as tf.Variable).name].arraySync() as number[];
      const vb = gb.grads[(rnn.trainableWeights[i].read() as tf.Variable).name].arraySync() as number[];
      expect(maxAbsDiff(va, vb)).toBeLessThan(1e-4);
    });
    tf.dispose([x, mask, ...init, ...a, ...b, ...Object.values(ga.grads), ...Object.values(gb.grads)]);
    lstm.dispose();
    rnn.dispose();
  });

  test('a model holding it saves and loads in our format (its class registered), with the same outputs', async () => {
    const model = new Sequential();
    model.add(new RNN({ cell: new Peephole({ units: 3 }), inputShape: [5, 2], returnSequences: true }));
    model.setWeights(model.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.5, 'float32', 60 + i)));
    const x = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 70);
    const y = model.predict(x) as tf.Tensor;
    await model.save(`file://${dir()}/peephole`);
    const loaded = await loadModel(`${dir()}/peephole`);
    expect(((loaded.layers[0] as RNN).cell as unknown as tf.serialization.Serializable).getClassName()).toBe('PeepholeLSTMCell'); // (the guide's class, registered)
    expect(loaded.weights.map((w) => w.originalName)).toEqual(model.weights.map((w) => w.originalName));
    const y2 = loaded.predict(x) as tf.Tensor;
    expect(y2.arraySync()).toEqual(y.arraySync());
    tf.dispose([x, y, y2]);
    model.dispose();
    loaded.dispose();
  });

  test('predict, a training step and evaluate leave the tensor count unchanged', async () => {
    const model = new Sequential();
    model.add(new RNN({ cell: new Peephole({ units: 3 }), inputShape: [5, 2] }));
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = tf.randomNormal([4, 5, 2], 0, 1, 'float32', 80);
    const y = tf.randomNormal([4, 3], 0, 1, 'float32', 81);
    await model.trainOnBatch(x, y);
    const n0 = tf.memory().numTensors;
    tf.dispose(model.predict(x));
    expect(tf.memory().numTensors).toBe(n0);
    await model.trainOnBatch(x, y);
    expect(tf.memory().numTensors).toBe(n0);
    tf.dispose(model.evaluate(x, y) as tf.Scalar);
    expect(tf.memory().numTensors).toBe(n0);
    tf.dispose([x, y]);
    model.dispose();
  });
});
