/**
 * Sample weights in evaluate, fit and trainOnBatch give Keras 3's numbers
 * (test/fixtures/training.json, from real Keras 3): per sample [B] and per
 * step [B, T], over one batch or several; the metrics unweighted, as Keras
 * 3's `metrics`; validation data with weights; validationSplit splitting the
 * weights; classWeight as before. Bad weights are errors naming the call and
 * the argument, before any tensor work, the model unchanged.
 */
import { tf } from '../../src/tf';
import { Functional, Dense, LSTM, RecurrentConfigError, RecurrentInputError } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { TRAINING, expectNear, kerasModel, weightsOf } from '../helpers/keras_training';

const values = (r: tf.Scalar | tf.Scalar[]) => (Array.isArray(r) ? r : [r]).map((s) => s.dataSync()[0]);

onEachBackend(() => {
  describe('evaluate', () => {
    for (const c of TRAINING.evaluate) {
      test(`${c.name}: Keras 3's weighted loss in one batch and in batches of 3, metrics unweighted`, () => {
        const model = kerasModel(c.model, c.weights);
        model.compile({ optimizer: 'sgd', loss: c.loss, metrics: c.metrics });
        const [x, y, w] = [tf.tensor(c.x as number[]), tf.tensor(c.y as number[]), tf.tensor(c.sampleWeight as number[])];
        const before = tf.memory().numTensors;
        const r4 = model.evaluate(x, y, { sampleWeight: w, batchSize: 4 });
        const r3 = model.evaluate(x, y, { sampleWeight: w, batchSize: 3 });
        const [l4, m4] = values(r4);
        const [l3] = values(r3);
        tf.dispose([r4, r3]);
        expect(tf.memory().numTensors).toBe(before);
        expectNear(l4, c.loss4, 1e-5, 1e-6, 'loss');
        expectNear(l3, c.loss3, 1e-5, 1e-6, 'loss in batches of 3');
        expect(Math.abs(l4 - c.unweightedLoss)).toBeGreaterThan(1e-3); // the weights matter here
        expectNear(m4, c[c.metrics[0]] as number, 1e-5, 1e-6, c.metrics[0]);
        expect(Math.abs(m4 - (c.weightedMetric as number))).toBeGreaterThan(0.01); // Keras's weighted_metrics value differs
        const u = model.evaluate(x, y, { batchSize: 4 });
        expectNear(values(u)[0], c.unweightedLoss, 1e-5, 1e-6, 'unweighted loss');
        if (c.perSampleWeight != null) {
          // One weight per sample on an output with a time axis: each step of the sample weighed alike,
          // as Keras 3 does for [B, 1] ([B] the same here).
          for (const ws of [tf.tensor1d(c.perSampleWeight), tf.tensor2d(c.perSampleWeight, [c.perSampleWeight.length, 1])]) {
            const r = model.evaluate(x, y, { sampleWeight: ws, batchSize: 4 });
            expectNear(values(r)[0], c.perSampleLoss!, 1e-5, 1e-6, `per-sample loss, weights ${ws.shape}`);
            tf.dispose([r, ws]);
          }
        }
        tf.dispose([u, x, y, w]);
        model.dispose();
      });
    }
  });
});

onEachBackend(() => {
  describe('fit and trainOnBatch', () => {
    for (const c of TRAINING.fit) {
      test(`${c.name}: Keras 3's losses and weights after training`, async () => {
        const model = kerasModel(c.model, c.weights);
        model.compile({ optimizer: tf.train.sgd(c.optimizer.learningRate), loss: c.loss, metrics: c.metrics });
        const [x, y] = [tf.tensor(c.x as number[]), tf.tensor(c.y as number[])];
        const w = c.sampleWeight == null ? undefined : tf.tensor(c.sampleWeight as number[]);
        const validation = c.validation?.map((v) => tf.tensor(v as number[]));
        const before = tf.memory().numTensors;
        if (c.trainOnBatch != null) {
          const loss = await model.trainOnBatch(x, y, { sampleWeight: w });
          expectNear((loss as number[])[0], c.trainOnBatch, 1e-5, 1e-6, 'trainOnBatch loss');
        } else {
          const classWeight = c.classWeight && Object.fromEntries(Object.entries(c.classWeight).map(([k, v]) => [Number(k), v]));
          const h = await model.fit(x, y, {
            ...c.fitArgs, shuffle: false, verbose: 0, sampleWeight: w, classWeight,
            validationData: validation as [tf.Tensor, tf.Tensor, tf.Tensor] | undefined,
          });
          for (const [key, keras] of Object.entries(c.history!)) expectNear(h.history[key] as number[], keras, 1e-5, 1e-6, key);
        }
        expect(tf.memory().numTensors).toBe(before);
        expectNear(weightsOf(model), c.after, 1e-4, 1e-5, 'weights after training');
        tf.dispose([x, y, ...(w ? [w] : []), ...(validation ?? [])]);
        model.dispose();
      });
    }
  });
});

describe('bad weights', () => {
  const c = TRAINING.evaluate[0]; // LSTM → Dense(1), 4 samples
  const seq = TRAINING.evaluate[1]; // GRU(return_sequences) → Dense(3), output [4, 4, 3]
  const setup = (spec = c) => {
    const model = kerasModel(spec.model, spec.weights, 'clf');
    model.compile({ optimizer: 'sgd', loss: spec.loss, metrics: spec.metrics });
    return { model, x: tf.tensor(spec.x as number[]), y: tf.tensor(spec.y as number[]) };
  };

  test.each([
    ['wrong length', () => tf.tensor1d([1, 2, 3]), /^fit \(model 'clf'\): sampleWeight must have shape \[4\] or \[4, 1\] \(one weight per sample\), got \[3\]$/],
    ['per step on an output without a time axis', () => tf.ones([4, 5]), /^fit \(model 'clf'\): sampleWeight must have shape \[4\] or \[4, 1\] \(one weight per sample\), got \[4, 5\]$/],
    ['rank 3', () => tf.ones([4, 1, 1]), /sampleWeight must have shape \[4\] or \[4, 1\] \(one weight per sample\), got \[4, 1, 1\]/],
    ['negative', () => tf.tensor1d([1, -0.5, 0, 2]), /^fit \(model 'clf'\): sampleWeight must hold finite weights ≥ 0, got -0.5 at \[1\]$/],
    ['NaN', () => tf.tensor1d([1, 1, NaN, 2]), /sampleWeight must hold finite weights ≥ 0, got NaN at \[2\]/],
    ['infinite', () => tf.tensor2d([[1], [Infinity], [1], [1]]), /sampleWeight must hold finite weights ≥ 0, got Infinity at \[1, 0\]/],
    ['ragged array', () => [[1, 2], [3]] as unknown as tf.Tensor, /fit \(model 'clf'\): sampleWeight: expects a Tensor or a nested array of numbers, got a ragged array/],
    ['a string', () => 'ones' as unknown as tf.Tensor, /^fit \(model 'clf'\): sampleWeight must be a Tensor or a nested array of numbers, got string$/],
  ])('fit refuses %s before any tensor work, the model unchanged', async (_, make, message) => {
    const { model, x, y } = setup();
    const w = make();
    const before = weightsOf(model);
    const count = tf.memory().numTensors;
    await expect(model.fit(x, y, { sampleWeight: w, epochs: 1, verbose: 0 })).rejects.toThrow(message);
    await expect(model.fit(x, y, { sampleWeight: w, epochs: 1, verbose: 0 })).rejects.toThrow(w instanceof tf.Tensor || Array.isArray(w) ? RecurrentInputError : RecurrentConfigError);
    expect(() => model.evaluate(x, y, { sampleWeight: w })).toThrow(/^evaluate \(model 'clf'\): sampleWeight/);
    await expect(model.trainOnBatch(x, y, { sampleWeight: w })).rejects.toThrow(/^trainOnBatch \(model 'clf'\): sampleWeight/);
    expect(tf.memory().numTensors).toBe(count);
    expect(weightsOf(model)).toEqual(before);
    expect(model.optimizer.iterations).toBe(0);
    tf.dispose([x, y, ...(w instanceof tf.Tensor ? [w] : [])]);
    model.dispose();
  });

  test('a per-step weight must have the output\'s time steps; the message names the shapes allowed', async () => {
    const { model, x, y } = setup(seq);
    const w = tf.ones([4, 3]);
    expect(() => model.evaluate(x, y, { sampleWeight: w })).toThrow(
      /^evaluate \(model 'clf'\): sampleWeight must have shape \[4\] or \[4, 1\] \(one weight per sample\) or \[4, 4\] \(one per step of the output 'dense(_\d+)?'\), got \[4, 3\]$/,
    );
    tf.dispose([x, y, w]);
    model.dispose();
  });

  test('validationData\'s weights are checked as sampleWeight is, named validationData[2]', async () => {
    const { model, x, y } = setup();
    const w = tf.tensor1d([1, 1, -1, 1]);
    await expect(model.fit(x, y, { validationData: [x, y, w], verbose: 0 })).rejects.toThrow(/^fit \(model 'clf'\): validationData\[2\] must hold finite weights ≥ 0, got -1 at \[2\]$/);
    expect(model.optimizer.iterations).toBe(0);
    tf.dispose([x, y, w]);
    model.dispose();
  });

  test('sampleWeight and classWeight together are refused, as Keras refuses them', async () => {
    const { model, x, y } = setup();
    const w = tf.ones([4]);
    await expect(model.fit(x, y, { sampleWeight: w, classWeight: { 0: 1, 1: 2 }, verbose: 0 })).rejects.toThrow(/^fit \(model 'clf'\): pass sampleWeight or classWeight, not both/);
    await expect(model.trainOnBatch(x, y, { sampleWeight: w, classWeight: { 0: 1, 1: 2 } })).rejects.toThrow(RecurrentConfigError);
    tf.dispose([x, y, w]);
    model.dispose();
  });

  test('an option of evaluate, fit or trainOnBatch that would be ignored is refused, with Keras\'s spelling named', async () => {
    const { model, x, y } = setup();
    const w = tf.ones([4]);
    expect(() => model.evaluate(x, y, { sample_weight: w } as never)).toThrow(/^evaluate \(model 'clf'\): unknown evaluate option 'sample_weight' \(did you mean 'sampleWeight'\?\)/);
    await expect(model.fit(x, y, { batch_size: 2 } as never)).rejects.toThrow(/unknown fit option 'batch_size' \(did you mean 'batchSize'\?\)/);
    await expect(model.trainOnBatch(x, y, w as never)).rejects.toThrow(/^trainOnBatch \(model 'clf'\): trainOnBatch's options must be an object such as \{ sampleWeight \}, got a Tensor$/);
    tf.dispose([x, y, w]);
    model.dispose();
  });
});

describe('weights on models with several outputs', () => {
  const c = TRAINING.evaluate[0];
  function twoHeads() {
    const input = tf.input({ shape: c.model.input });
    const h = new LSTM({ units: 4 }).apply(input) as tf.SymbolicTensor;
    const a = new Dense({ units: 1, activation: 'sigmoid', name: 'a' }).apply(h) as tf.SymbolicTensor;
    const b = new Dense({ units: 1, activation: 'sigmoid', name: 'b' }).apply(h) as tf.SymbolicTensor;
    const model = new Functional({ inputs: input, outputs: [a, b], name: 'heads' });
    const set = (i: number, ws: unknown[]) => { const t = ws.map((w) => tf.tensor(w as number[])); model.layers[i].setWeights(t); tf.dispose(t); };
    set(1, c.weights[0]);
    set(2, c.weights[1]);
    set(3, c.weights[1]);
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
    return model;
  }

  test('each output\'s loss is weighted by its own weights (by name, or one array per output); one weight serves all', () => {
    const model = twoHeads();
    const [x, y] = [tf.tensor(c.x as number[]), tf.tensor(c.y as number[])];
    const w = tf.tensor(c.sampleWeight as number[]);
    const ones = tf.ones([4]);
    const run = (sampleWeight: unknown) => { const r = model.evaluate([x], [y, y], { sampleWeight } as never); const v = values(r); tf.dispose(r); return v; };
    // Both heads are the same function: loss = weighted a + weighted b, and each head's loss is logged.
    const both = run(w);
    expectNear(both, [2 * c.loss4, c.loss4, c.loss4], 1e-5, 1e-6, 'one weight for both');
    const byName = run({ b: w });
    expectNear(byName, [c.unweightedLoss + c.loss4, c.unweightedLoss, c.loss4], 1e-5, 1e-6, 'by name, a unweighted');
    expectNear(run([ones, w]), byName, 1e-6, 1e-7, 'one per output');
    // Unweighted, the total is the sum of the outputs' losses (tfjs's own evaluate gave the first output's).
    const u = model.evaluate([x], [y, y]) as tf.Scalar[];
    expectNear(values(u), [2 * c.unweightedLoss, c.unweightedLoss, c.unweightedLoss], 1e-5, 1e-6, 'unweighted');
    tf.dispose(u);
    expect(() => run({ c: w })).toThrow(/^evaluate \(model 'heads'\): sampleWeight names no output 'c'; the outputs are 'a', 'b'$/);
    expect(() => run([w])).toThrow(/sampleWeight as an array of Tensors needs one per output \(2: a, b\), got 1/);
    tf.dispose([x, y, w, ones]);
    model.dispose();
  });

  test('fit\'s val_loss of a model with several outputs is the sum of the outputs\' losses, weighted or not', async () => {
    const model = twoHeads();
    const [x, y] = [tf.tensor(c.x as number[]), tf.tensor(c.y as number[])];
    const w = tf.tensor(c.sampleWeight as number[]);
    for (const validationData of [[[x], [y, y]], [[x], [y, y], w]]) {
      const h = await model.fit([x], [y, y], { epochs: 1, verbose: 0, validationData: validationData as never });
      const { val_loss, val_a_loss, val_b_loss } = h.history as Record<string, number[]>;
      expect(val_loss[0]).toBeCloseTo(val_a_loss[0] + val_b_loss[0], 5);
      expect(val_a_loss[0]).toBeCloseTo(val_b_loss[0], 5);
    }
    tf.dispose([x, y, w]);
    model.dispose();
  });
});
