/**
 * Keras 3's `ReduceLROnPlateau` (keras/src/callbacks/reduce_lr_on_plateau.py):
 * multiplies the learning rate by `factor` once the monitored quantity has
 * not improved for `patience` epochs, then waits `cooldown` epochs before
 * counting again. At the end of each epoch, with lr the optimizer's rate:
 *
 *   logs.learning_rate ← lr (as float32, as Keras's variable holds it)
 *   in cooldown: cooldown ← cooldown − 1, wait ← 0
 *   current improves on best (mode, minDelta: see MonitorCallback): best ← current, wait ← 0
 *   else, out of cooldown: wait ← wait + 1; if wait ≥ patience and lr > minLr (in float32):
 *       lr ← max(lr · factor, minLr), cooldown ← cooldown epochs, wait ← 0
 *
 * It works on the optimizers learning_rate.ts lists (tfjs's, our Adam, a
 * clipped one); with another, fit fails at its start, naming the optimizer.
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { checkOptions, intAtLeast, numberAtLeast, verbosity, say } from './callback_args';
import { MonitorArgs, MonitorCallback } from './monitor';
import { LearningRate, learningRateOf } from './learning_rate';
import { pyRepr } from './py_format';

/** Options of {@link ReduceLROnPlateau}, Keras's arguments in camelCase. */
export interface ReduceLROnPlateauArgs extends MonitorArgs {
  /** The rate is multiplied by this, in (0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement before the rate is reduced. Default 10. */
  patience?: number;
  /** 1: says on stdout when it reduces the rate. Default 0. */
  verbose?: 0 | 1;
  /** The smallest change that counts as an improvement. Default 1e-4. */
  minDelta?: number;
  /** Epochs after a reduction before waiting starts again. Default 0. */
  cooldown?: number;
  /** The rate is never reduced below this. Default 0. */
  minLr?: number;
}

const KNOWN = ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr'];

/**
 * Reduces the optimizer's learning rate when the monitored quantity stops
 * improving; each epoch's rate is logged as `learning_rate`.
 *
 * @example
 * ```ts
 * import { tf, Sequential, GRU, Dense, Adam, ReduceLROnPlateau } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new GRU({ units: 4, inputShape: [5, 3] }), new Dense({ units: 1 })] });
 * model.compile({ optimizer: new Adam(0.01), loss: 'mse' });
 * const [x, y] = [tf.randomNormal([16, 5, 3], 0, 1, 'float32', 1), tf.randomNormal([16, 1], 0, 1, 'float32', 2)];
 * const reduce = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1, minLr: 1e-4 });
 * const history = await model.fit(x, y, { epochs: 8, callbacks: [reduce], verbose: 0 });
 * console.log(history.history.learning_rate); // 0.01 while the loss falls, then halved at each plateau
 * ```
 */
export class ReduceLROnPlateau extends MonitorCallback {
  readonly factor: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly cooldown: number;
  readonly minLr: number;
  /** Epochs left before waiting starts again. */
  cooldownCounter = 0;
  /** Epochs since the last improvement. */
  wait = 0;
  private rate: LearningRate | null = null;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    const who = 'ReduceLROnPlateau';
    const a = checkOptions(who, args, KNOWN, "{ monitor: 'val_loss', factor: 0.5, patience: 2 }");
    super(who, a, 1e-4);
    const factor = a.factor === undefined ? 0.1 : a.factor;
    if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 0 || factor >= 1) {
      throw new RecurrentConfigError(`${who}: factor must be a number in (0, 1) (the rate is multiplied by it), got ${fmtValue(factor)}`);
    }
    this.factor = factor;
    this.patience = intAtLeast(who, 'patience', a.patience, 10);
    this.verbose = verbosity(who, a.verbose);
    this.cooldown = intAtLeast(who, 'cooldown', a.cooldown, 0);
    this.minLr = numberAtLeast(who, 'minLr', a.minLr, 0);
  }

  /** Finds the optimizer's rate (an error naming it if it cannot change) and starts afresh. */
  override async onTrainBegin(): Promise<void> {
    this.rate = learningRateOf(this.who, this.model.optimizer);
    this.best = null;
    this.cooldownCounter = 0;
    this.wait = 0;
    this.resetWarning();
  }

  /** Keras's `on_epoch_end`: called by fit after each epoch with its logs. */
  override async onEpochEnd(epoch: number, logs?: tf.Logs): Promise<void> {
    const rate = this.rate ?? learningRateOf(this.who, this.model.optimizer);
    if (logs != null) logs.learning_rate = Math.fround(rate.get());
    const current = this.monitored(logs, `the learning rate stays as it is after epoch ${epoch + 1}`);
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const old = Math.fround(rate.get()); // Keras reads its float32 variable
        if (old > Math.fround(this.minLr)) {
          const lr = Math.max(old * this.factor, this.minLr);
          rate.set(lr);
          if (this.verbose > 0) say(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pyRepr(lr)}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}
