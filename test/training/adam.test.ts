/**
 * Our Adam against tfjs's (tf.train.adam, an independent implementation of
 * the same equations): the same weights and moments to the bit after several
 * steps, on every backend (fused on cpu, tfjs's own ops elsewhere); its state
 * saved and restored as tfjs's; owned and disposed by a model compiled with 'adam'.
 */
import { tf } from '../../src/tf';
import { Adam, Sequential, LSTM, Dense, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { kernelModule, loadKernelModuleFrom, residentBlocks } from '../../src/kernels/module';
import { kernelThreads } from '../../src/kernels/helper_thread';

/**
 * Runs `steps` Adam steps of random gradients on four variables; returns their values and the optimizer's
 * weights. The last has 37,037 elements: more than two of the kernels' chunks (shared with the helper thread), the last one partial.
 */
async function train(make: () => tf.Optimizer, steps: number, lr = 0.01): Promise<number[][]> {
  const vars = [
    tf.variable(tf.randomNormal([7, 5], 0, 1, 'float32', 1), true, 'adam_a'), tf.variable(tf.randomNormal([5], 0, 1, 'float32', 2), true, 'adam_b'),
    tf.variable(tf.scalar(0.3), true, 'adam_c'), tf.variable(tf.randomNormal([1001, 37], 0, 1, 'float32', 3), true, 'adam_d'),
  ];
  const opt = make();
  (opt as unknown as { learningRate: number }).learningRate = lr;
  for (let s = 0; s < steps; s++) {
    // Gradients of every scale, and one variable left out of a step (tfjs keeps its moments). Seeds from 1: tfjs takes 0 as none.
    const grads = vars.map((v, i) => ({ name: v.name, tensor: tf.mul(tf.randomNormal(v.shape, 0, 1, 'float32', 10 * s + i + 1), 10 ** (i - 2)) }));
    opt.applyGradients(s === 2 ? grads.slice(0, 2) : grads);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const weights = await opt.getWeights();
  const out = [...vars.map((v) => Array.from(v.dataSync())), ...weights.map((w) => Array.from(w.tensor.dataSync()))];
  opt.dispose();
  tf.dispose(vars);
  return out;
}

onEachBackend((backend) => {
  test('gives the same bits as tf.train.adam over six steps (a large variable\'s step shared with the helper thread)', async () => {
    const jobs = kernelModule()!.sharedJobs();
    const ours = await train(() => new Adam(), 6);
    if (kernelThreads() >= 2) expect(kernelModule()!.sharedJobs()).toBeGreaterThan(jobs);
    const theirs = await train(() => tf.train.adam(), 6);
    expect(ours.length).toBe(theirs.length);
    ours.forEach((a, i) => expect(a).toEqual(theirs[i]));
  });

  test('a step leaks no tensor and keeps the variables float32', () => {
    const v = tf.variable(tf.ones([4, 3]));
    const opt = new Adam(0.1);
    opt.applyGradients({ [v.name]: tf.onesLike(v) }); // makes the moments
    const before = tf.memory().numTensors;
    tf.tidy(() => opt.applyGradients({ [v.name]: tf.onesLike(v) }));
    expect(tf.memory().numTensors).toBe(before);
    expect(v.dtype).toBe('float32');
    opt.dispose();
    v.dispose();
  });

  test("compile({ optimizer: 'adam' }) builds an Adam the model owns", () => {
    resetNames();
    const before = tf.memory().numTensors;
    const model = new Sequential({ layers: [new LSTM({ units: 3, inputShape: [4, 2] }), new Dense({ units: 1 })] });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    expect(Adam.prototype.isPrototypeOf(model.optimizer)).toBe(true);
    expect(model.optimizer.getClassName()).toBe('Adam');
    const [x, y] = [tf.ones([2, 4, 2]), tf.ones([2, 1])];
    return model.trainOnBatch(x, y).then(() => {
      tf.dispose([x, y]);
      model.dispose(); // disposes the optimizer's moments too, as tfjs's own 'adam'
      expect(tf.memory().numTensors).toBe(before);
      expect(residentBlocks(kernelModule()!).inUse).toBe(0); // and frees its m and v in the kernels' memory
      void backend;
    });
  });
});

onEachBackend(() => {
  test('by hand: one element, first step; m and v as getWeights reads them', async () => {
    // g = 0.5, m = v = 0, θ = 1, α = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-7, t = 1:
    // m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25, θ = 1 − 0.1 · 0.5 / (0.5 + 1e-7) ≈ 0.9000000200
    const θ = tf.variable(tf.tensor1d([1]));
    const opt = new Adam(0.1);
    tf.tidy(() => opt.applyGradients([{ name: θ.name, tensor: tf.tensor1d([0.5]) }]));
    expect(θ.dataSync()[0]).toBeCloseTo(1 - (0.1 * 0.5) / (0.5 + 1e-7), 5); // float32: 1 − β₁ and 1 − β₁ᵗ round differently
    const [iterations, m, v] = await opt.getWeights();
    expect(iterations.tensor.dataSync()[0]).toBe(1);
    expect(m.tensor.dataSync()[0]).toBeCloseTo(0.05, 7);
    expect(v.tensor.dataSync()[0]).toBeCloseTo(0.00025, 9);
    opt.dispose();
    θ.dispose();
  });

  test('m and v carry over when the kernel module is loaded anew (tests load other builds)', async () => {
    const run = async (make: () => tf.Optimizer, reload: boolean) => {
      const θ = tf.variable(tf.tensor1d([1, -2, 3, 0.5, 7]), true, 'adam_reload');
      const opt = make();
      for (let s = 0; s < 4; s++) {
        if (reload && s === 2) loadKernelModuleFrom(null);
        tf.tidy(() => opt.applyGradients([{ name: θ.name, tensor: tf.tensor1d([0.2, -0.4, 0.6, s, -s]) }]));
      }
      const out = [Array.from(θ.dataSync()), ...(await opt.getWeights()).map((w) => Array.from(w.tensor.dataSync()))];
      opt.dispose();
      θ.dispose();
      return out;
    };
    expect(await run(() => new Adam(), true)).toEqual(await run(() => tf.train.adam(), false));
  });

  test('setWeights then steps: the same bits as tf.train.adam given the same weights', async () => {
    const run = async (make: () => tf.Optimizer) => {
      const θ = tf.variable(tf.tensor1d([1, -2, 3]), true, 'adam_set');
      const opt = make();
      tf.tidy(() => opt.applyGradients([{ name: θ.name, tensor: tf.tensor1d([0.5, 0.1, -0.3]) }]));
      await opt.setWeights([
        { name: 'iter', tensor: tf.scalar(3, 'int32') },
        { name: 'adam_set/m', tensor: tf.tensor1d([0.1, 0.2, 0.3]) },
        { name: 'adam_set/v', tensor: tf.tensor1d([0.01, 0.02, 0.03]) },
      ]);
      for (let s = 0; s < 2; s++) tf.tidy(() => opt.applyGradients([{ name: θ.name, tensor: tf.tensor1d([0.2, -0.4, 0.6]) }]));
      const out = [Array.from(θ.dataSync()), ...(await opt.getWeights()).map((w) => Array.from(w.tensor.dataSync()))];
      opt.dispose();
      θ.dispose();
      return out;
    };
    expect(await run(() => new Adam())).toEqual(await run(() => tf.train.adam()));
  });
});
