/**
 * Keras 3's AdamW: Adam with decoupled weight decay (Loshchilov & Hutter,
 * 2019), as keras/src/optimizers/adamw.py and the base optimizer's
 * `_apply_weight_decay` compute it. For each variable θ with a gradient g, at
 * step t = 1, 2, … (docs/equations.md#adamw):
 *
 *   θ ← θ − η λ θ                                  the decay, before the step, not through m and v
 *   m ← m + (1 − β₁)(g − m)
 *   v ← v + (1 − β₂)(g² − v)
 *   θ ← θ − η √(1 − β₂ᵗ) / (1 − β₁ᵗ) · m / (√v + ε)
 *
 * (Keras's Adam: ε is added to √v, not to √v̂ as tf.train.adam does.)
 */
import { tf } from '../tf';
import { gradientsOf, hyper, moments } from './adam_slots';

/**
 * Keras's `AdamW`, with its defaults (learning rate 0.001, weight decay
 * 0.004, β₁ 0.9, β₂ 0.999, ε 1e-7) and its arguments in its order.
 * `compile({ optimizer: 'adamw' })` builds one. Its state is tfjs's Adam's
 * (iterations, each variable's m and v), so it saves and loads as tfjs's
 * optimizers do.
 *
 * @example
 * ```ts
 * import { Sequential, LSTM, Dense, AdamW } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new LSTM({ units: 8, inputShape: [5, 3] }), new Dense({ units: 1 })] });
 * model.compile({ optimizer: new AdamW(0.001, 0.01), loss: 'meanSquaredError' }); // Keras: AdamW(learning_rate=0.001, weight_decay=0.01)
 * ```
 */
export class AdamW extends tf.AdamOptimizer {
  static override get className(): string {
    return 'AdamW';
  }

  readonly weightDecay: number;

  constructor(learningRate = 0.001, weightDecay = 0.004, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) {
    super(
      hyper('AdamW', 'learningRate', learningRate, 0, Infinity, true),
      hyper('AdamW', 'beta1', beta1, 0, 1),
      hyper('AdamW', 'beta2', beta2, 0, 1),
      hyper('AdamW', 'epsilon', epsilon, 0, Infinity),
    );
    this.weightDecay = hyper('AdamW', 'weightDecay', weightDecay, 0, Infinity);
  }

  override applyGradients(variableGradients: Parameters<tf.Optimizer['applyGradients']>[0]): void {
    const t = this.iterations + 1;
    const [η, λ, β1, β2] = [this.learningRate, this.weightDecay, this.beta1, this.beta2];
    const α = (η * Math.sqrt(1 - β2 ** t)) / (1 - β1 ** t); //   η √(1 − β₂ᵗ) / (1 − β₁ᵗ)
    tf.tidy(() => {
      gradientsOf(variableGradients).forEach(({ name, value: θ, g }, i) => {
        const { m, v } = moments(this, i, name, θ);
        if (g == null) return;
        if (λ > 0) θ.assign(tf.sub(θ, tf.mul(tf.mul(θ, λ), η))); //      θ ← θ − η λ θ
        m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - β1))); //             m ← m + (1 − β₁)(g − m)
        v.assign(tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - β2))); //  v ← v + (1 − β₂)(g² − v)
        θ.assign(tf.sub(θ, tf.div(tf.mul(m, α), tf.add(tf.sqrt(v), this.epsilon)))); // θ ← θ − α m / (√v + ε)
      });
    });
    this.incrementIterations();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const c = config as { learningRate: number; weightDecay: number; beta1: number; beta2: number; epsilon: number };
    return new (cls as unknown as typeof AdamW)(c.learningRate, c.weightDecay, c.beta1, c.beta2, c.epsilon) as unknown as T;
  }
}
tf.serialization.registerClass(AdamW);
