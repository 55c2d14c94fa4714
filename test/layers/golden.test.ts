/**
 * Every layer against golden values from Keras 3 (cross-checked with PyTorch):
 * outputs and final states, goBackwards, masking, initial state, stateful
 * calls, Bidirectional merges, and gradients of sum(output ⊙ R) with respect
 * to the input and every weight. Tolerance 1e-5.
 */
import { tf } from '../../src/tf';
import { RecurrentLayer } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { expectClose } from '../helpers/close';
import { GOLDENS, buildCase, runCase, isIdInput } from '../helpers/goldens';

const TOL = 1e-5;

onEachBackend(() => {
  describe.each(GOLDENS.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    test('outputs match the reference', () => {
      const layers = buildCase(c);
      c.inputs.forEach((call, k) => {
        tf.tidy(() => {
          const x = isIdInput(c) ? tf.tensor(call.x as number[], undefined, 'int32') : tf.tensor(call.x as number[]);
          const outs = runCase(layers, call, x);
          expect(outs.length).toBe(call.outputs.length);
          outs.forEach((o, i) => expectClose(o, call.outputs[i], TOL, `${c.name} call ${k} output ${i}`));
        });
      });
      layers.forEach((l) => l.dispose());
    });

    const graded = c.inputs[0].grads;
    if (graded) {
      test('gradients match the reference', () => {
        const layers = buildCase(c);
        const call = c.inputs[0];
        const R = tf.tensor(graded.R as number[]);
        const idInput = isIdInput(c);
        const x = idInput ? tf.tensor(call.x as number[], undefined, 'int32') : tf.tensor(call.x as number[]);
        const loss = (xx: tf.Tensor) => tf.sum(tf.mul(runCase(layers, call, xx)[0], R)) as tf.Scalar;
        const vars = layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
        const { grads } = tf.variableGrads(() => loss(x), vars);
        let k = 0;
        layers.forEach((l, li) => {
          l.trainableWeights.forEach((w, wi) => {
            // A weight the loss does not reach (the backward half when mergeMode is null) has gradient 0.
            const g = grads[vars[k].name] ?? tf.zerosLike(vars[k]);
            expectClose(g, graded.dweights[li][wi], TOL, `${c.name} d${w.name}`);
            k++;
          });
        });
        if (!idInput && graded.dx) {
          const dx = tf.grad((xx: tf.Tensor) => loss(xx))(x);
          expectClose(dx, graded.dx, TOL, `${c.name} dx`);
          dx.dispose();
        }
        tf.dispose([R, x, ...Object.values(grads)]);
        layers.forEach((l) => l.dispose());
      });
    }
  });

  test('a stateful layer starts again from zeros after resetStates', () => {
    const c = GOLDENS.cases.find((g) => g.name === 'lstm_stateful')!;
    const layers = buildCase(c);
    const call = c.inputs[0];
    const run = () => tf.tidy(() => runCase(layers, call, tf.tensor(call.x as number[]))[0].arraySync());
    const first = run();
    const second = run();
    (layers[0] as RecurrentLayer).resetStates();
    const again = run();
    expect(again).toEqual(first);
    expect(second).not.toEqual(first);
    layers.forEach((l) => l.dispose());
  });
});
