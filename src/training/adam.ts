/**
 * Adam with the update of each variable done in one pass over its elements
 * in our kernels, on the backends where one tf op per element-wise step costs
 * more than the step itself. docs/equations.md#adam
 */
import { tf } from '../tf';
import { make } from '../host_ops';
import { Arena, KernelExports, kernelModule } from '../kernels/module';

type NamedGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** tfjs's AdamOptimizer's own state (private in its typings), which its getWeights, setWeights and dispose use. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable }>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable }>;
}

/**
 * Backends where the fused pass runs, both on host memory. On `cpu`, tfjs's
 * Adam is a dozen element-wise ops per variable, each in plain JS with
 * broadcasting index arithmetic (about 100 ms a step for a 10,000 × 32
 * Embedding table); on `wasm`, each op's dispatch costs more than a small
 * variable's whole update. On `tensorflow` the data lives in TensorFlow's
 * memory, and tfjs's ops run there.
 */
const FUSED = new Set(['cpu', 'wasm']);

/** Adam's constants, as float32 (tfjs's ops see them as float32 scalars). */
export interface AdamConstants {
  β1: number;
  β2: number;
  oneMinusβ1: number;
  oneMinusβ2: number;
  oneMinusβ1t: number;
  oneMinusβ2t: number;
  ε: number;
  negα: number;
}

/**
 * One Adam step of one variable in the kernels (assembly/adam.ts, the
 * equations line by line): from g, m, v, θ, the new m, v and θ into `out`.
 */
export function adamUpdate(k: KernelExports, g: Float32Array, m: Float32Array, v: Float32Array, θ: Float32Array, c: AdamConstants, out: Float32Array[]): void {
  const n = g.length;
  const mem = new Arena(k);
  const p = { g: mem.floats(n), m: mem.floats(n), v: mem.floats(n), θ: mem.floats(n) };
  const view = mem.view();
  view.set(g, p.g / 4);
  view.set(m, p.m / 4);
  view.set(v, p.v / 4);
  view.set(θ, p.θ / 4);
  k.adam(n, p.g, p.m, p.v, p.θ, c.β1, c.β2, c.oneMinusβ1, c.oneMinusβ2, c.oneMinusβ1t, c.oneMinusβ2t, c.ε, c.negα);
  [p.m, p.v, p.θ].forEach((at, i) => out[i].set(view.subarray(at / 4, at / 4 + n)));
}

/**
 * tfjs's Adam (the same state, weights, config and serialized name, `Adam`),
 * whose step on the `cpu` and `wasm` backends is one pass per variable
 * instead of a dozen tf ops. `compile({ optimizer: 'adam' })` builds one.
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
    const k = kernelModule();
    if (!FUSED.has(tf.getBackend()) || !k) {
      super.applyGradients(variableGradients);
      return;
    }
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const f = Math.fround;
    const s = this as unknown as AdamState;
    // The scalars as tfjs's ops see them: float32 tensors.
    const [β1t, β2t] = [s.accBeta1.dataSync()[0], s.accBeta2.dataSync()[0]];
    const c: AdamConstants = {
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
        // New m, v and θ written in one pass (on wasm straight into its heap).
        const [m2, v2, θ2] = make([m.shape, v.shape, value.shape], (outs, read) => adamUpdate(k, read(gradient), read(m), read(v), read(value), c, outs));
        m.assign(m2);
        v.assign(v2);
        value.assign(θ2);
      });
      s.accBeta1.assign(tf.scalar(f(β1t * c.β1)));
      s.accBeta2.assign(tf.scalar(f(β2t * c.β2)));
    });
    this.incrementIterations();
  }
}
