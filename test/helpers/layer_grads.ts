import { tf } from '../../src/tf';
import { RecurrentLayer, resetNames } from '../../src';

/**
 * A recurrent layer's output and the gradients of its input and of every
 * weight, as flat arrays: built on `x`'s shape with weights drawn as
 * N(0, weightScale²) (seeded), trained on L = Σ y ⊙ cos(0, 1, 2, …) with
 * `mask`; `kernels` sets useKernels (and autodiff for the cells) when given.
 */
export function outputAndGradients(make: () => RecurrentLayer, x: tf.Tensor, o: { weightScale: number; mask?: tf.Tensor; kernels?: boolean }): number[][] {
  resetNames();
  const layer = make();
  if (o.kernels !== undefined) {
    layer.useKernels = o.kernels;
    layer.useAutodiff = !o.kernels;
  }
  layer.build(x.shape);
  layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, o.weightScale, 'float32', 40 + i)));
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const f = (xx: tf.Tensor) => {
    const y = layer.apply(xx, { mask: o.mask, training: true }) as tf.Tensor;
    return tf.sum(tf.mul(y, tf.cos(tf.range(0, y.size).reshape(y.shape)))) as tf.Scalar;
  };
  const { grads } = tf.variableGrads(() => f(x), vars);
  const [dx] = tf.grads((xx: tf.Tensor) => f(xx))([x]);
  const y = layer.apply(x, { mask: o.mask }) as tf.Tensor;
  const out = [y, dx, ...vars.map((v) => grads[v.name])].map((t) => Array.from(t.dataSync()));
  tf.dispose([y, dx, ...Object.values(grads)]);
  layer.dispose();
  return out;
}
