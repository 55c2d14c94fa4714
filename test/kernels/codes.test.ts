/**
 * The codes the TypeScript side passes to the kernels are read from the
 * module (assembly/codes.ts, exported by assembly/index.ts): every name the
 * TypeScript side uses is there, the values are distinct, and each activation
 * the module has a code for computes the function of the same name in the
 * one activation table (src/activations.ts).
 */
import { tf } from '../../src/tf';
import { SimpleRNN, ACTIVATION_NAMES } from '../../src';
import { kernelModule } from '../../src/kernels/module';
import { KERNEL_KINDS, kernelCodes } from '../../src/kernels/codes';
import { kernelCalls } from '../../src/kernels/sequence';

describe('the kernels\' codes', () => {
  const codes = kernelCodes(kernelModule()!);

  test('every kind and flag the TypeScript side names is a constant of the module, the kinds distinct, the flags distinct bits', () => {
    expect(Object.keys(codes.kinds)).toEqual([...KERNEL_KINDS]);
    expect(new Set(Object.values(codes.kinds)).size).toBe(KERNEL_KINDS.length);
    const flags = Object.values(codes.flags);
    expect(flags.every((f) => f > 0 && (f & (f - 1)) === 0)).toBe(true);
    expect(flags.reduce((a, f) => a | f, 0)).toBe(flags.reduce((a, f) => a + f, 0)); // no bit twice
  });

  test('a module without one of them is refused with the name it lacks', () => {
    const k = kernelModule()!;
    const missing = Object.fromEntries(Object.entries(k).filter(([name]) => name !== 'FLAG_keep'));
    expect(() => kernelCodes(missing)).toThrow(/^tfjs-recurrent kernels: the module exports no constant FLAG_keep/);
  });

  test('the kernels\' activations are the table\'s tanh, sigmoid, relu, hard_sigmoid and linear, with distinct codes', () => {
    expect(Object.keys(codes.activations).sort()).toEqual(['hard_sigmoid', 'linear', 'relu', 'sigmoid', 'tanh']);
    expect(Object.keys(codes.activations).every((n) => ACTIVATION_NAMES.includes(n))).toBe(true);
    expect(new Set(Object.values(codes.activations)).size).toBe(5);
  });

  test.each(['linear', 'tanh', 'sigmoid', 'relu', 'hard_sigmoid'])('%s in the kernels computes the table\'s function (SimpleRNN, against the tf-op cells)', (activation) => {
    const x = tf.randomNormal([3, 5, 4], 0, 2, 'float32', 3);
    const run = (useKernels: boolean) => {
      const layer = new SimpleRNN({ units: 6, activation, returnSequences: true, seed: 1 } as ConstructorParameters<typeof SimpleRNN>[0]);
      layer.build([3, 5, 4]);
      layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.7, 'float32', 10 + i)));
      layer.useKernels = useKernels;
      const calls = kernelCalls.forward;
      const y = (layer.apply(x) as tf.Tensor).arraySync() as number[][][];
      expect(kernelCalls.forward > calls).toBe(useKernels);
      return y.flat(2);
    };
    const kernels = run(true);
    const cells = run(false);
    kernels.forEach((v, i) => expect(Math.abs(v - cells[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(cells[i]))));
    x.dispose();
  });
});
