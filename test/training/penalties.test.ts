/**
 * Regularizers and constraints around the numbers (those are in
 * penalties_keras.test.ts): every spelling a layer takes (objects, Keras's
 * names and configs, tfjs's own objects, a registered class of one's own);
 * bad ones are errors naming the layer, the option, what was expected and
 * what was received, at construction; configs and our save format keep them
 * and a reloaded model trains as the original; setWeights leaves a
 * constrained weight as given (Keras's assign does); a frozen layer's weights
 * are not penalized, a shared layer's once; tfjs's own layers' regularizers
 * and constraints apply in our models; tfjs's own LayersModel takes our
 * weight penalties and refuses, by name, what it cannot apply; nothing is
 * written to stdout.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { tf } from '../../src/tf';
import {
  Bidirectional, Dense, Embedding, EmbeddingBag, Functional, GRU, GRUCell, L1, L1L2, L2, LSTM, LSTMCell, MaxNorm, MinMaxNorm, NonNeg, RNN,
  RecurrentConfigError, Regularizer, Sequential, SimpleRNN, TimeDistributed, UnitNorm, constraints, loadModel, regularizers, resetNames,
} from '../../src';
import { onEachBackend } from '../helpers/backends';
import { scratchDir } from '../helpers/scratch';

const value = (t: tf.Scalar | tf.Scalar[]) => (Array.isArray(t) ? t[0] : t).dataSync()[0];
const sumSq = (t: tf.Tensor) => tf.tidy(() => tf.sum(tf.square(t)).dataSync()[0]);
const sumAbs = (t: tf.Tensor) => tf.tidy(() => tf.sum(tf.abs(t)).dataSync()[0]);

describe('the options', () => {
  beforeEach(() => resetNames());

  test("a layer takes a regularizer as an object, Keras's name, a config ours or Keras's, or tfjs's own, and writes Keras's class", () => {
    const specs: Array<[unknown, string, Record<string, number>]> = [
      [regularizers.l2(0.05), 'L2', { l2: 0.05 }],
      [regularizers.l2({ l2: 0.05 }), 'L2', { l2: 0.05 }],
      [new L1({ l1: 0.3 }), 'L1', { l1: 0.3 }],
      [regularizers.l1l2(0.1, 0.2), 'L1L2', { l1: 0.1, l2: 0.2 }],
      ['l2', 'L2', { l2: 0.01 }],
      ['L1', 'L1', { l1: 0.01 }],
      ['l1l2', 'L1L2', { l1: 0, l2: 0 }],
      [{ className: 'L2', config: { l2: 0.5 } }, 'L2', { l2: 0.5 }],
      [{ class_name: 'L1L2', config: { l1: 0.5 }, module: 'keras.regularizers' }, 'L1L2', { l1: 0.5, l2: 0 }],
      [tf.regularizers.l2({ l2: 0.25 }), 'L1L2', { l1: 0, l2: 0.25 }],
    ];
    for (const [spec, className, config] of specs) {
      const cfg = new Dense({ units: 1, kernelRegularizer: spec as never }).getConfig();
      expect(cfg.kernelRegularizer).toEqual({ className, config });
    }
    expect(new L1L2().getConfig()).toEqual({ l1: 0, l2: 0 }); // Keras 3's defaults
    expect(new L1().l1).toBe(0.01);
    expect(new L2().l2).toBe(0.01);
  });

  test("a layer takes a constraint as an object, Keras's name in either spelling, a config ours or Keras's, or tfjs's own", () => {
    const specs: Array<[unknown, string, Record<string, unknown>]> = [
      [constraints.maxNorm({ maxValue: 3, axis: 1 }), 'MaxNorm', { maxValue: 3, axis: 1 }],
      ['max_norm', 'MaxNorm', { maxValue: 2, axis: 0 }],
      ['maxNorm', 'MaxNorm', { maxValue: 2, axis: 0 }],
      ['non_neg', 'NonNeg', {}],
      [new UnitNorm({ axis: [0, 1] }), 'UnitNorm', { axis: [0, 1] }],
      ['min_max_norm', 'MinMaxNorm', { minValue: 0, maxValue: 1, rate: 1, axis: 0 }],
      [{ className: 'MinMaxNorm', config: { minValue: 0.5, rate: 0.5 } }, 'MinMaxNorm', { minValue: 0.5, maxValue: 1, rate: 0.5, axis: 0 }],
      [{ class_name: 'MaxNorm', config: { max_value: 4, axis: 0 } }, 'MaxNorm', { maxValue: 4, axis: 0 }],
      [tf.constraints.maxNorm({ maxValue: 5, axis: 1 }), 'MaxNorm', { maxValue: 5, axis: 1 }],
      [tf.constraints.nonNeg(), 'NonNeg', {}],
    ];
    for (const [spec, className, config] of specs) {
      expect(new Dense({ units: 1, biasConstraint: spec as never }).getConfig().biasConstraint).toEqual({ className, config });
    }
  });

  test('every layer with weights takes its options, and its config holds them', () => {
    const l2 = { className: 'L2', config: { l2: 0.1 } };
    const mn = { className: 'MaxNorm', config: { maxValue: 2, axis: 0 } };
    const rec = { kernelRegularizer: l2, recurrentRegularizer: l2, biasRegularizer: l2, kernelConstraint: mn, recurrentConstraint: mn, biasConstraint: mn };
    for (const layer of [new LSTM({ units: 2, ...rec, activityRegularizer: l2 }), new GRU({ units: 2, ...rec, activityRegularizer: l2 }), new SimpleRNN({ units: 2, ...rec, activityRegularizer: l2 })]) {
      expect(layer.getConfig()).toMatchObject({ ...rec, activityRegularizer: l2 });
    }
    for (const cell of [new LSTMCell({ units: 2, ...rec }), new GRUCell({ units: 2, ...rec })]) expect(cell.getConfig()).toMatchObject(rec);
    expect(new RNN({ cell: new LSTMCell({ units: 2, ...rec }), activityRegularizer: l2 }).getConfig()).toMatchObject({ activityRegularizer: l2, cell: { config: rec } });
    const emb = { embeddingsRegularizer: l2, embeddingsConstraint: mn, activityRegularizer: l2 };
    expect(new Embedding({ inputDim: 3, outputDim: 2, ...emb }).getConfig()).toMatchObject(emb);
    expect(new EmbeddingBag({ inputDim: 3, outputDim: 2, ...emb }).getConfig()).toMatchObject(emb);
    expect(new Dense({ units: 2, kernelRegularizer: l2, biasRegularizer: l2, kernelConstraint: mn, biasConstraint: mn, activityRegularizer: l2 }).getConfig())
      .toMatchObject({ kernelRegularizer: l2, biasRegularizer: l2, kernelConstraint: mn, biasConstraint: mn, activityRegularizer: l2 });
    const bi = new Bidirectional({ layer: new LSTM({ units: 2, ...rec }), activityRegularizer: l2 });
    expect(bi.getConfig()).toMatchObject({ activityRegularizer: l2, layer: { config: rec } });
    expect(bi.backwardLayer.getConfig()).toMatchObject(rec); // the copy keeps them
    expect(new TimeDistributed({ layer: new Dense({ units: 2 }), activityRegularizer: l2 }).getConfig()).toMatchObject({ activityRegularizer: l2 });
    expect(new LSTM({ units: 2 }).getConfig()).not.toHaveProperty('kernelRegularizer'); // none set, none written
  });

  test('a bad regularizer or constraint is an error naming the layer, the option, what was expected and what was received', () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [() => new LSTM({ units: 2, kernelRegularizer: 'l3' }), /^LSTM: kernelRegularizer must be a regularizer \(L1, L2, L1L2\), its name \('l1', 'l2', 'l1l2'\) .*; unknown class 'l3' \(did you mean 'L1'\?\), got 'l3'$/],
      [() => new GRU({ units: 2, recurrentRegularizer: 3 as never }), /^GRU: recurrentRegularizer must be a regularizer .*, got 3$/],
      [() => new Dense({ units: 2, kernelRegularizer: { className: 'OrthogonalRegularizer', config: {} } }), /^Dense: kernelRegularizer must be .*unknown class 'OrthogonalRegularizer'/],
      [() => new Dense({ units: 2, biasRegularizer: { className: 'L2', config: { l1: 0.1 } } }), /^Dense: biasRegularizer: L2: unknown option 'l1'; known options: l2$/],
      [() => new Embedding({ inputDim: 3, outputDim: 2, embeddingsRegularizer: { className: 'L2', config: { l2: -1 } } }), /^Embedding: embeddingsRegularizer: L2: l2 must be a non-negative number, got -1$/],
      [() => regularizers.l2(NaN), /^L2: l2 must be a non-negative number, got NaN$/],
      [() => new L1L2({ l3: 1 } as never), /^L1L2: unknown option 'l3'; known options: l1, l2$/],
      [() => new SimpleRNN({ units: 2, kernelConstraint: 'max' }), /^SimpleRNN: kernelConstraint must be a constraint \(MaxNorm, NonNeg, UnitNorm, MinMaxNorm\), its name \('max_norm', 'non_neg', 'unit_norm', 'min_max_norm'\).*unknown class 'max'/],
      [() => new LSTM({ units: 2, biasConstraint: { className: 'MaxNorm', config: { maxValue: -2 } } }), /^LSTM: biasConstraint: MaxNorm: maxValue must be a non-negative number, got -2$/],
      [() => constraints.maxNorm({ axis: 0.5 }), /^MaxNorm: axis must be an integer or a list of distinct integers, got 0.5$/],
      [() => constraints.minMaxNorm({ minValue: 2, maxValue: 1 }), /^MinMaxNorm: maxValue must be a number >= minValue \(2\), got 1$/],
      [() => constraints.minMaxNorm({ rate: 2 }), /^MinMaxNorm: rate must be a number in \[0, 1\], got 2$/],
      [() => new LSTMCell({ units: 2, activityRegularizer: 'l2' } as never), /^LSTMCell: activityRegularizer goes on the RNN that runs the cell/],
      [() => new TimeDistributed({ layer: new Dense({ units: 2, activityRegularizer: 'l2' }) }), /^TimeDistributed: its layer 'dense_\d+' \(Dense\) has an activityRegularizer, which Keras 3's TimeDistributed never applies/],
    ];
    for (const [make, re] of cases) {
      expect(make).toThrow(RecurrentConfigError);
      expect(make).toThrow(re);
    }
  });

  test("a constraint whose axis the weight lacks is an error naming the layer and the weight when the layer is built", () => {
    const dense = new Dense({ units: 2, kernelConstraint: constraints.maxNorm({ axis: 2 }) });
    expect(() => dense.build([null, 3])).toThrow(/^Dense \(layer 'dense'\): weight 'kernel': MaxNorm's axis 2 does not exist in a weight of shape \[3, 2\] \(rank 2\)$/);
    const rnn = new SimpleRNN({ units: 2, biasConstraint: constraints.unitNorm({ axis: -2 }) });
    expect(() => rnn.build([null, 4, 3])).toThrow(/^SimpleRNN: weight 'bias': UnitNorm's axis -2 does not exist in a weight of shape \[2\] \(rank 1\)$/);
    expect(() => new Sequential({ layers: [new LSTM({ units: 2, inputShape: [4, 3], recurrentConstraint: constraints.maxNorm({ axis: [0, 2] }) })] })).toThrow(
      /^LSTM: weight 'lstm\/recurrent_kernel': MaxNorm's axis \[0, 2\] does not exist in a weight of shape \[2, 8\] \(rank 2\)$/,
    );
  });
});

onEachBackend(() => {
  const dir = scratchDir('penalties-');
  beforeEach(() => resetNames());

  test('setWeights writes a constrained weight as given; the step then constrains it', async () => {
    const model = new Sequential({ layers: [new Dense({ units: 2, inputShape: [3], kernelConstraint: constraints.unitNorm(), biasConstraint: 'non_neg' })] });
    const W = tf.tensor2d([[3, 0], [4, 1], [0, 2]]);
    const b = tf.tensor1d([-1, 1]);
    model.layers[0].setWeights([W, b]);
    expect(model.layers[0].getWeights()[0].arraySync()).toEqual(W.arraySync());
    model.compile({ optimizer: tf.train.sgd(0), loss: 'mse' }); // a step of 0: only the constraints move the weights
    await model.fit(tf.ones([2, 3]), tf.ones([2, 2]), { verbose: 0 });
    const [W1, b1] = model.layers[0].getWeights();
    expect(tf.tidy(() => tf.norm(W1, 'euclidean', 0).arraySync() as number[]).map((n) => Math.round(n * 1e5) / 1e5)).toEqual([1, 1]);
    expect(b1.arraySync()).toEqual([0, 1]);
    model.dispose();
    tf.dispose([W, b]);
  });

  test('a frozen layer adds no weight penalty (its activity penalty stays); a shared layer adds its weights once', () => {
    const x = tf.tensor2d([[1, 2], [3, -1], [0.5, 0]]);
    const y = tf.zeros([3, 2]);
    const dense = new Dense({ units: 2, kernelRegularizer: regularizers.l2(0.1), activityRegularizer: regularizers.l1(0.2), useBias: false });
    const input = tf.input({ shape: [2] });
    const a = dense.apply(input) as tf.SymbolicTensor;
    const both = tf.layers.add().apply([a, dense.apply(input) as tf.SymbolicTensor]) as tf.SymbolicTensor; // the layer called twice
    const model = new Functional({ inputs: input, outputs: both });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const W = dense.getWeights()[0];
    const out = dense.apply(x) as tf.Tensor;
    const mse = tf.tidy(() => tf.mean(tf.square(tf.mul(out, 2))).dataSync()[0]);
    const activity = (2 * 0.2 * sumAbs(out)) / 3; // twice: once a call
    const l = model.evaluate(x, y, { batchSize: 3 }) as tf.Scalar;
    expect(value(l)).toBeCloseTo(mse + 0.1 * sumSq(W) + activity, 5);
    dense.trainable = false;
    const frozen = model.evaluate(x, y, { batchSize: 3 }) as tf.Scalar;
    expect(value(frozen)).toBeCloseTo(mse + activity, 5);
    tf.dispose([x, y, out, l, frozen]);
    model.dispose();
  });

  test("tfjs's own layers in our model: their regularizer is in the loss, their constraint applied after each step", async () => {
    const model = new Sequential({
      layers: [
        new LSTM({ units: 3, inputShape: [4, 2] }),
        tf.layers.dense({ units: 2, kernelRegularizer: tf.regularizers.l2({ l2: 0.5 }), kernelConstraint: tf.constraints.maxNorm({ maxValue: 0.1 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'mse' });
    const [x, y] = [tf.randomNormal([3, 4, 2], 0, 1, 'float32', 1), tf.zeros([3, 2])];
    const K = model.layers[1].getWeights()[0];
    const pred = model.predict(x) as tf.Tensor;
    const mse = tf.tidy(() => tf.mean(tf.square(pred)).dataSync()[0]);
    expect(value(model.evaluate(x, y) as tf.Scalar)).toBeCloseTo(mse + 0.5 * sumSq(K), 5);
    await model.fit(x, y, { verbose: 0 });
    const norms = tf.tidy(() => tf.norm(model.layers[1].getWeights()[0], 'euclidean', 0).arraySync() as number[]);
    norms.forEach((n) => expect(n).toBeLessThanOrEqual(0.1 + 1e-6));
    tf.dispose([x, y, pred]); // K is the variable itself
    model.dispose();
  });

  test("tfjs's own LayersModel takes our weight penalties; an activity regularizer or a constraint there is an error naming the layer", async () => {
    const [x, y] = [tf.randomNormal([3, 4, 2], 0, 1, 'float32', 2), tf.zeros([3, 1])];
    const lstm = new LSTM({ units: 1, inputShape: [4, 2], recurrentRegularizer: regularizers.l1(0.3) });
    const native = tf.sequential({ layers: [lstm] });
    native.compile({ optimizer: tf.train.sgd(0), loss: 'meanSquaredError' });
    const mse = tf.tidy(() => tf.mean(tf.square(native.predict(x) as tf.Tensor)).dataSync()[0]);
    const h = await native.fit(x, y, { verbose: 0 });
    expect(h.history.loss[0] as number).toBeCloseTo(mse + 0.3 * sumAbs(lstm.getWeights()[1]), 5);
    native.dispose();
    for (const layer of [new LSTM({ units: 1, inputShape: [4, 2], activityRegularizer: 'l2' }), new Bidirectional({ layer: new GRU({ units: 1, kernelConstraint: 'non_neg' }), inputShape: [4, 2] })]) {
      const m = tf.sequential({ layers: [layer, tf.layers.dense({ units: 1 })] });
      m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(
        /^(LSTM \(layer 'lstm(_\d+)?'\) has an activityRegularizer|Bidirectional \(layer 'bidirectional'\): weight 'bidirectional\/forward_gru\/kernel' has a constraint), which tfjs's own LayersModel \(tf.sequential, tf.model\) does not apply/,
      );
      m.dispose();
    }
    tf.dispose([x, y]);
  });

  test('saved and loaded in our format: the options come back, and the reloaded model takes the same step', async () => {
    const make = () =>
      new Sequential({
        layers: [
          new Embedding({ inputDim: 10, outputDim: 3, inputLength: 4, embeddingsRegularizer: 'l2', embeddingsConstraint: constraints.maxNorm({ maxValue: 0.5, axis: 1 }) }),
          new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true, recurrentRegularizer: regularizers.l1l2(0.01, 0.02), kernelConstraint: 'unitNorm', activityRegularizer: regularizers.l2(0.1) }) }),
          new RNN({ cell: [new LSTMCell({ units: 2, biasRegularizer: 'l1' }), new GRUCell({ units: 2, recurrentConstraint: constraints.minMaxNorm({ minValue: 0.5, rate: 0.5 }) })] }),
          new Dense({ units: 1, kernelRegularizer: new L1({ l1: 0.05 }), biasConstraint: new NonNeg(), activityRegularizer: 'l1' }),
        ],
      });
    const model = make();
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const [x, y] = [tf.tensor2d([[1, 2, 0, 3], [4, 0, 0, 9]], [2, 4], 'int32'), tf.tensor2d([[0.5], [-0.5]])];
    await model.save(`file://${path.join(dir(), 'm')}`);
    const back = (await loadModel(path.join(dir(), 'm'))) as Sequential;
    back.compile({ optimizer: 'adam', loss: 'mse' });
    back.layers.forEach((l, i) => expect(l.getConfig()).toEqual(model.layers[i].getConfig()));
    const [l0, l1] = [model.evaluate(x, y) as tf.Scalar, back.evaluate(x, y) as tf.Scalar];
    expect(value(l1)).toBeCloseTo(value(l0), 6);
    await model.fit(x, y, { verbose: 0 });
    await back.fit(x, y, { verbose: 0 });
    back.getWeights().forEach((w, i) => expect(tf.tidy(() => tf.max(tf.abs(tf.sub(w, model.getWeights()[i]))).dataSync()[0])).toBeLessThan(1e-6));
    tf.dispose([x, y, l0, l1]);
    model.dispose();
    back.dispose();
  });

  test('a regularizer class of your own, registered, trains and saves', async () => {
    class Quartic extends Regularizer {
      static className = 'QuarticForTest';
      constructor(readonly lambda = 0.01) {
        super();
      }
      apply(x: tf.Tensor): tf.Scalar {
        return tf.tidy(() => tf.mul(this.lambda, tf.sum(tf.pow(x, 4)))) as tf.Scalar;
      }
      getConfig() {
        return { lambda: this.lambda };
      }
      static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
        return new (cls as unknown as new (l: number) => T)(config.lambda as number);
      }
    }
    tf.serialization.registerClass(Quartic);
    const model = new Sequential({ layers: [new Dense({ units: 1, inputShape: [2], kernelRegularizer: new Quartic(0.5), useBias: false })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [tf.zeros([1, 2]), tf.zeros([1, 1])];
    const W = model.getWeights()[0];
    expect(value(model.evaluate(x, y) as tf.Scalar)).toBeCloseTo(tf.tidy(() => 0.5 * tf.sum(tf.pow(W, 4)).dataSync()[0]), 6);
    await model.save(`file://${path.join(dir(), 'q')}`);
    const back = (await loadModel(path.join(dir(), 'q'))) as Sequential;
    expect(back.layers[0].getConfig().kernelRegularizer).toEqual({ className: 'QuarticForTest', config: { lambda: 0.5 } });
    tf.dispose([x, y]);
    model.dispose();
    back.dispose();
  });

  test('fit, evaluate and trainOnBatch with every kind of penalty write nothing to stdout or stderr', async () => {
    const model = new Sequential({
      layers: [new LSTM({ units: 2, inputShape: [3, 2], kernelRegularizer: 'l2', activityRegularizer: 'l1', recurrentConstraint: new MaxNorm() }), new Dense({ units: 1, biasConstraint: new MinMaxNorm() })],
    });
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const [x, y] = [tf.ones([2, 3, 2]), tf.ones([2, 1])];
    const out = jest.spyOn(process.stdout, 'write');
    const err = jest.spyOn(process.stderr, 'write');
    await model.fit(x, y, { epochs: 2, verbose: 0, validationData: [x, y] });
    tf.dispose(model.evaluate(x, y));
    await model.trainOnBatch(x, y);
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    out.mockRestore();
    err.mockRestore();
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe("the guide's example", () => {
  const GUIDE = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'guide.md'), 'utf8');
  const BLOCK = [...GUIDE.matchAll(/```ts\n([\s\S]*?)\n```/g)].map((m) => m[1]).find((b) => b.includes('regularizers.l2(1e-4)'))!;

  test('runs as written: it trains, its loss holds the penalties, its layers hold their options', async () => {
    const body = BLOCK.replace(/^import\s+(\{[^}]*\})\s+from\s+'([^']+)';?$/gm, (_, names, mod) => `const ${names} = require('${mod}');`);
    const js = ts.transpileModule(`(() => {\n${body}\nreturn model;\n})()`, { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS } }).outputText;
    const requireFor = (m: string) => (m === 'tfjs-recurrent' ? require('../../src') : require(m));
    const logged: unknown[][] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logged.push(a));
    try {
      const model = new Function('require', `return ${js.replace(/^"use strict";\s*/, '').replace(/;\s*$/, '')};`)(requireFor) as Sequential;
      for (let i = 0; i < 200 && logged.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(logged[0][0]).toBe('loss, penalties included:');
      const losses = logged[0][1] as number[];
      expect(losses).toHaveLength(3);
      losses.forEach((l) => expect(Number.isFinite(l)).toBe(true));
      expect(model.layers[1].getConfig()).toMatchObject({
        kernelRegularizer: { className: 'L2', config: { l2: 0.01 } }, recurrentConstraint: { className: 'MaxNorm', config: { maxValue: 3, axis: 0 } },
        activityRegularizer: { className: 'L1', config: { l1: 1e-5 } },
      });
      expect(tf.tidy(() => tf.min(model.layers[2].getWeights()[0]).dataSync()[0])).toBeGreaterThanOrEqual(0); // non_neg after the steps
      model.dispose();
    } finally {
      log.mockRestore();
    }
  });
});

test('the regularizers and constraints are the classes Keras names', () => {
  expect([new L1(), new L2(), new L1L2(), new MaxNorm(), new NonNeg(), new UnitNorm(), new MinMaxNorm()].map((p) => p.getClassName())).toEqual([
    'L1', 'L2', 'L1L2', 'MaxNorm', 'NonNeg', 'UnitNorm', 'MinMaxNorm',
  ]);
  expect(regularizers.l1l2({ l1: 0.1 })).toBeInstanceOf(L1L2);
  expect(constraints.nonNeg()).toBeInstanceOf(NonNeg);
});
