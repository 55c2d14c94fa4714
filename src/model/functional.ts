/**
 * A functional model (a graph of layers from `tf.input` to outputs) whose
 * `summary()` prints what tf.keras 2.x prints, like {@link Sequential}'s.
 */
import { tf } from '../tf';
import { NS } from '../layers/base';
import { PrintFn, SummaryOptions, printSummary } from './summary';
import { kerasFitArgs } from '../training/keras_names';
import { KerasCompile } from './keras_compile';
import { checkCallOptions } from './call_options';
import { ElementCheck, checkedDataset, checkedValidation } from './dataset_checks';
import { RecurrentInputError } from '../errors';
import { KerasEvaluateArgs, KerasFitArgs, TrainOnBatchArgs, evaluateWeighted, fitWeighted, needsWeights, trainOnBatchWeighted, weightedTestFunction } from './weighted_training';
import { SaveOptions, saveTarget } from './save_target';
import { installKerasSteps } from './keras_steps';

/**
 * tfjs's `LayersModel` with Keras's `summary()`. Build it as `tf.model`:
 * from the symbolic inputs and outputs of layers applied to `tf.input`s.
 *
 * @example
 * ```ts
 * import { tf, Functional, Embedding, LSTM, Dense } from 'tfjs-recurrent';
 * const ids = tf.input({ shape: [20], dtype: 'int32' });
 * const h = new LSTM({ units: 8 }).apply(new Embedding({ inputDim: 100, outputDim: 4 }).apply(ids)) as tf.SymbolicTensor;
 * const model = new Functional({ inputs: ids, outputs: new Dense({ units: 1 }).apply(h) as tf.SymbolicTensor });
 * model.summary(); // input_1 (InputLayer) [(None, 20)], embedding, lstm, dense
 * ```
 */
export class Functional extends tf.LayersModel {
  /** Saved under its own name, so that a load builds a Functional again (tfjs's 'Model' loads as its LayersModel). */
  static override className = NS + 'Functional';
  /** Keras's names in compile and fit, kept through a reload. */
  private readonly keras = new KerasCompile();

  /** Keras's loss, metric and optimizer names are accepted, as by {@link Sequential}. */
  override compile(args: tf.ModelCompileArgs): void {
    // An optimizer made from its name is the model's, as tfjs's own are: model.dispose() disposes it.
    if (this.keras.compile(args, (tfjsArgs) => super.compile(tfjsArgs), () => this.lossFunctions, this.outputNames)) this.isOptimizerOwned = true;
    installKerasSteps(this); // regularizers in the loss, constraints after each step, as Keras 3
  }

  /** A saved model's compile, its metrics under the names they were compiled with, as {@link Sequential}'s. */
  override loadTrainingConfig(config: Parameters<tf.LayersModel['loadTrainingConfig']>[0]): void {
    this.keras.loadTrainingConfig(config, () => super.loadTrainingConfig(config));
  }

  /**
   * tfjs's fit with Keras's progress (`verbose` 1, the default, and 2),
   * metric names and `sampleWeight` (per sample, or per step for an output
   * with a time axis; one for all outputs, one per output or by output
   * name), as {@link Sequential}'s.
   */
  override async fit(
    x: tf.Tensor | tf.Tensor[] | { [n: string]: tf.Tensor },
    y: tf.Tensor | tf.Tensor[] | { [n: string]: tf.Tensor },
    args: KerasFitArgs = {},
  ): Promise<tf.History> {
    checkCallOptions(`fit (model '${this.name}')`, 'fit', args);
    const kerasArgs = kerasFitArgs(args as tf.ModelFitArgs, this.keras.metricAliases, this.keras.statefulMetrics);
    if (needsWeights(args)) return fitWeighted(`fit (model '${this.name}')`, this, x, y, kerasArgs as KerasFitArgs);
    return super.fit(x, y, kerasArgs);
  }

  /** tfjs's trainOnBatch, with Keras's `sampleWeight` or `classWeight` for the batch. */
  override async trainOnBatch(x: tf.Tensor | tf.Tensor[] | { [n: string]: tf.Tensor }, y: tf.Tensor | tf.Tensor[] | { [n: string]: tf.Tensor }, args: TrainOnBatchArgs = {}): Promise<number | number[]> {
    checkCallOptions(`trainOnBatch (model '${this.name}')`, 'trainOnBatch', args);
    this.keras.resetMetrics('train'); // Keras's train_on_batch resets the metrics
    if (args?.sampleWeight != null || args?.classWeight != null) return trainOnBatchWeighted(`trainOnBatch (model '${this.name}')`, this, x, y, args);
    return super.trainOnBatch(x, y);
  }

  /** Checks one element of a dataset as fit's standardization checks x and y, naming `where`. */
  private checkElement(where: string, xs: unknown, ys: unknown): void {
    try {
      const made = this.standardizeUserDataXY(xs as tf.Tensor, ys as tf.Tensor, true).flat();
      tf.dispose(made.filter((t) => t !== xs && t !== ys && !(Array.isArray(xs) && xs.includes(t)) && !(Array.isArray(ys) && ys.includes(t))));
    } catch (e) {
      throw new RecurrentInputError(`${where}: ${(e as Error).message}`);
    }
  }

  /** tfjs's fitDataset with what {@link fit} adds (progress, Keras's metric names, metric resets), each element checked as fit checks x and y. */
  override async fitDataset<T>(dataset: Parameters<tf.LayersModel['fitDataset']>[0], args: tf.ModelFitDatasetArgs<T>): Promise<tf.History> {
    const who = `fitDataset (model '${this.name}')`;
    checkCallOptions(who, 'fitDataset', args);
    const check: ElementCheck = (where, xs, ys) => this.checkElement(where, xs, ys);
    const checked = { ...args, validationData: checkedValidation(who, args?.validationData, check) } as tf.ModelFitDatasetArgs<T>;
    const kerasArgs = kerasFitArgs(checked as tf.ModelFitArgs, this.keras.metricAliases, this.keras.statefulMetrics);
    return super.fitDataset(checkedDataset(who, 'dataset', dataset, check) as unknown as typeof dataset, kerasArgs as unknown as tf.ModelFitDatasetArgs<T>);
  }

  /** tfjs's evaluateDataset, each element checked, metrics with state starting afresh. */
  override async evaluateDataset(dataset: Parameters<tf.LayersModel['evaluateDataset']>[0], args?: Parameters<tf.LayersModel['evaluateDataset']>[1]): Promise<tf.Scalar | tf.Scalar[]> {
    this.keras.resetMetrics('test');
    const who = `evaluateDataset (model '${this.name}')`;
    return super.evaluateDataset(checkedDataset(who, 'dataset', dataset, (where, xs, ys) => this.checkElement(where, xs, ys)) as typeof dataset, args);
  }

  /** tfjs's save, with Keras's `overwrite` for a `file://` URL (see {@link fileIO}). */
  override async save(target: tf.io.IOHandler | string, options?: SaveOptions): Promise<tf.io.SaveResult> {
    return super.save(saveTarget(`save (model '${this.name}')`, target, options), options);
  }

  /** tfjs's evaluate, with Keras 3's `sampleWeight` (as {@link Sequential}'s); an option it does not know is refused. */
  override evaluate(x: tf.Tensor | tf.Tensor[], y: tf.Tensor | tf.Tensor[], args?: KerasEvaluateArgs): tf.Scalar | tf.Scalar[] {
    checkCallOptions(`evaluate (model '${this.name}')`, 'evaluate', args);
    this.keras.resetMetrics('test');
    if (needsWeights(args)) return evaluateWeighted(`evaluate (model '${this.name}')`, this, x, y, args!);
    return super.evaluate(x, y, args as tf.ModelEvaluateArgs);
  }

  /**
   * Prints the model as tf.keras 2.x does: a chain as the 65-character table
   * (with its InputLayer), a graph with branches with a 'Connected to' column;
   * with `{ style: 'keras3' }` as Keras 3 does (see {@link SummaryOptions}).
   */
  override summary(options?: SummaryOptions): void;
  override summary(lineLength?: number, positions?: number[], printFn?: PrintFn): void;
  override summary(...args: unknown[]): void {
    (printSummary as (model: this, ...rest: unknown[]) => void)(this, ...args);
  }
}
tf.serialization.registerClass(Functional);

// The test function of evaluate, of fit's validation and of evaluateDataset: tfjs's (a private method, so
// set here) logs the first output's loss as `loss` for a model of several outputs, and running sums as the
// outputs' losses (val_loss = a_loss); this one gives the total and each output's own, as Keras.
Object.defineProperty(Functional.prototype, 'makeTestFunction', {
  value(this: Functional) {
    (this as unknown as { testFunction: unknown }).testFunction = weightedTestFunction(this);
  },
});
