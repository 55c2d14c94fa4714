/**
 * Keras 3's `LearningRateScheduler` (keras/src/callbacks/learning_rate_scheduler.py):
 * before each epoch, lr ← schedule(epoch, lr), where epoch counts from 0
 * (from `initialEpoch` when fit starts there) and lr is the optimizer's
 * current rate as Keras reads its float32 variable; the rate of each epoch
 * is logged as `learning_rate` at its end. The rate set is the number the
 * schedule returns, unrounded (the optimizer's step rounds it to float32).
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { checkOptions, verbosity, say } from './callback_args';
import { LearningRate, learningRateOf } from './learning_rate';
import { pyRepr } from './py_format';

/** A schedule: the epoch (from 0) and the current rate → the epoch's rate. */
export type Schedule = (epoch: number, lr: number) => number;

/** Options of {@link LearningRateScheduler}. */
export interface LearningRateSchedulerArgs {
  /** 1: says the rate on stdout before each epoch. Default 0. */
  verbose?: 0 | 1;
}

/**
 * Sets the optimizer's learning rate before each epoch from `schedule(epoch, lr)`.
 *
 * @example
 * ```ts
 * import { tf, Sequential, LSTM, Dense, Adam, LearningRateScheduler } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new LSTM({ units: 4, inputShape: [5, 3] }), new Dense({ units: 1 })] });
 * model.compile({ optimizer: new Adam(0.01), loss: 'mse' });
 * // Keras's documentation example: constant for 10 epochs, then exponential decay.
 * const schedule = (epoch: number, lr: number) => (epoch < 10 ? lr : lr * Math.exp(-0.1));
 * const history = await model.fit(tf.ones([8, 5, 3]), tf.ones([8, 1]), { epochs: 12, verbose: 0, callbacks: [new LearningRateScheduler(schedule)] });
 * console.log(history.history.learning_rate); // [0.01 × 10, 0.00905, 0.00819] (as float32)
 * ```
 */
export class LearningRateScheduler extends tf.Callback {
  readonly verbose: 0 | 1;
  private rate: LearningRate | null = null;

  /** `args` may be Keras's positional verbose (0 or 1). */
  constructor(readonly schedule: Schedule, args: LearningRateSchedulerArgs | 0 | 1 = {}) {
    super();
    const who = 'LearningRateScheduler';
    if (typeof schedule !== 'function') {
      throw new RecurrentConfigError(`${who}: schedule must be a function (epoch, lr) => lr, got ${fmtValue(schedule)}`);
    }
    const a = typeof args === 'number' ? { verbose: args } : checkOptions(who, args, ['verbose'], '{ verbose: 1 }');
    this.verbose = verbosity(who, a.verbose);
  }

  /** Finds the optimizer's rate; an optimizer whose rate cannot change is an error naming it, before any step. */
  override async onTrainBegin(): Promise<void> {
    this.rate = learningRateOf('LearningRateScheduler', this.model.optimizer);
  }

  /** Keras's `on_epoch_begin`: called by fit before each epoch. */
  override async onEpochBegin(epoch: number): Promise<void> {
    const rate = this.rate ?? learningRateOf('LearningRateScheduler', this.model.optimizer);
    const lr = this.schedule(epoch, Math.fround(rate.get()));
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new RecurrentConfigError(`LearningRateScheduler: schedule(${epoch}, lr) must return a finite number ≥ 0, got ${fmtValue(lr)}`);
    }
    rate.set(lr);
    if (this.verbose > 0) say(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${pyRepr(lr)}.`);
  }

  /** Keras's `on_epoch_end`: called by fit after each epoch with its logs. */
  override async onEpochEnd(_epoch: number, logs?: tf.Logs): Promise<void> {
    const rate = this.rate ?? learningRateOf('LearningRateScheduler', this.model.optimizer);
    if (logs != null) logs.learning_rate = Math.fround(rate.get());
  }
}
