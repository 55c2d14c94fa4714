/** Gradient clipping: the arithmetic, and an exploding SimpleRNN that trains with it and diverges without. */
import { tf } from '../../src/tf';
import { Sequential, SimpleRNN, withGradientClipping, RecurrentConfigError, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

onEachBackend(() => {
  beforeEach(() => resetNames());

  const step = (clip: Parameters<typeof withGradientClipping>[1]) => {
    const a = tf.variable(tf.tensor1d([0, 0]));
    const b = tf.variable(tf.tensor1d([0]));
    const opt = withGradientClipping(tf.train.sgd(1), clip);
    // ∂L/∂a = [30, 40] (norm 50), ∂L/∂b = [120] (norm 120); global norm 130.
    opt.minimize(() => tf.add(tf.sum(tf.mul(a, tf.tensor1d([30, 40]))), tf.sum(tf.mul(b, 120))) as tf.Scalar, false, [a, b]);
    const out = [Array.from(a.dataSync()), Array.from(b.dataSync())];
    tf.dispose([a, b]);
    opt.dispose();
    return out;
  };

  test('clipnorm scales each gradient to norm ≤ c', () => {
    const [a, b] = step({ clipnorm: 5 });
    expect(a[0]).toBeCloseTo(-3, 4);
    expect(a[1]).toBeCloseTo(-4, 4);
    expect(b[0]).toBeCloseTo(-5, 4);
  });

  test('globalClipnorm scales all gradients by one factor', () => {
    const [a, b] = step({ globalClipnorm: 13 });
    expect(a[0]).toBeCloseTo(-3, 4);
    expect(a[1]).toBeCloseTo(-4, 4);
    expect(b[0]).toBeCloseTo(-12, 4);
  });

  test('clipvalue clips element-wise', () => {
    const [a, b] = step({ clipvalue: 35 });
    expect(a).toEqual([-30, -35]);
    expect(b).toEqual([-35]);
  });

  test('an exploding SimpleRNN diverges without clipping and trains with clipnorm', async () => {
    const x = tf.randomNormal([16, 40, 4], 0, 1, 'float32', 5);
    const y = tf.randomNormal([16, 8], 0, 1, 'float32', 6);
    const losses = async (clip: boolean) => {
      resetNames();
      const m = new Sequential({
        layers: [new SimpleRNN({
          units: 8, inputShape: [40, 4], activation: 'linear',
          kernelInitializer: { className: 'GlorotUniform', config: { seed: 1 } },
          recurrentInitializer: { className: 'Orthogonal', config: { gain: 1.25, seed: 2 } },
        })],
      });
      const sgd = tf.train.sgd(0.01);
      m.compile({ optimizer: clip ? withGradientClipping(sgd, { clipnorm: 1 }) : sgd, loss: 'meanSquaredError' });
      const out: number[] = [];
      for (let i = 0; i < 15; i++) out.push(Number(await m.trainOnBatch(x, y)));
      m.dispose();
      return out;
    };
    const free = await losses(false);
    const clipped = await losses(true);
    expect(free.some((l) => !Number.isFinite(l) || l > 1e6 * free[0])).toBe(true);
    expect(clipped.every(Number.isFinite)).toBe(true);
    expect(clipped[clipped.length - 1]).toBeLessThan(clipped[0]);
    tf.dispose([x, y]);
  });

  test.each([
    [() => withGradientClipping('adam' as never, { clipnorm: 1 }), /^withGradientClipping: optimizer must be a tf\.Optimizer/],
    [() => withGradientClipping(tf.train.sgd(1), { clipnorm: -1 }), /^withGradientClipping: clipnorm must be a positive number, got -1$/],
    [() => withGradientClipping(tf.train.sgd(1), { clipNorm: 1 } as never), /^withGradientClipping: unknown option 'clipNorm'/],
    [() => withGradientClipping(tf.train.sgd(1), {}), /^withGradientClipping: give at least one of/],
  ])('bad arguments: %#', (fn, re) => {
    expect(fn).toThrow(RecurrentConfigError);
    expect(fn).toThrow(re);
  });
});
