/**
 * Nadam and AdamW give Keras 3's weights step by step on fixed gradients
 * (test/fixtures/training.json, from real Keras 3), with Keras's defaults and
 * other settings, and through `compile({ optimizer: 'nadam' | 'adamw' })`;
 * their state goes through getWeights/setWeights and a save; bad settings are
 * errors naming the argument.
 */
import * as path from 'path';
import { tf } from '../../src/tf';
import { AdamW, Nadam, RecurrentConfigError, loadModel } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { scratchDir } from '../helpers/scratch';
import { TRAINING, expectNear, kerasModel, weightsOf } from '../helpers/keras_training';

type Case = (typeof TRAINING.optimizers)[number];
const scratch = scratchDir('tfjs-recurrent-keras-optimizers-');

function make(c: Case): tf.Optimizer {
  const a = c.args;
  return c.class === 'Nadam' ? new Nadam(a.learningRate, a.beta1, a.beta2, a.epsilon) : new AdamW(a.learningRate, a.weightDecay, a.beta1, a.beta2, a.epsilon);
}

/** Applies the case's gradients from step `from` to `to` to `vars`; the values after each step. */
function steps(opt: tf.Optimizer, vars: tf.Variable[], c: Case, from: number, to: number): number[][][] {
  const out: number[][][] = [];
  for (let s = from; s < to; s++) {
    const grads = c.gradients[s].map((g, i) => ({ name: vars[i].name, tensor: tf.tensor(g as number[], vars[i].shape) }));
    opt.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
    out.push(vars.map((v) => Array.from(v.dataSync())));
  }
  return out;
}

const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);

onEachBackend(() => {
  for (const c of TRAINING.optimizers) {
    test(`${c.name}: Keras 3's variables after each of ${c.gradients.length} steps`, () => {
      const vars = c.theta.map((t, i) => tf.variable(tf.tensor(t as number[]), true, `opt_${c.class}_${i}_${Math.random()}`));
      const opt = make(c);
      const first = steps(opt, vars, c, 0, 1);
      const tensors = tf.memory().numTensors; // the moments exist now
      const rest = steps(opt, vars, c, 1, c.gradients.length);
      expect(tf.memory().numTensors).toBe(tensors);
      [...first, ...rest].forEach((values, s) => expectNear(values.flat(), flat(c.steps[s]), 1e-6, 1e-7, `step ${s + 1}`));
      opt.dispose();
      tf.dispose(vars);
    });

    test(`${c.name}: getWeights then setWeights on a new one carries on as Keras`, async () => {
      const vars = c.theta.map((t, i) => tf.variable(tf.tensor(t as number[]), true, `opt_${c.class}_${i}_${Math.random()}`));
      const opt = make(c);
      steps(opt, vars, c, 0, 3);
      const weights = await opt.getWeights();
      expect(weights.map((w) => w.name.replace(/^opt_\w+?_(\d)_[\d.]+/, 'var$1'))).toEqual(
        ['iter', 'var0/m', 'var1/m', 'var0/v', 'var1/v', ...(c.class === 'Nadam' ? ['u_product'] : [])],
      );
      const again = make(c);
      await again.setWeights(weights.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) })));
      const rest = steps(again, vars, c, 3, c.gradients.length);
      rest.forEach((values, s) => expectNear(values.flat(), flat(c.steps[s + 3]), 1e-6, 1e-7, `step ${s + 4}`));
      opt.dispose();
      again.dispose();
      tf.dispose(vars);
    });
  }

  for (const n of TRAINING.namedOptimizers) {
    test(`compile({ optimizer: '${n.optimizer}' }) trains as Keras's '${n.optimizer}' (its defaults)`, async () => {
      const model = kerasModel(n.model, n.weights);
      model.compile({ optimizer: n.optimizer, loss: 'mse' });
      expect(model.optimizer).toBeInstanceOf(n.optimizer === 'nadam' ? Nadam : AdamW);
      const [x, y] = [tf.tensor(n.x as number[]), tf.tensor(n.y as number[])];
      const h = await model.fit(x, y, { batchSize: 4, epochs: 3, shuffle: false, verbose: 0 });
      expectNear(h.history.loss as number[], n.loss, 1e-5, 1e-6, 'loss');
      expectNear(weightsOf(model), n.after, 2e-5, 1e-6, 'weights');
      tf.dispose([x, y]);
      model.dispose(); // disposes the optimizer it made
    });
  }
});

test('the defaults are Keras 3\'s, and the class names Keras\'s (Nadam, AdamW: also in compile)', () => {
  const keras = Object.fromEntries(TRAINING.optimizers.filter((c) => Object.keys(c.args).length === 0).map((c) => [c.class, c.kerasConfig]));
  const nadam = new Nadam().getConfig();
  const adamw = new AdamW().getConfig();
  expect(nadam).toEqual({ learningRate: 0.001, beta1: keras.Nadam.beta_1, beta2: keras.Nadam.beta_2, epsilon: keras.Nadam.epsilon });
  expect(adamw).toEqual({ learningRate: 0.001, beta1: keras.AdamW.beta_1, beta2: keras.AdamW.beta_2, epsilon: keras.AdamW.epsilon, weightDecay: keras.AdamW.weight_decay });
  expect([new Nadam().getClassName(), new AdamW().getClassName()]).toEqual(['Nadam', 'AdamW']);
});

test.each([
  ['AdamW', () => new AdamW(0.01, 0.1), AdamW],
  ['Nadam', () => new Nadam(0.01), Nadam],
] as const)('a model saved with its %s comes back with one of the same settings and state (Nadam\'s u_product too)', async (name, make, cls) => {
  const n = TRAINING.namedOptimizers[1];
  const model = kerasModel(n.model, n.weights);
  model.compile({ optimizer: make(), loss: 'mse' });
  const [x, y] = [tf.tensor(n.x as number[]), tf.tensor(n.y as number[])];
  await model.fit(x, y, { batchSize: 4, epochs: 2, verbose: 0 });
  const dir = path.join(scratch(), name);
  await model.save(`file://${dir}`, { includeOptimizer: true } as never);
  const back = await loadModel(dir);
  expect(back.optimizer).toBeInstanceOf(cls);
  expect(back.optimizer.getConfig()).toEqual(model.optimizer.getConfig());
  expect(back.optimizer.iterations).toBe(2);
  const names = (await back.optimizer.getWeights()).map((w) => w.name);
  expect(names[names.length - 1]).toEqual(name === 'Nadam' ? 'u_product' : expect.stringMatching(/\/v$/));
  await back.fit(x, y, { batchSize: 4, epochs: 1, verbose: 0 });
  await model.fit(x, y, { batchSize: 4, epochs: 1, verbose: 0 });
  expectNear(weightsOf(back), weightsOf(model), 1e-6, 1e-7, 'weights after one more step');
  tf.dispose([x, y]);
  model.dispose();
  back.dispose();
});

test.each([
  [() => new AdamW(0.001, -0.1), /^AdamW: weightDecay must be a number ≥ 0, got -0.1$/],
  [() => new AdamW(0), /^AdamW: learningRate must be a number > 0, got 0$/],
  [() => new Nadam(0.001, 1), /^Nadam: beta1 must be a number ≥ 0 and < 1, got 1$/],
  [() => new Nadam(0.001, 0.9, 0.999, NaN), /^Nadam: epsilon must be a number ≥ 0, got NaN$/],
])('bad settings are errors naming the argument (%#)', (make, message) => {
  expect(make).toThrow(RecurrentConfigError);
  expect(make).toThrow(message);
});
