/**
 * Gradient clipping for the optimizers `fit` uses, as Keras's optimizer
 * arguments `clipnorm`, `global_clipnorm` and `clipvalue`:
 *
 *   clipnorm:       g ← g · min(1, c / ‖g‖)            for each weight's gradient
 *   globalClipnorm: g ← g · min(1, c / ‖(g_1, …, g_n)‖)  one factor for all
 *   clipvalue:      g ← clip(g, −c, c)                 element-wise
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';

/** How {@link withGradientClipping} clips: each gradient's norm (`clipnorm`), their joint norm (`globalClipnorm`), or each value (`clipvalue`). */
export interface ClipArgs {
  clipnorm?: number;
  globalClipnorm?: number;
  clipvalue?: number;
}

type NamedGrads = Parameters<tf.Optimizer['applyGradients']>[0];

/**
 * An optimizer that clips the gradients, then lets `inner` apply them. Made by
 * {@link withGradientClipping}.
 *
 * @example
 * ```ts
 * import { tf, ClippedOptimizer } from 'tfjs-recurrent';
 * const opt = new ClippedOptimizer(tf.train.sgd(0.1), { clipvalue: 0.5 });
 * const w = tf.variable(tf.zeros([2]));
 * opt.minimize(() => tf.sum(tf.mul(w, tf.tensor1d([10, -10]))) as tf.Scalar); // w = [-0.05, 0.05]
 * ```
 */
export class ClippedOptimizer extends tf.Optimizer {
  static className = 'tfjs-recurrent>ClippedOptimizer';

  constructor(readonly inner: tf.Optimizer, readonly clip: ClipArgs) {
    super();
  }

  override applyGradients(variableGradients: NamedGrads): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
    const clipped = tf.tidy(() => {
      let gs = list.map((g) => g.tensor);
      const { clipnorm, globalClipnorm, clipvalue } = this.clip;
      if (clipvalue != null) gs = gs.map((g) => tf.clipByValue(g, -clipvalue, clipvalue));
      if (clipnorm != null) gs = gs.map((g) => tf.mul(g, tf.minimum(1, tf.div(clipnorm, tf.add(tf.norm(g), 1e-12)))));
      if (globalClipnorm != null) {
        const total = tf.sqrt(tf.addN(gs.map((g) => tf.sum(tf.square(g))))); //   ‖(g_1, …, g_n)‖
        const scale = tf.minimum(1, tf.div(globalClipnorm, tf.add(total, 1e-12)));
        gs = gs.map((g) => tf.mul(g, scale));
      }
      return gs;
    });
    this.inner.applyGradients(list.map((g, i) => ({ name: g.name, tensor: clipped[i] })));
    tf.dispose(clipped);
  }

  override dispose(): void {
    this.inner.dispose();
    super.dispose();
  }

  /** The inner optimizer's state (its slots), for saving. */
  override getWeights(): ReturnType<tf.Optimizer['getWeights']> {
    return this.inner.getWeights();
  }

  /** Restores the inner optimizer's state. */
  override async setWeights(weights: Parameters<tf.Optimizer['setWeights']>[0]): Promise<void> {
    return this.inner.setWeights(weights);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { inner: this.inner.getClassName(), ...this.inner.getConfig(), ...this.clip } as tf.serialization.ConfigDict;
  }
}

/**
 * Wraps an optimizer so that every step clips the gradients first.
 *
 * @example
 * ```ts
 * import { tf, withGradientClipping, Sequential, SimpleRNN } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new SimpleRNN({ units: 8, inputShape: [20, 1] })] });
 * model.compile({ optimizer: withGradientClipping(tf.train.adam(0.01), { clipnorm: 1 }), loss: 'meanSquaredError' });
 * ```
 */
export function withGradientClipping(optimizer: tf.Optimizer, clip: ClipArgs): ClippedOptimizer {
  // tf.Optimizer's instanceof reads `minimize` of its operand: check for an object first.
  if (optimizer == null || typeof optimizer !== 'object' || !(optimizer instanceof tf.Optimizer)) {
    throw new RecurrentConfigError(`withGradientClipping: optimizer must be a tf.Optimizer (e.g. tf.train.adam(0.001)), got ${fmtValue(optimizer)}`);
  }
  if (clip == null || typeof clip !== 'object') {
    throw new RecurrentConfigError(`withGradientClipping: expects { clipnorm?, globalClipnorm?, clipvalue? }, got ${fmtValue(clip)}`);
  }
  const known = ['clipnorm', 'globalClipnorm', 'clipvalue'];
  for (const [k, v] of Object.entries(clip)) {
    if (!known.includes(k)) throw new RecurrentConfigError(`withGradientClipping: unknown option '${k}'; known options: ${known.join(', ')}`);
    if (v != null && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) {
      throw new RecurrentConfigError(`withGradientClipping: ${k} must be a positive number, got ${fmtValue(v)}`);
    }
  }
  if (clip.clipnorm == null && clip.globalClipnorm == null && clip.clipvalue == null) {
    throw new RecurrentConfigError('withGradientClipping: give at least one of clipnorm, globalClipnorm, clipvalue');
  }
  return new ClippedOptimizer(optimizer, { ...clip });
}
