/**
 * Keras 3's `ModelCheckpoint` (keras/src/callbacks/model_checkpoint.py):
 * saves the model at the end of each epoch (or every `saveFreq` batches),
 * to a path filled in from the logs as Python's `str.format` would:
 * `ckpt-{epoch:02d}-{val_loss:.2f}` → `ckpt-03-0.41` (epoch counts from 1,
 * batch too; py_format.ts has the format specs).
 *
 * A checkpoint is this package's model format: a folder with `model.json`
 * and its weights, written through the model's own `save` (fileIO), so a
 * save never leaves a half-written model: the weights go to a new file and
 * `model.json` is replaced by an atomic rename, one saver at a time per
 * folder (dir_lock.ts). A folder saved before is replaced; a path holding
 * any other file is refused. `loadModel(path)` reads a checkpoint back.
 *
 * - The default saves what Keras's `model.save` keeps: the architecture,
 *   the weights, the compile configuration and the optimizer's state (so
 *   that training can resume from it).
 * - `saveWeightsOnly` leaves out the compile configuration and the
 *   optimizer's state. The architecture stays (Keras's `.weights.h5` has
 *   none): loadModel is what reads weights back here, as a model; put them
 *   in another model of the same architecture with
 *   `model.setWeights((await loadModel(path)).getWeights())`.
 * - Our Sequential is saved as itself; tfjs's own `tf.sequential` hands its
 *   callbacks the functional model it trains inside, and that model (same
 *   layers and weights, named `<name>_model`) is what is saved.
 * - `saveBestOnly` saves only when the monitored value improves on the best
 *   so far (or on `initialValueThreshold`); as in Keras, the best is kept
 *   from one fit to the next.
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtValue } from '../errors';
import { fileIO } from '../model/io';
import { checkOptions, boolean, optionalNumber, verbosity, say } from './callback_args';
import { MonitorArgs, MonitorCallback } from './monitor';
import { Template, fillTemplate, formatNumber, parseTemplate } from './py_format';
import { logNumber } from './progbar';
import { visibleLogKeys } from './logs';
import { userModel } from './user_model';

/** Options of {@link ModelCheckpoint}, Keras's arguments in camelCase. */
export interface ModelCheckpointArgs extends MonitorArgs {
  /** 1: says on stdout what it saves, as Keras does. Default 0. */
  verbose?: 0 | 1;
  /** Save only when the monitored value improves. Default false. */
  saveBestOnly?: boolean;
  /** Leave out the compile configuration and the optimizer state. Default false. */
  saveWeightsOnly?: boolean;
  /** 'epoch' (default): at the end of each epoch; a positive integer n: every n batches. */
  saveFreq?: 'epoch' | number;
  /** With saveBestOnly, the value the first save must beat. Default none. */
  initialValueThreshold?: number | null;
}

const KNOWN = ['monitor', 'verbose', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'saveFreq', 'initialValueThreshold'];
const INTS = ['epoch', 'batch'];

/** Python's `f'{x:.5f}'`, as Keras's messages write values. */
const f5 = (x: number) => formatNumber(x, false, { fill: '', align: '', sign: '', z: false, alt: false, zero: false, width: 0, grouping: '', precision: 5, type: 'f' });

/**
 * Saves the model (or its weights) during `fit` and `fitDataset`, at the end
 * of each epoch or every `saveFreq` batches, optionally only when the
 * monitored quantity improves.
 *
 * @example
 * ```ts
 * import { tf, Sequential, LSTM, Dense, ModelCheckpoint, loadModel } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new LSTM({ units: 4, inputShape: [5, 3] }), new Dense({ units: 1 })] });
 * model.compile({ optimizer: 'adam', loss: 'mse' });
 * const [x, y] = [tf.randomNormal([16, 5, 3], 0, 1, 'float32', 1), tf.randomNormal([16, 1], 0, 1, 'float32', 2)];
 * // One folder per epoch: checkpoints/ckpt-01-1.02/, ... (model.json, its weights, the optimizer's state)
 * await model.fit(x, y, { epochs: 3, validationSplit: 0.25, verbose: 0, callbacks: [new ModelCheckpoint('checkpoints/ckpt-{epoch:02d}-{val_loss:.2f}')] });
 * // Only when val_loss improves, always to the same folder:
 * const best = new ModelCheckpoint('checkpoints/best', { monitor: 'val_loss', saveBestOnly: true });
 * await model.fit(x, y, { epochs: 3, validationSplit: 0.25, verbose: 0, callbacks: [best] });
 * const restored = await loadModel('checkpoints/best'); // the weights of the epoch with the lowest val_loss
 * console.log(best.best, restored.countParams());
 * ```
 */
export class ModelCheckpoint extends MonitorCallback {
  readonly filepath: string;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly saveFreq: 'epoch' | number;
  private readonly template: Template;
  private epoch = 0;
  private batchesSinceSave = 0;
  private lastBatch: number | null = null;

  constructor(filepath: string, args: ModelCheckpointArgs = {}) {
    const who = 'ModelCheckpoint';
    const a = checkOptions(who, args, KNOWN, "{ monitor: 'val_loss', saveBestOnly: true }");
    super(who, a);
    if (typeof filepath !== 'string' || filepath.length === 0) {
      throw new RecurrentConfigError(`${who}: filepath must be a non-empty path (a folder, e.g. 'ckpt-{epoch:02d}'), got ${fmtValue(filepath)}`);
    }
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(filepath)?.[1];
    if (scheme != null && scheme.toLowerCase() !== 'file') {
      throw new RecurrentConfigError(`${who}: filepath must be a path or a file:// URL, got ${fmtValue(filepath)} (${scheme}:// is not saved to here)`);
    }
    const ext = /\.(weights\.h5|keras|h5)$/i.exec(filepath)?.[0];
    if (ext != null) {
      throw new RecurrentConfigError(
        `${who}: filepath ${fmtValue(filepath)} ends in '${ext}', a Keras file; a checkpoint here is a folder holding model.json and its weights ` +
          "(loadModel reads it back; saveKeras exports a .keras file): use a folder path such as 'ckpt-{epoch:02d}'",
      );
    }
    this.template = parseTemplate(who, 'filepath', filepath, INTS);
    this.filepath = filepath;
    this.verbose = verbosity(who, a.verbose);
    this.saveBestOnly = boolean(who, 'saveBestOnly', a.saveBestOnly, false);
    this.saveWeightsOnly = boolean(who, 'saveWeightsOnly', a.saveWeightsOnly, false);
    const freq = a.saveFreq === undefined ? 'epoch' : a.saveFreq;
    if (freq !== 'epoch' && (typeof freq !== 'number' || !Number.isInteger(freq) || freq <= 0)) {
      throw new RecurrentConfigError(`${who}: saveFreq must be 'epoch' or a positive integer (a number of batches), got ${fmtValue(freq)}`);
    }
    this.saveFreq = freq;
    this.best = optionalNumber(who, 'initialValueThreshold', a.initialValueThreshold);
  }

  /** A new fit: the missing-value warning may be given again (the best value is kept, as in Keras). */
  override async onTrainBegin(): Promise<void> {
    this.resetWarning();
  }

  /** Keras's `on_epoch_begin`: called by fit before each epoch. */
  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  /** Counts batches as Keras does (a batch index that does not grow starts a new epoch) and saves every saveFreq. */
  override async onBatchEnd(batch: number, logs?: tf.Logs): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    this.batchesSinceSave += this.lastBatch == null || batch <= this.lastBatch ? batch + 1 : batch - this.lastBatch;
    this.lastBatch = batch;
    if (this.batchesSinceSave < this.saveFreq) return;
    this.batchesSinceSave = 0;
    await this.save(this.epoch, batch, logs);
  }

  /** Keras's `on_epoch_end`: called by fit after each epoch with its logs. */
  override async onEpochEnd(epoch: number, logs?: tf.Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.save(epoch, null, logs);
  }

  /** The path for this save: the template filled from the logs, `epoch` and `batch` counted from 1. */
  filePath(epoch: number, batch: number | null, logs?: tf.Logs): string {
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(logs ?? {})) {
      const x = logNumber(v);
      if (x !== undefined && k !== 'batch' && k !== 'size') values[k] = x;
    }
    values.epoch = epoch + 1;
    if (batch != null) values.batch = batch + 1;
    const filled = fillTemplate(this.template, values, INTS);
    if (typeof filled === 'string') return filled;
    const at = batch == null ? `epoch ${epoch + 1}` : `epoch ${epoch + 1}, batch ${batch + 1}`;
    const have = ['epoch', ...(batch == null ? [] : ['batch']), ...visibleLogKeys(logs)];
    throw new RecurrentInputError(
      `ModelCheckpoint: filepath ${fmtValue(this.filepath)} needs ${filled.missing.map((m) => `'${m}'`).join(', ')}, ` +
        `which the logs of ${at} do not hold (available: ${have.join(', ')})`,
    );
  }

  /** Whether to save now (saveBestOnly: only an improvement), with Keras's messages. */
  private shouldSave(epoch: number, logs: tf.Logs | undefined, path: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) say(`\nEpoch ${epoch + 1}: saving model to ${path}`);
      return true;
    }
    const current = this.monitored(logs, 'saving anyway, as Keras does (saveBestOnly needs it to judge)');
    if (current === undefined) return true;
    const bestStr = this.best == null ? 'None' : f5(this.best);
    if (this.isImprovement(current, this.best)) {
      if (this.verbose > 0) say(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${bestStr} to ${f5(current)}, saving model to ${path}`);
      this.best = current;
      return true;
    }
    if (this.verbose > 0) say(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${bestStr}`);
    return false;
  }

  private async save(epoch: number, batch: number | null, logs?: tf.Logs): Promise<void> {
    const path = this.filePath(epoch, batch, logs);
    if (!this.shouldSave(epoch, logs, path)) return;
    await saveFreeing(userModel(this.model), fileIO(path), !this.saveWeightsOnly);
    if (this.verbose > 0) say(`\nEpoch ${epoch + 1}: finished saving model to ${path}`);
  }
}

/**
 * `model.save(handler, { includeOptimizer })`, freeing what tfjs's save
 * leaves behind: with the optimizer, its `getWeights` makes a new scalar of
 * the iteration count that tfjs's save never disposes (a tensor a save). The
 * optimizer's other weights are its variables, which stay.
 */
async function saveFreeing(model: tf.LayersModel, handler: tf.io.IOHandler, includeOptimizer: boolean): Promise<void> {
  const opt = model.optimizer as (tf.Optimizer & { getWeights: tf.Optimizer['getWeights'] }) | null;
  if (!includeOptimizer || opt == null) {
    await model.save(handler, { includeOptimizer });
    return;
  }
  const made: tf.Tensor[] = [];
  const own = Object.prototype.hasOwnProperty.call(opt, 'getWeights');
  const getWeights = opt.getWeights;
  opt.getWeights = async function (this: tf.Optimizer) {
    const ws = await getWeights.call(this);
    for (const w of ws) if (!(w.tensor instanceof tf.Variable)) made.push(w.tensor);
    return ws;
  };
  try {
    await model.save(handler, { includeOptimizer });
  } finally {
    if (own) opt.getWeights = getWeights;
    else delete (opt as { getWeights?: unknown }).getWeights;
    tf.dispose(made);
  }
}
