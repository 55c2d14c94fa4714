/**
 * Adam whose learning rate can change between steps, for a schedule over
 * epochs: its moments m, v and the bias corrections β₁ᵗ, β₂ᵗ carry on.
 */
import { Adam } from '../training/adam';

/**
 * Our Adam (tfjs's, fused on cpu) with a typed `setLearningRate`. Adam reads its rate at
 * every step (θ ← θ − α · m̂ / (√v̂ + ε)), so a new α holds from the next step
 * on; a new optimizer instead would restart m, v and the bias correction from
 * zero. It serializes as tfjs's `Adam`, with the current rate. `buildClassifier`
 * compiles the model with one; in `trainMember`, a LearningRateScheduler sets
 * α_e = α₀ · decay^e before epoch e (through `setLearningRate`).
 */
export class ScheduledAdam extends Adam {
  /** tf.train.adam's defaults; without ε, the backend's epsilon. */
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
  }

  /** α from the next step on. */
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  /** The α of the next step. */
  getLearningRate(): number {
    return this.learningRate;
  }
}

/**
 * Whether `o` is a ScheduledAdam, by its prototype chain: tfjs's Optimizer
 * answers `instanceof` by duck typing, so any optimizer passes `instanceof ScheduledAdam`.
 */
export function isScheduledAdam(o: unknown): o is ScheduledAdam {
  return typeof o === 'object' && o !== null && ScheduledAdam.prototype.isPrototypeOf(o);
}
