/**
 * LearningRateScheduler and ReduceLROnPlateau change the rate the next
 * steps really use, on our Adam and on each of tfjs's optimizers (a rate
 * of 0 from the second epoch on must leave the weights as the first epoch
 * left them), log it as `learning_rate`, and fail at the start of fit,
 * naming the optimizer, when its rate cannot change.
 */
import { tf } from '../../src/tf';
import { Sequential, GRU, Dense, Adam, Nadam, AdamW, LearningRateScheduler, ReduceLROnPlateau, withGradientClipping, resetNames } from '../../src';
import { ScheduledAdam } from '../../src/sentiment/adam';
import { onEachBackend } from '../helpers/backends';

function model(optimizer: tf.Optimizer | string): Sequential {
  resetNames();
  const m = new Sequential({ layers: [new GRU({ units: 3, inputShape: [4, 2] }), new Dense({ units: 1 })] });
  m.compile({ optimizer, loss: 'mse' });
  return m;
}

const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

const OPTIMIZERS: Array<[string, () => tf.Optimizer | string]> = [
  ["'adam' (our fused Adam)", () => 'adam'],
  ['new Adam(0.01)', () => new Adam(0.01)],
  ['ScheduledAdam', () => new ScheduledAdam(0.01)],
  ["'nadam' (Nadam)", () => 'nadam'],
  ['new AdamW(0.01)', () => new AdamW(0.01)],
  ['new Nadam(0.01)', () => new Nadam(0.01)],
  ['tf.train.adam', () => tf.train.adam(0.01)],
  ['tf.train.sgd', () => tf.train.sgd(0.1)],
  ['tf.train.momentum', () => tf.train.momentum(0.1, 0.9)],
  ['tf.train.rmsprop', () => tf.train.rmsprop(0.01)],
  ['tf.train.adagrad', () => tf.train.adagrad(0.1)],
  ['tf.train.adadelta', () => tf.train.adadelta(1)],
  ['tf.train.adamax', () => tf.train.adamax(0.01)],
  ['withGradientClipping(tf.train.adam)', () => withGradientClipping(tf.train.adam(0.01), { clipnorm: 1 })],
];

onEachBackend(() => {
  test.each(OPTIMIZERS)('%s: a rate of 0 from epoch 1 on freezes the weights the first epoch left', async (_, make) => {
    const m = model(make());
    const [x, y] = [tf.randomNormal([8, 4, 2], 0, 1, 'float32', 5), tf.randomNormal([8, 1], 0, 1, 'float32', 6)];
    const after: number[][][] = [];
    const w0 = weights(m);
    const h = await m.fit(x, y, {
      epochs: 3, batchSize: 4, verbose: 0,
      callbacks: [new LearningRateScheduler((epoch, lr) => (epoch === 0 ? lr : 0)), new tf.CustomCallback({ onEpochEnd: async () => void after.push(weights(m)) })],
    });
    expect(after[0]).not.toEqual(w0); // the first epoch trained
    expect(after[2]).toEqual(after[0]);
    expect(h.history.learning_rate.slice(1)).toEqual([0, 0]);
    tf.dispose([x, y]);
    m.dispose();
  });

  test('ReduceLROnPlateau halves our Adam\'s rate at each plateau epoch down to minLr, logged as learning_rate', async () => {
    const m = model(new Adam(0.01));
    const [x, y] = [tf.randomNormal([8, 4, 2], 0, 1, 'float32', 7), tf.randomNormal([8, 1], 0, 1, 'float32', 8)];
    const plateau = [1, 1, 1, 1, 1, 1];
    const reduce = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1, minLr: 0.002 });
    const h = await m.fit(x, y, { epochs: 6, verbose: 0, callbacks: [new tf.CustomCallback({ onEpochEnd: async (e, l) => void (l!.loss = plateau[e]) }), reduce] });
    expect(h.history.learning_rate).toEqual([0.01, 0.01, 0.005, 0.0025, 0.002, 0.002].map(Math.fround));
    expect((m.optimizer as unknown as { learningRate: number }).learningRate).toBe(0.002);
    tf.dispose([x, y]);
  });
});

test("an optimizer whose rate cannot change: fit fails at its start, naming it, before any step", async () => {
  await tf.setBackend('cpu');
  class Frozen extends tf.Optimizer {
    static className = 'Frozen';
    applyGradients(): void {
      throw new Error('no step expected');
    }
    getConfig() {
      return {};
    }
  }
  for (const cb of [new LearningRateScheduler(() => 0.1), new ReduceLROnPlateau()]) {
    const m = model(new Frozen());
    const w0 = weights(m);
    await expect(m.fit(tf.ones([4, 4, 2]), tf.ones([4, 1]), { epochs: 2, verbose: 0, callbacks: [cb] })).rejects.toThrow(
      new RegExp(`^${cb instanceof LearningRateScheduler ? 'LearningRateScheduler' : 'ReduceLROnPlateau'}: the learning rate of the model's optimizer Frozen cannot be changed between epochs: expected one of tfjs's optimizers`),
    );
    expect(weights(m)).toEqual(w0);
  }
});

test('a schedule that returns no number stops fit with an error naming the epoch and the value', async () => {
  await tf.setBackend('cpu');
  const m = model('adam');
  const bad = new LearningRateScheduler(((epoch: number) => (epoch < 1 ? 0.01 : '0.1')) as never);
  await expect(m.fit(tf.ones([4, 4, 2]), tf.ones([4, 1]), { epochs: 3, verbose: 0, callbacks: [bad] })).rejects.toThrow(
    /^LearningRateScheduler: schedule\(1, lr\) must return a finite number ≥ 0, got '0\.1'$/,
  );
});

test('bad arguments are errors at construction', () => {
  expect(() => new LearningRateScheduler(0.1 as never)).toThrow(/^LearningRateScheduler: schedule must be a function \(epoch, lr\) => lr, got 0\.1$/);
  expect(() => new LearningRateScheduler((e, lr) => lr, { verbos: 1 } as never)).toThrow(/^LearningRateScheduler: unknown option 'verbos' \(did you mean 'verbose'\?\)/);
  expect(() => new LearningRateScheduler((e, lr) => lr, 2 as never)).toThrow(/^LearningRateScheduler: verbose must be 0 or 1, got 2$/);
  const bad: Array<[unknown, RegExp]> = [
    [{ factor: 1 }, /^ReduceLROnPlateau: factor must be a number in \(0, 1\) \(the rate is multiplied by it\), got 1$/],
    [{ factor: 0 }, /^ReduceLROnPlateau: factor must be a number in \(0, 1\) .*got 0$/],
    [{ min_lr: 0.001 }, /^ReduceLROnPlateau: unknown option 'min_lr' \(did you mean 'minLr'\?\)/],
    [{ minLr: -1 }, /^ReduceLROnPlateau: minLr must be a finite number ≥ 0, got -1$/],
    [{ cooldown: 0.5 }, /^ReduceLROnPlateau: cooldown must be an integer ≥ 0, got 0\.5$/],
    [{ monitor: 'val_top1' }, /^ReduceLROnPlateau: mode 'auto' cannot tell whether monitor 'val_top1'/],
  ];
  for (const [args, re] of bad) expect(() => new ReduceLROnPlateau(args as never)).toThrow(re);
  expect(new ReduceLROnPlateau().minDelta).toBe(1e-4);
});
