/**
 * Keras 3's `EarlyStopping` (keras/src/callbacks/early_stopping.py), with
 * `restoreBestWeights`, which tfjs's `tf.callbacks.earlyStopping` refuses.
 *
 * At the end of each epoch from `startFromEpoch` on, with `current` the
 * monitored value (an epoch without it is skipped, with a warning on stderr):
 *
 *   wait ← wait + 1
 *   current improves on best (see MonitorCallback):
 *       best ← current, bestEpoch ← epoch, copy the weights (restoreBestWeights)
 *       wait ← 0 if current also improves on baseline (or there is none); done
 *   otherwise, if wait ≥ patience and epoch > 0: stop training
 *
 * With `restoreBestWeights`, the weights of the first monitored epoch are
 * copied even if it is no improvement, and the best weights are put back at
 * the end of training, whether it stopped early or ran all its epochs (or
 * another callback stopped it). The copies are freed then, and when a new
 * fit starts.
 */
import { tf } from '../tf';
import { checkOptions, intAtLeast, boolean, optionalNumber, verbosity, say } from './callback_args';
import { MonitorArgs, MonitorCallback } from './monitor';

/** Options of {@link EarlyStopping}, Keras's arguments in camelCase. */
export interface EarlyStoppingArgs extends MonitorArgs {
  /** The smallest change that counts as an improvement (its sign is ignored). Default 0. */
  minDelta?: number;
  /** Epochs without improvement before training stops. Default 0. */
  patience?: number;
  /** 1: says on stdout when it stops and when it restores weights. Default 0. */
  verbose?: 0 | 1;
  /** Training stops unless the monitored value improves on this (as Keras: wait restarts only past it). Default none. */
  baseline?: number | null;
  /** Put back the weights of the best epoch when training ends. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs (counted from 0) to run before watching. Default 0. */
  startFromEpoch?: number;
}

const KNOWN = ['monitor', 'minDelta', 'patience', 'verbose', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch'];

/**
 * Stops `fit` (or `fitDataset`) when the monitored quantity has stopped
 * improving, and with `restoreBestWeights` puts back the best epoch's weights.
 *
 * @example
 * ```ts
 * import { tf, Sequential, LSTM, Dense, EarlyStopping } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new LSTM({ units: 4, inputShape: [5, 3] }), new Dense({ units: 1 })] });
 * model.compile({ optimizer: 'adam', loss: 'mse' });
 * const [x, y] = [tf.randomNormal([16, 5, 3], 0, 1, 'float32', 1), tf.randomNormal([16, 1], 0, 1, 'float32', 2)];
 * const stop = new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
 * await model.fit(x, y, { epochs: 50, validationSplit: 0.25, callbacks: [stop], verbose: 0 });
 * console.log(stop.stoppedEpoch, stop.bestEpoch, stop.best); // where it stopped, and the epoch whose weights the model holds
 * ```
 */
export class EarlyStopping extends MonitorCallback {
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement (Keras's `wait`). */
  wait = 0;
  /** The epoch (from 0) at which training was stopped; 0 if it was not. */
  stoppedEpoch = 0;
  /** The epoch (from 0) of the best value, whose weights are restored. */
  bestEpoch = 0;
  /** Copies of the best epoch's weights (restoreBestWeights), until training ends. */
  private bestWeights: tf.Tensor[] | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    const who = 'EarlyStopping';
    const a = checkOptions(who, args, KNOWN, "{ monitor: 'val_loss', patience: 3, restoreBestWeights: true }");
    super(who, a);
    this.patience = intAtLeast(who, 'patience', a.patience, 0);
    this.verbose = verbosity(who, a.verbose);
    this.baseline = optionalNumber(who, 'baseline', a.baseline);
    this.restoreBestWeights = boolean(who, 'restoreBestWeights', a.restoreBestWeights, false);
    this.startFromEpoch = intAtLeast(who, 'startFromEpoch', a.startFromEpoch, 0);
  }

  /** A new fit starts afresh (Keras allows an instance to serve several fits). */
  override async onTrainBegin(): Promise<void> {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestEpoch = 0;
    this.dropCopies();
    this.resetWarning();
  }

  /** Keras's `on_epoch_end`: called by fit after each epoch with its logs. */
  override async onEpochEnd(epoch: number, logs?: tf.Logs): Promise<void> {
    const current = this.monitored(logs, `early stopping skips epoch ${epoch + 1}`);
    if (current === undefined || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights == null) {
      this.keepWeights(); // the first watched epoch's weights are the best so far, improvement or not
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.keepWeights();
      // Wait restarts only when the value beats the baseline as well as the best so far.
      if (this.baseline == null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  /** Says where it stopped (verbose) and puts the best weights back (restoreBestWeights). */
  override async onTrainEnd(): Promise<void> {
    if (this.stoppedEpoch > 0 && this.verbose > 0) say(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights != null) {
      if (this.verbose > 0) say(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model.setWeights(this.bestWeights);
    }
    this.dropCopies();
  }

  /** Replaces the kept copies by the model's weights now. */
  private keepWeights(): void {
    const copies = this.model.getWeights().map((w) => tf.keep(w.clone()));
    this.dropCopies();
    this.bestWeights = copies;
  }

  private dropCopies(): void {
    if (this.bestWeights != null) tf.dispose(this.bestWeights);
    this.bestWeights = null;
  }
}
