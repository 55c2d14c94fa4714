/**
 * Adam with the update of each variable done in one pass over its elements
 * in our kernels, where tfjs runs a dozen tf ops, each costing more than a
 * small variable's whole update. docs/equations.md#adam
 */
import { tf } from '../tf';
import { make } from '../host_ops';
import { Arena, KernelExports, residentBlocks } from '../kernels/module';
import { adamKernels } from '../placement';

type NamedGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];
type NamedWeights = Awaited<ReturnType<tf.AdamOptimizer['getWeights']>>;

/** tfjs's AdamOptimizer's own state (private in its typings), which its getWeights, setWeights and dispose use. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable }>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable }>;
}

/** Adam's constants, as float32 (tfjs's ops see them as float32 scalars). */
interface AdamConstants {
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
 * A variable's m and v, kept in the kernels' memory between steps (a resident
 * block: m, then v): each step then copies in g and θ and out θ only, not m
 * and v both ways (for a 10,000 × 32 Embedding table, 5 MB a step less).
 * tfjs's m and v variables are brought up to date when they are read.
 */
interface Moments {
  k: KernelExports;
  block: number;
  n: number;
}

/**
 * One Adam step of one variable in the kernels (assembly/adam.ts, the
 * equations line by line): from g and θ, and m and v in place, the new θ into `out`.
 */
function adamStep(k: KernelExports, g: Float32Array, θ: Float32Array, moments: Moments, c: AdamConstants, out: Float32Array): void {
  const n = g.length;
  const mem = new Arena(k);
  const p = { g: mem.floats(n), θ: mem.floats(n) };
  const view = mem.view();
  view.set(g, p.g / 4);
  view.set(θ, p.θ / 4);
  k.adam(n, p.g, moments.block, moments.block + 4 * n, p.θ, c.β1, c.β2, c.oneMinusβ1, c.oneMinusβ2, c.oneMinusβ1t, c.oneMinusβ2t, c.ε, c.negα);
  out.set(view.subarray(p.θ / 4, p.θ / 4 + n));
}

/**
 * tfjs's Adam (the same state, weights, config and serialized name, `Adam`),
 * whose step is one pass per variable in our kernels instead of a dozen tf
 * ops, on every backend (tfjs's own where the kernels are not built). `compile({ optimizer: 'adam' })` builds one.
 *
 * @example
 * ```ts
 * import { Sequential, LSTM, Dense, Adam } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new LSTM({ units: 8, inputShape: [5, 3] }), new Dense({ units: 1 })] });
 * model.compile({ optimizer: new Adam(0.01), loss: 'meanSquaredError' });
 * ```
 */
export class Adam extends tf.AdamOptimizer {
  /** Each variable's m and v in the kernels, by position (as tfjs's own m and v). */
  private moments: Array<Moments | undefined> = [];

  /** tf.train.adam's defaults; without ε, the backend's epsilon. */
  constructor(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
  }

  override applyGradients(variableGradients: NamedGradients): void {
    // The fused step runs wherever the kernels are built. tfjs's own is a dozen element-wise ops per
    // variable: on cpu each in plain JS (about 100 ms a step for a 10,000 × 32 Embedding table), on wasm
    // and tensorflow each a dispatch that costs more than a small variable's whole update (LSTM(32)
    // training: 27 against 32 ms a step on tensorflow, 10.9 against 12.4 on wasm).
    const k = adamKernels();
    if (!k) {
      this.syncMoments(true);
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
        const moments = this.momentsOf(k, i, value.size);
        // The new θ written in one pass (on wasm straight into its heap); m and v stay in the kernels.
        const [θ2] = make([value.shape], ([out], read) => adamStep(k, read(gradient), read(value), moments, c, out));
        value.assign(θ2);
      });
      s.accBeta1.assign(tf.scalar(f(β1t * c.β1)));
      s.accBeta2.assign(tf.scalar(f(β2t * c.β2)));
    });
    this.incrementIterations();
  }

  /**
   * Variable i's m and v in the kernels: on its first step, or after the
   * kernel module changed (tests load other builds), copied in from tfjs's.
   */
  private momentsOf(k: KernelExports, i: number, n: number): Moments {
    const had = this.moments[i];
    if (had && had.k === k && had.n === n) return had;
    if (had) this.handBack(i, had); //                        (the old module's memory is still readable)
    const s = this as unknown as AdamState;
    const moments = { k, n, block: residentBlocks(k).take(8 * n) };
    const view = new Arena(k, moments.block + 8 * n).view(); // (grown to hold the block)
    view.set(s.accumulatedFirstMoment[i].variable.dataSync() as Float32Array, moments.block / 4);
    view.set(s.accumulatedSecondMoment[i].variable.dataSync() as Float32Array, moments.block / 4 + n);
    this.moments[i] = moments;
    return moments;
  }

  /** Writes variable i's m and v from the kernels into tfjs's variables; with `release`, frees the block. */
  private handBack(i: number, mo: Moments, release = true): void {
    const s = this as unknown as AdamState;
    const view = new Arena(mo.k, mo.block).view();
    for (const [slots, at] of [[s.accumulatedFirstMoment, mo.block / 4], [s.accumulatedSecondMoment, mo.block / 4 + mo.n]] as const) {
      const v = slots[i].variable;
      tf.tidy(() => v.assign(tf.tensor(view.slice(at, at + mo.n), v.shape, 'float32')));
    }
    if (release) residentBlocks(mo.k).release(mo.block);
  }

  /** Brings tfjs's m and v up to date from the kernels; with `release`, frees the blocks (tfjs's are then the state). */
  private syncMoments(release: boolean): void {
    this.moments.forEach((mo, i) => mo && this.handBack(i, mo, release));
    if (release) this.moments = [];
  }

  /** tfjs's weights: the iterations, then every m, then every v (brought up to date from the kernels first). */
  override async getWeights(): Promise<NamedWeights> {
    this.syncMoments(false);
    return super.getWeights();
  }

  /** Sets the iterations, m and v as tfjs's Adam does; the kernels copy m and v in again at the next step. */
  override async setWeights(weightValues: NamedWeights): Promise<void> {
    this.dropMoments();
    return super.setWeights(weightValues);
  }

  override dispose(): void {
    this.dropMoments();
    super.dispose();
  }

  /** Frees the kernels' m and v without reading them (tfjs's variables are about to be replaced or disposed). */
  private dropMoments(): void {
    this.moments.forEach((mo) => mo && residentBlocks(mo.k).release(mo.block));
    this.moments = [];
  }
}
