/**
 * Adam with the update of each variable done in one pass over its elements,
 * on the backends where one tf op per element-wise step costs more than the
 * step itself. docs/equations.md#adam
 */
import { tf } from '../tf';

type NamedGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** tfjs's AdamOptimizer's own state (private in its typings), which its getWeights, setWeights and dispose use. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable }>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable }>;
}

/**
 * Backends where the fused pass runs. On `cpu` tfjs's Adam is a dozen
 * element-wise ops per variable, each in plain JS with broadcasting index
 * arithmetic (about 100 ms a step for a 10,000 × 32 Embedding table); on
 * `tensorflow` and `wasm` tfjs's ops are native code, and the copies out of
 * and back into their memory would cost more than they save.
 */
const FUSED = new Set(['cpu']);

/**
 * One Adam step on every element, in float32 as tfjs's ops compute it (each
 * operation rounded to float32, `f`), so the result is the same to the bit:
 *
 *   m_t = β₁ m_{t-1} + (1 − β₁) g
 *   v_t = β₂ v_{t-1} + (1 − β₂) g²
 *   m̂_t = m_t / (1 − β₁ᵗ),  v̂_t = v_t / (1 − β₂ᵗ)
 *   θ_t = θ_{t-1} − α m̂_t / (√v̂_t + ε)
 *
 * (Rounding each double result to float32 gives the float32 result exactly
 * for +, −, ×, ÷ and √ of float32 inputs: double has more than 2·24 + 2 bits.)
 */
export function adamUpdate(
  g: ArrayLike<number>, m: ArrayLike<number>, v: ArrayLike<number>, θ: ArrayLike<number>,
  c: { β1: number; β2: number; oneMinusβ1: number; oneMinusβ2: number; oneMinusβ1t: number; oneMinusβ2t: number; ε: number; negα: number },
): { m: Float32Array; v: Float32Array; θ: Float32Array } {
  const f = Math.fround;
  const n = g.length;
  const [m2, v2, θ2] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const { β1, β2, oneMinusβ1, oneMinusβ2, oneMinusβ1t, oneMinusβ2t, ε, negα } = c;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mt = f(f(m[i] * β1) + f(gi * oneMinusβ1)); //              m_t = β₁ m_{t-1} + (1 − β₁) g
    const vt = f(f(v[i] * β2) + f(f(gi * gi) * oneMinusβ2)); //      v_t = β₂ v_{t-1} + (1 − β₂) g²
    const mHat = f(mt / oneMinusβ1t); //                              m̂_t = m_t / (1 − β₁ᵗ)
    const vHat = f(vt / oneMinusβ2t); //                              v̂_t = v_t / (1 − β₂ᵗ)
    θ2[i] = f(f(f(mHat / f(f(Math.sqrt(vHat)) + ε)) * negα) + θ[i]); // θ_t = θ_{t-1} − α m̂_t / (√v̂_t + ε)
    m2[i] = mt;
    v2[i] = vt;
  }
  return { m: m2, v: v2, θ: θ2 };
}

/**
 * tfjs's Adam (the same state, weights, config and serialized name, `Adam`),
 * whose step on the `cpu` backend is one pass per variable instead of a
 * dozen tf ops. `compile({ optimizer: 'adam' })` builds one.
 *
 * @example
 * ```ts
 * import { Sequential, LSTM, Dense, Adam } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new LSTM({ units: 8, inputShape: [5, 3] }), new Dense({ units: 1 })] });
 * model.compile({ optimizer: new Adam(0.01), loss: 'meanSquaredError' });
 * ```
 */
export class Adam extends tf.AdamOptimizer {
  /** tf.train.adam's defaults; without ε, the backend's epsilon. */
  constructor(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
  }

  override applyGradients(variableGradients: NamedGradients): void {
    if (!FUSED.has(tf.getBackend())) {
      super.applyGradients(variableGradients);
      return;
    }
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const f = Math.fround;
    const s = this as unknown as AdamState;
    // The scalars as tfjs's ops see them: float32 tensors.
    const [β1t, β2t] = [s.accBeta1.dataSync()[0], s.accBeta2.dataSync()[0]];
    const c = {
      β1: f(this.beta1), β2: f(this.beta2), oneMinusβ1: f(1 - this.beta1), oneMinusβ2: f(1 - this.beta2),
      oneMinusβ1t: f(1 - β1t), oneMinusβ2t: f(1 - β2t), ε: f(this.epsilon), negα: f(-this.learningRate),
    };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        for (const slots of [s.accumulatedFirstMoment, s.accumulatedSecondMoment]) {
          if (slots[i] == null) {
            const suffix = slots === s.accumulatedFirstMoment ? 'm' : 'v';
            slots[i] = { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
          }
        }
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const m = s.accumulatedFirstMoment[i].variable;
        const v = s.accumulatedSecondMoment[i].variable;
        const next = adamUpdate(gradient.dataSync(), m.dataSync(), v.dataSync(), value.dataSync(), c);
        m.assign(tf.tensor(next.m, m.shape, 'float32'));
        v.assign(tf.tensor(next.v, v.shape, 'float32'));
        value.assign(tf.tensor(next.θ, value.shape, 'float32'));
      });
      s.accBeta1.assign(tf.scalar(f(β1t * c.β1)));
      s.accBeta2.assign(tf.scalar(f(β2t * c.β2)));
    });
    this.incrementIterations();
  }
}
