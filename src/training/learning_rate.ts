/**
 * An optimizer's learning rate, read and changed between epochs by
 * ReduceLROnPlateau and LearningRateScheduler (Keras's `optimizer.learning_rate`).
 *
 * - tfjs's SGD and Momentum keep −α as a tensor: `setLearningRate(α)` makes a new one.
 * - tfjs's Adam, Adamax, Adagrad, Adadelta and RMSProp, and our Adam (fused
 *   or not), Nadam and AdamW (which extend tfjs's Adam), read their
 *   `learningRate` field at every step: setting it holds from the next step
 *   on, and the moments carry on.
 * - An optimizer of one's own takes part when it has a numeric
 *   `learningRate` and a `setLearningRate(α)` method.
 * - A ClippedOptimizer (withGradientClipping) passes to the optimizer it wraps.
 *
 * Any other optimizer is an error naming it, when fit starts.
 */
import { tf } from '../tf';
import { RecurrentConfigError } from '../errors';
import { ClippedOptimizer } from './clipping';

/** Reads and sets one optimizer's learning rate. */
export interface LearningRate {
  /** The rate the next step uses. */
  get(): number;
  /** Sets the rate from the next step on. */
  set(α: number): void;
}

/** tfjs's optimizers that read `this.learningRate` at every step (our Adam extends tfjs's). */
const READ_EACH_STEP = [tf.AdamOptimizer, tf.AdamaxOptimizer, tf.AdagradOptimizer, tf.AdadeltaOptimizer, tf.RMSPropOptimizer];

/** tfjs's Optimizer answers `instanceof` by duck typing: the prototype chain decides here. */
const isA = (o: object, cls: { prototype: object }) => cls.prototype.isPrototypeOf(o);

const nameOf = (o: tf.Optimizer) => {
  const n = typeof o.getClassName === 'function' ? o.getClassName() : undefined;
  return n ?? (o as object).constructor?.name ?? 'an optimizer';
};

/**
 * The learning rate of `optimizer` (a model's), or a RecurrentConfigError
 * naming `who` and the optimizer when it cannot be changed between epochs.
 */
export function learningRateOf(who: string, optimizer: tf.Optimizer | null | undefined): LearningRate {
  if (optimizer == null) throw new RecurrentConfigError(`${who}: the model has no optimizer; compile it first`);
  let o = optimizer;
  while (isA(o, ClippedOptimizer)) o = (o as ClippedOptimizer).inner;
  const rec = o as unknown as { learningRate?: unknown; setLearningRate?: (α: number) => void };
  if (typeof rec.learningRate === 'number') {
    const get = () => rec.learningRate as number;
    if (typeof rec.setLearningRate === 'function') return { get, set: (α) => rec.setLearningRate!(α) };
    if (READ_EACH_STEP.some((c) => isA(o, c))) return { get, set: (α) => void (rec.learningRate = α) };
  }
  throw new RecurrentConfigError(
    `${who}: the learning rate of the model's optimizer ${nameOf(o)} cannot be changed between epochs: ` +
      'expected one of tfjs\'s optimizers (sgd, momentum, adam, adamax, adagrad, adadelta, rmsprop), our Adam, Nadam or AdamW, ' +
      'or an optimizer with a numeric learningRate and a setLearningRate(lr) method',
  );
}
