/**
 * The kernels' memory as a user sees it: a call too large for it is refused
 * with an error naming the layer, before anything is written, and the
 * process goes on; a layer whose backward call never runs (a frozen layer)
 * leaves no blocks behind, over many steps; a call that fails to grow the
 * memory keeps nothing, so later calls work.
 */
import { tf } from '../../src/tf';
import { LSTM, GRU, SimpleRNN, Dense, Sequential, RecurrentInputError } from '../../src';
import { kernelModule, loadKernelModuleFrom, residentBlocks } from '../../src/kernels/module';
import { callBounds, kernelCalls } from '../../src/kernels/sequence';
import { onEachBackend } from '../helpers/backends';

const KINDS = [['simpleRNN', 0, 1], ['lstm', 1, 4], ['gruResetAfter', 2, 3], ['gruResetBefore', 3, 3]] as const;

describe('callBounds', () => {
  test('bounds the kernels\' own work sizes from above, within 2x + 4 KB, for every cell and many shapes', () => {
    const k = kernelModule()!;
    for (const [kind, code, G] of KINDS) {
      for (const [B, T, H, D] of [[1, 1, 1, 1], [3, 7, 5, 2], [32, 100, 32, 32], [13, 20, 11, 24], [8, 50, 256, 1], [64, 3, 128, 300]]) {
        const b = callBounds(kind, { B, T, D, H, G, nOut: T, projected: false, keep: true });
        const forward = k.forwardWorkBytes(code, B, T, H, D) >>> 0;
        const backward = k.backwardWorkBytes(code, B, T, H, D) >>> 0;
        expect(b.forwardWork).toBeGreaterThanOrEqual(forward);
        expect(b.backwardWork).toBeGreaterThanOrEqual(backward);
        expect(b.forwardWork).toBeLessThanOrEqual(2 * forward + 4096);
        expect(b.backwardWork).toBeLessThanOrEqual(2 * backward + 4096);
      }
    }
  });

  test('counts past 4 GB where the kernels\' 32-bit sizes wrap', () => {
    // LSTM(256) on [64, 17000, 8]: X W + b alone is 64·17000·1024 floats, 4.5 GB; the module's 32-bit size wraps.
    expect(kernelModule()!.forwardWorkBytes(1, 64, 17000, 256, 8) >>> 0).toBeLessThan(2 ** 31);
    expect(callBounds('lstm', { B: 64, T: 17000, D: 8, H: 256, G: 4, nOut: 1, projected: false, keep: false }).forwardWork).toBeGreaterThan(2 ** 32);
  });
});

onEachBackend(() => {
  test('a sequence too long for the kernels\' memory is refused naming the layer, and the next call works', () => {
    const layer = new LSTM({ units: 256, name: 'long_lstm' });
    layer.apply(tf.zeros([1, 1, 1])); // built
    const before = tf.memory().numTensors;
    const x = tf.zeros([8, 132000, 1]);
    const calls = kernelCalls.forward;
    expect(() => layer.apply(x)).toThrow(RecurrentInputError);
    expect(() => layer.apply(x)).toThrow(/^LSTM \(layer 'long_lstm'\): this call needs 41\d\d MB of the kernels' memory, which holds at most 4096 MB; split the batch/);
    expect(kernelCalls.forward).toBe(calls); // refused before the kernels ran
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(residentBlocks(kernelModule()!).inUse).toBe(0);
    const y = new LSTM({ units: 3 }).apply(tf.ones([2, 4, 1])) as tf.Tensor;
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    y.dispose();
  });

  test('a training step whose backward call would not fit is refused before its forward call', () => {
    // LSTM(128) on [1024, 2000, 8]: the forward call fits in 4 GB, the kept cache and the backward call do not.
    const x = tf.zeros([1024, 2000, 8]);
    const layer = new LSTM({ units: 128, name: 'big' });
    layer.apply(tf.zeros([1, 1, 8])); // build
    const calls = kernelCalls.forward;
    expect(() => tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar)).toThrow(/^LSTM \(layer 'big'\): this call needs \d+ MB of the kernels' memory/);
    expect(kernelCalls.forward).toBe(calls);
    expect(residentBlocks(kernelModule()!).inUse).toBe(0);
    x.dispose();
  });

  test.each([
    ['LSTM', () => new LSTM({ units: 16, trainable: false, inputShape: [30, 4] })],
    ['GRU', () => new GRU({ units: 16, trainable: false, inputShape: [30, 4] })],
    ['SimpleRNN', () => new SimpleRNN({ units: 16, trainable: false, inputShape: [30, 4], returnSequences: true })],
  ])('a frozen %s under a trained Dense keeps no blocks over many steps, and the kernels\' memory stops growing', async (_n, make) => {
    const model = new Sequential();
    model.add(make());
    if (_n === 'SimpleRNN') model.add(new Dense({ units: 2 })); // (on every step: then a Dense over [B, T, 2])
    model.add(new Dense({ units: 1 }));
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }); // (Adam would keep its m and v in the kernels' memory too)
    const x = tf.randomNormal([64, 30, 4], 0, 1, 'float32', 1);
    const y = tf.zeros(_n === 'SimpleRNN' ? [64, 30, 1] : [64, 1]);
    const k = kernelModule()!;
    const calls = kernelCalls.forward;
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const bytes = k.memory.buffer.byteLength;
    await model.fit(x, y, { epochs: 6, batchSize: 8, verbose: 0 }); // 48 more steps
    expect(kernelCalls.forward - calls).toBeGreaterThanOrEqual(64); // the kernels ran each step
    expect(residentBlocks(k).inUse).toBeLessThanOrEqual(1); // at most the last step's, freed by the next call
    expect(k.memory.buffer.byteLength).toBe(bytes);
    tf.dispose([x, y]);
  });
});

describe('a failed grow', () => {
  afterAll(() => loadKernelModuleFrom(null));

  test('keeps nothing: after it, a fresh small model trains', () => {
    loadKernelModuleFrom(null); // a fresh module, on its first 1 MB
    const k = kernelModule()!;
    const x = tf.zeros([64, 200, 8]);
    const layer = new LSTM({ units: 64, name: 'greedy' });
    layer.apply(tf.zeros([1, 1, 8])); // built (its weights must exist before variableGrads looks for them)
    const memory = k.memory as unknown as { grow(pages: number): number };
    memory.grow = () => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    };
    try {
      expect(() => tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar)).toThrow(
        /^LSTM \(layer 'greedy'\): this call needs \d+ MB of the kernels' memory, which holds at most 4096 MB and could not grow \(WebAssembly\.Memory\.grow\(\): Maximum memory size exceeded\)/,
      );
    } finally {
      delete (memory as { grow?: unknown }).grow; // back to WebAssembly.Memory.prototype.grow
      x.dispose();
    }
    expect(residentBlocks(k).inUse).toBe(0);
    const small = new LSTM({ units: 4 });
    small.apply(tf.ones([1, 1, 1])); // built
    const { value, grads } = tf.variableGrads(() => tf.sum(small.apply(tf.ones([2, 3, 1])) as tf.Tensor) as tf.Scalar);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    expect(Object.keys(grads).length).toBe(3);
    tf.dispose([value, ...Object.values(grads)]);
    expect(residentBlocks(k).inUse).toBe(0);
  });
});

describe('a recurrent call inside a customGrad\'s forward', () => {
  test('leaves the blocks of the tape being recorded alone: the earlier layer\'s gradients are right', () => {
    // l1's gradients through a customGrad whose forward runs l2 (kernel depth > 0, no tape of its own)
    // and whose gradient is ∂L/∂h = 1, against the same loss with tf.sum: the same by construction.
    const x = tf.randomNormal([4, 6, 3], 0, 1, 'float32', 11);
    const l1 = new LSTM({ units: 5, returnSequences: true });
    const l2 = new LSTM({ units: 2 });
    l1.apply(x);
    l2.apply(tf.zeros([1, 6, 5]));
    const wrapped = tf.customGrad(((h: tf.Tensor, save: tf.GradSaveFunc) => {
      save([h]);
      return { value: tf.sum(l2.apply(h) as tf.Tensor), gradFunc: (dy: tf.Tensor, [hs]: tf.Tensor[]) => tf.mul(dy, tf.onesLike(hs)) };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    const vars = l1.trainableWeights.map((w) => w.read() as tf.Variable);
    const through = tf.variableGrads(() => wrapped(l1.apply(x) as tf.Tensor) as tf.Scalar, vars).grads;
    const plain = tf.variableGrads(() => tf.sum(l1.apply(x) as tf.Tensor) as tf.Scalar, vars).grads;
    for (const v of vars) expect(through[v.name].arraySync()).toEqual(plain[v.name].arraySync());
    expect(residentBlocks(kernelModule()!).inUse).toBe(0);
    tf.dispose([x, ...Object.values(through), ...Object.values(plain)]);
  });
});
