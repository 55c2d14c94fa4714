/**
 * Our Adam against tfjs's (tf.train.adam, an independent implementation of
 * the same equations): the same weights and moments to the bit after several
 * steps, on every backend (fused on cpu, tfjs's own ops elsewhere); its state
 * saved and restored as tfjs's; owned and disposed by a model compiled with 'adam'.
 */
import { tf } from '../../src/tf';
import { Adam, Sequential, LSTM, Dense, resetNames } from '../../src';
import { adamUpdate } from '../../src/training/adam';
import { kernelModule } from '../../src/kernels/module';
import { onEachBackend } from '../helpers/backends';

/** Runs `steps` Adam steps of random gradients on three variables; returns their values and the optimizer's weights. */
async function train(make: () => tf.Optimizer, steps: number, lr = 0.01): Promise<number[][]> {
  const vars = [tf.variable(tf.randomNormal([7, 5], 0, 1, 'float32', 1), true, 'adam_a'), tf.variable(tf.randomNormal([5], 0, 1, 'float32', 2), true, 'adam_b'), tf.variable(tf.scalar(0.3), true, 'adam_c')];
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
  test('gives the same bits as tf.train.adam over six steps', async () => {
    const ours = await train(() => new Adam(), 6);
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
      void backend;
    });
  });
});

test('adamUpdate by hand: one element, first step', () => {
  // g = 0.5, m = v = 0, θ = 1, α = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-7, t = 1:
  // m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25, θ = 1 − 0.1 · 0.5 / (0.5 + 1e-7) ≈ 0.9000000200
  const f = Math.fround;
  const out = [new Float32Array(1), new Float32Array(1), new Float32Array(1)];
  adamUpdate(kernelModule()!, Float32Array.of(0.5), Float32Array.of(0), Float32Array.of(0), Float32Array.of(1), {
    β1: f(0.9), β2: f(0.999), oneMinusβ1: f(0.1), oneMinusβ2: f(0.001), oneMinusβ1t: f(1 - f(0.9)), oneMinusβ2t: f(1 - f(0.999)), ε: f(1e-7), negα: f(-0.1),
  }, out);
  const [m, v, θ] = out;
  expect(m[0]).toBeCloseTo(0.05, 7);
  expect(v[0]).toBeCloseTo(0.00025, 9);
  expect(θ[0]).toBeCloseTo(1 - 0.1 * 0.5 / (0.5 + 1e-7), 5); // float32: 1 − β₁ and 1 − β₁ᵗ round differently
});
