/**
 * Keras 3's Nadam: Adam with Nesterov momentum (Dozat, 2015), as
 * keras/src/optimizers/nadam.py computes it, with its momentum schedule
 * μ_t = β₁ (1 − ½ · 0.96ᵗ) and the product Π_t = μ₁ μ₂ … μ_t kept from step
 * to step. For each variable θ with a gradient g, at step t = 1, 2, …
 * (docs/equations.md#nadam):
 *
 *   m ← m + (1 − β₁)(g − m)
 *   v ← v + (1 − β₂)(g² − v)
 *   m̂ = μ_{t+1} m / (1 − Π_t μ_{t+1}) + (1 − μ_t) g / (1 − Π_t)
 *   v̂ = v / (1 − β₂ᵗ)
 *   θ ← θ − η m̂ / (√v̂ + ε)
 */
import { tf } from '../tf';
import { gradientsOf, hyper, moments } from './adam_slots';

type NamedWeights = Awaited<ReturnType<tf.AdamOptimizer['getWeights']>>;

/** μ_t = β₁ (1 − ½ · 0.96ᵗ), as float32 (Keras computes it so). */
const mu = (β1: number, t: number) => Math.fround(β1 * Math.fround(1 - 0.5 * Math.fround(0.96 ** t)));

/**
 * Keras's `Nadam`, with its defaults (learning rate 0.001, β₁ 0.9, β₂ 0.999,
 * ε 1e-7) and its arguments in its order. `compile({ optimizer: 'nadam' })`
 * builds one. Its state is tfjs's Adam's (iterations, each variable's m and
 * v) and Π_t, saved last as `u_product`.
 *
 * @example
 * ```ts
 * import { Sequential, GRU, Dense, Nadam } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new GRU({ units: 8, inputShape: [5, 3] }), new Dense({ units: 1 })] });
 * model.compile({ optimizer: new Nadam(0.002), loss: 'meanSquaredError' }); // Keras: Nadam(learning_rate=0.002)
 * ```
 */
export class Nadam extends tf.AdamOptimizer {
  static override get className(): string {
    return 'Nadam';
  }

  /** Π_t = μ₁ … μ_t, as a variable (saved with the moments) and as the number the steps use. */
  private uProduct: tf.Variable;
  private Π = 1;

  constructor(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) {
    super(
      hyper('Nadam', 'learningRate', learningRate, 0, Infinity, true),
      hyper('Nadam', 'beta1', beta1, 0, 1),
      hyper('Nadam', 'beta2', beta2, 0, 1),
      hyper('Nadam', 'epsilon', epsilon, 0, Infinity),
    );
    this.uProduct = tf.tidy(() => tf.scalar(1).variable(false));
  }

  override applyGradients(variableGradients: Parameters<tf.Optimizer['applyGradients']>[0]): void {
    const t = this.iterations + 1;
    const [η, β1, β2] = [this.learningRate, this.beta1, this.beta2];
    const [μt, μnext] = [mu(β1, t), mu(β1, t + 1)];
    const Π = Math.fround(this.Π * μt); //                              Π_t = Π_{t−1} μ_t
    const Πnext = Math.fround(Π * μnext); //                            Π_t μ_{t+1}
    const [cm, cg, cv] = [μnext / (1 - Πnext), (1 - μt) / (1 - Π), 1 / (1 - β2 ** t)];
    tf.tidy(() => {
      gradientsOf(variableGradients).forEach(({ name, value: θ, g }, i) => {
        const { m, v } = moments(this, i, name, θ);
        if (g == null) return;
        m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - β1))); //             m ← m + (1 − β₁)(g − m)
        v.assign(tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - β2))); //  v ← v + (1 − β₂)(g² − v)
        const mHat = tf.add(tf.mul(m, cm), tf.mul(g, cg)); //            m̂ = μ_{t+1} m / (1 − Π_t μ_{t+1}) + (1 − μ_t) g / (1 − Π_t)
        const vHat = tf.mul(v, cv); //                                    v̂ = v / (1 − β₂ᵗ)
        θ.assign(tf.sub(θ, tf.div(tf.mul(mHat, η), tf.add(tf.sqrt(vHat), this.epsilon)))); // θ ← θ − η m̂ / (√v̂ + ε)
      });
      this.uProduct.assign(tf.scalar(Π));
    });
    this.Π = Π;
    this.incrementIterations();
  }

  /** tfjs's Adam's weights (iterations, every m, every v), then Π_t as `u_product`. */
  override async getWeights(): Promise<NamedWeights> {
    return [...(await super.getWeights()), { name: 'u_product', tensor: this.uProduct }];
  }

  /** Sets tfjs's Adam's weights and Π_t (without `u_product`, as an Adam's weights, Π_t is μ₁ … μ_t of their iterations). */
  override async setWeights(weightValues: NamedWeights): Promise<void> {
    const last = weightValues[weightValues.length - 1];
    const hasΠ = last?.name === 'u_product';
    await super.setWeights(hasΠ ? weightValues.slice(0, -1) : weightValues);
    let Π = 1;
    if (hasΠ) Π = Math.fround((await last.tensor.data())[0]);
    else for (let t = 1; t <= this.iterations; t++) Π = Math.fround(Π * mu(this.beta1, t));
    this.Π = Π;
    tf.tidy(() => this.uProduct.assign(tf.scalar(Π)));
  }

  override dispose(): void {
    this.uProduct.dispose();
    super.dispose();
  }
}
tf.serialization.registerClass(Nadam);
