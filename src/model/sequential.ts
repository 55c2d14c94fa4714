/**
 * A Keras-like Sequential model: the training machinery of tfjs-layers
 * (compile, fit, evaluate, predict, save) under Keras's names and Keras's
 * `summary()`.
 */
import { checkCallOptions } from './call_options';
import { SaveOptions, saveTarget } from './save_target';
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtShape, fmtValue } from '../errors';
import { uniqueName } from '../naming';
import { NS, arrayTensor, isPlainArray } from '../layers/base';
import { PrintFn, SummaryOptions, printSummary } from './summary';
import { kerasFitArgs } from '../training/keras_names';
import { KerasCompile } from './keras_compile';
import { installKerasSteps } from './keras_steps';
import { setOwnerModel } from '../training/user_model';
import { ElementCheck, checkedDataset, checkedValidation } from './dataset_checks';
import { KerasEvaluateArgs, KerasFitArgs, TrainOnBatchArgs, evaluateWeighted, fitWeighted, needsWeights, trainOnBatchWeighted } from './weighted_training';

/** Options of {@link Sequential}. */
export interface SequentialArgs {
  /** Layers to add, in order. */
  layers?: tf.layers.Layer[];
  /** Default: `sequential`, `sequential_1`, ... as Keras names them. */
  name?: string;
}

/**
 * A linear stack of layers.
 *
 * @example
 * ```ts
 * import { tf, Sequential, Embedding, LSTM, Dense } from 'tfjs-recurrent';
 * const model = new Sequential();
 * model.add(new Embedding({ inputDim: 1000, outputDim: 16 }));
 * model.add(new LSTM({ units: 32 }));
 * model.add(new Dense({ units: 1, activation: 'sigmoid' }));
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
 * model.summary();
 * ```
 */
export class Sequential extends tf.Sequential {
  static override className = NS + 'Sequential';
  /** Keras's names in compile and fit, kept through a reload. */
  private readonly keras = new KerasCompile();

  constructor(args: SequentialArgs = {}) {
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`Sequential: expects an options object such as { name: 'model' }, got ${fmtValue(args)}`);
    }
    super({ ...args, name: args.name ?? uniqueName('sequential') });
  }

  /** tfjs's config, and `trainable: false` for a frozen model (Keras's config has it; tfjs's Sequential drops it). */
  override getConfig(): tf.serialization.ConfigDict {
    const config = super.getConfig() as unknown as tf.serialization.ConfigDict;
    return this.trainable ? config : { ...config, trainable: false };
  }

  /** From a config, frozen again where it says `trainable: false`. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
    customObjects = {} as tf.serialization.ConfigDict,
    fastWeightInit = false,
  ): T {
    const { trainable, ...rest } = config;
    const model = tf.Sequential.fromConfig(cls, rest, customObjects, fastWeightInit) as unknown as tf.Sequential;
    if (trainable === false) model.trainable = false;
    return model as unknown as T;
  }

  override add(layer: tf.layers.Layer): void {
    if (!(layer instanceof tf.layers.Layer)) {
      throw new RecurrentConfigError(`Sequential.add: layer must be a Layer (e.g. new LSTM({ units: 32 })), got ${fmtValue(layer)}`);
    }
    if (this.layers.length === 0 && this.outputs.length === 0 && layer.batchInputShape == null && layer.inboundNodes.length === 0) {
      throw new RecurrentConfigError(
        `Sequential.add: the first layer needs an input shape: pass inputShape (e.g. { inputShape: [10, 8] }) or batchInputShape to ${layer.name}`,
      );
    }
    super.add(layer);
  }

  /** Checks data against the model's input (or output) shape before tfjs sees it. */
  private checkData(method: string, arg: 'x' | 'y', t: unknown, expected: Array<number | null>, batch?: number): void {
    if (!(t instanceof tf.Tensor)) {
      throw new RecurrentInputError(`${method}: ${arg} must be a Tensor of shape ${fmtShape(expected)}, got ${Array.isArray(t) ? 'an array' : fmtValue(t)}`);
    }
    if (t.isDisposed) throw new RecurrentInputError(`${method}: ${arg} is a disposed tensor (model '${this.name}')`);
    if (t.dtype === 'string' || t.dtype === 'complex64') {
      throw new RecurrentInputError(`${method}: ${arg} must be numeric (float32, int32 or bool), got dtype ${t.dtype} (model '${this.name}')`);
    }
    const bad = t.rank !== expected.length || expected.some((d, i) => i > 0 && d != null && d !== t.shape[i]);
    if (bad) {
      throw new RecurrentInputError(`${method}: ${arg} must have shape ${fmtShape(expected)}, got ${fmtShape(t.shape)} (model '${this.name}')`);
    }
    if (batch != null && t.shape[0] !== batch) {
      throw new RecurrentInputError(`${method}: x and y must hold the same number of examples, got ${batch} and ${t.shape[0]} (model '${this.name}')`);
    }
    if (t.shape[0] === 0) throw new RecurrentInputError(`${method}: ${arg} holds no examples (shape ${fmtShape(t.shape)})`);
  }

  private checkXY(method: string, x: unknown, y?: unknown): void {
    if (this.inputs.length !== 1) return; // not built yet: tfjs reports that
    this.checkData(method, 'x', x, this.inputs[0].shape);
    if (y !== undefined) {
      // Sparse labels are class ids, one per sample or step: [..., 1] where the output has [..., C] (tfjs's form).
      const out = this.outputs[0].shape;
      const sparse = [this.loss].flat()[0] === 'sparseCategoricalCrossentropy';
      this.checkData(method, 'y', y, sparse ? [...out.slice(0, -1), 1] : out, (x as tf.Tensor).shape[0]);
    }
    // Examples with no values (no time steps): the layers' own check says so, as predict does (tfjs's fit
    // would first cut batches, and wasm's gather of an empty tensor gives a shape the layers then name instead).
    if (method !== 'predict' && (x as tf.Tensor).size === 0) tf.dispose(super.predict(x as tf.Tensor));
  }

  /**
   * x and y as tensors: a nested array of numbers becomes one (x of the
   * model's input dtype, y float32), as Keras takes lists; `dispose` frees them.
   */
  private tensors(method: string, x: unknown, y?: unknown): { x: tf.Tensor; y?: tf.Tensor; dispose: () => void } {
    const made: tf.Tensor[] = [];
    const as = (v: unknown, dtype: 'float32' | 'int32') => {
      if (!isPlainArray(v)) return v as tf.Tensor;
      made.push(arrayTensor(`${method} (model '${this.name}')`, v, dtype));
      return made[made.length - 1];
    };
    try {
      const inDtype = this.inputs[0]?.dtype === 'int32' ? 'int32' : 'float32';
      return { x: as(x, inDtype), y: y === undefined ? undefined : as(y, 'float32'), dispose: () => tf.dispose(made) };
    } catch (e) {
      tf.dispose(made);
      throw e;
    }
  }

  override predict(x: tf.Tensor | tf.Tensor[] | number[][] | number[][][], args?: Parameters<tf.Sequential['predict']>[1]): tf.Tensor | tf.Tensor[] {
    const d = this.tensors('predict', x);
    try {
      this.checkXY('predict', d.x);
      return super.predict(d.x, args);
    } finally {
      d.dispose();
    }
  }

  /**
   * tfjs's save, with Keras's `overwrite` for a `file://` URL: true replaces
   * any file, false refuses any; by default a model saved before is replaced
   * and any other file refused (see {@link fileIO}).
   */
  override async save(target: tf.io.IOHandler | string, options?: SaveOptions): Promise<tf.io.SaveResult> {
    return super.save(saveTarget(`save (model '${this.name}')`, target, options), options);
  }

  /** The LayersModel inside, which tfjs's Sequential compiles and trains. */
  private trained(method: string): tf.LayersModel {
    const inner = (this as unknown as { model?: tf.LayersModel }).model;
    if (inner == null) throw new RecurrentConfigError(`${method}: model '${this.name}' has no layers yet; add a layer with an input shape and compile it first`);
    return inner;
  }

  /**
   * tfjs's evaluate, with Keras 3's `sampleWeight`: per sample [B], or per
   * step [B, T] for an output with a time axis; the loss is Σ w ℓ over the
   * count of loss values (see {@link fit}); metrics stay unweighted, as
   * Keras 3's `metrics`.
   */
  override evaluate(x: tf.Tensor | tf.Tensor[] | number[][] | number[][][], y: tf.Tensor | tf.Tensor[] | number[][], args?: KerasEvaluateArgs): tf.Scalar | tf.Scalar[] {
    checkCallOptions(`evaluate (model '${this.name}')`, 'evaluate', args);
    const d = this.tensors('evaluate', x, y);
    try {
      this.checkXY('evaluate', d.x, d.y);
      this.keras.resetMetrics('test');
      if (needsWeights(args)) return evaluateWeighted(`evaluate (model '${this.name}')`, this.trained('evaluate'), d.x, d.y!, args!);
      return super.evaluate(d.x, d.y!, args as tf.ModelEvaluateArgs);
    } finally {
      d.dispose();
    }
  }

  /** Keras's loss, metric and optimizer names are accepted (`'binary_crossentropy'`, `['accuracy']`, `'RMSprop'`). */
  override compile(args: tf.ModelCompileArgs): void {
    const inner = () => (this as unknown as { model: tf.LayersModel }).model; // tfjs's Sequential compiles the model it wraps
    // An optimizer made from its name is the model's, as tfjs's own are: model.dispose() disposes it.
    if (this.keras.compile(args, (tfjsArgs) => super.compile(tfjsArgs), () => inner().lossFunctions)) this.isOptimizerOwned = true;
    setOwnerModel(inner(), this); // fit's callbacks get the inner model; ModelCheckpoint saves this one
    installKerasSteps(inner()); // regularizers in the loss, constraints after each step, as Keras 3
  }

  /** A saved model's compile, its metrics under the names they were compiled with (`sparse_categorical_accuracy` stays so). */
  override loadTrainingConfig(config: Parameters<tf.Sequential['loadTrainingConfig']>[0]): void {
    this.keras.loadTrainingConfig(config, () => super.loadTrainingConfig(config));
  }

  /**
   * tfjs's fit, with Keras's progress for `verbose` 1 (the default, as in
   * Keras) and 2 on every backend, and each metric logged under the name it
   * was given (`accuracy`, `val_accuracy`) beside tfjs's (`acc`).
   *
   * `sampleWeight` weighs each sample's loss ([B], or [B, 1]), or each time
   * step's ([B, T], for an output [B, T, C] of a `returnSequences` model:
   * 0 keeps padding out of the loss), as Keras 3: the loss is Σ w ℓ divided
   * by the number of loss values, zero weights included. `validationData`
   * takes `[x, y, sampleWeight]`; `validationSplit` splits the weights too.
   * `classWeight` works as before; with `sampleWeight` it is an error, as in Keras.
   *
   * @example
   * ```ts
   * import { tf, Sequential, Embedding, GRU, Dense } from 'tfjs-recurrent';
   * // A tagger: one class per step; the padding steps (id 0) weigh 0 in the loss.
   * const ids = tf.tensor2d([[4, 2, 0], [3, 1, 2]], [2, 3], 'int32');
   * const tags = tf.tensor3d([1, 0, 0, 1, 1, 0], [2, 3, 1]);
   * const model = new Sequential({ layers: [new Embedding({ inputDim: 5, outputDim: 4, inputLength: 3 }), new GRU({ units: 6, returnSequences: true }), new Dense({ units: 2, activation: 'softmax' })] });
   * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
   * const steps = tf.cast(tf.notEqual(ids, 0), 'float32'); // [B, T]
   * await model.fit(ids, tags, { sampleWeight: steps, epochs: 2, verbose: 0 });
   * const loss = model.evaluate(ids, tags, { sampleWeight: steps }) as tf.Scalar; // Σ w ℓ / (B·T), as Keras 3
   * ```
   */
  override async fit(
    x: tf.Tensor | tf.Tensor[] | { [n: string]: tf.Tensor } | number[][] | number[][][],
    y: tf.Tensor | tf.Tensor[] | { [n: string]: tf.Tensor } | number[][],
    args: KerasFitArgs = {},
  ): ReturnType<tf.Sequential['fit']> {
    checkCallOptions(`fit (model '${this.name}')`, 'fit', args);
    const d = this.tensors('fit', x, y);
    try {
      this.checkXY('fit', d.x, d.y);
      const kerasArgs = kerasFitArgs(args as tf.ModelFitArgs, this.keras.metricAliases, this.keras.statefulMetrics);
      if (needsWeights(args)) return await fitWeighted(`fit (model '${this.name}')`, this.trained('fit'), d.x, d.y!, kerasArgs as KerasFitArgs);
      return await super.fit(d.x, d.y!, kerasArgs);
    } finally {
      d.dispose();
    }
  }

  /** tfjs's trainOnBatch, with Keras's `sampleWeight` or `classWeight` for the batch (as in {@link fit}). */
  override async trainOnBatch(
    x: tf.Tensor | tf.Tensor[] | { [n: string]: tf.Tensor } | number[][] | number[][][],
    y: tf.Tensor | tf.Tensor[] | { [n: string]: tf.Tensor } | number[][],
    args: TrainOnBatchArgs = {},
  ): Promise<number | number[]> {
    checkCallOptions(`trainOnBatch (model '${this.name}')`, 'trainOnBatch', args);
    const d = this.tensors('trainOnBatch', x, y);
    try {
      this.checkXY('trainOnBatch', d.x, d.y);
      this.keras.resetMetrics('train'); // Keras's train_on_batch resets the metrics: an AUC of this batch
      if (args?.sampleWeight != null || args?.classWeight != null) return await trainOnBatchWeighted(`trainOnBatch (model '${this.name}')`, this.trained('trainOnBatch'), d.x, d.y!, args);
      return await super.trainOnBatch(d.x, d.y!);
    } finally {
      d.dispose();
    }
  }

  /**
   * tfjs's fitDataset with what {@link fit} adds: Keras's progress and
   * metric names (`accuracy`, `val_accuracy`), metrics with state reset at
   * each epoch, each element `{ xs, ys }` checked as fit checks x and y when
   * it is read, and an option tfjs does not know refused.
   */
  override async fitDataset<T>(dataset: Parameters<tf.LayersModel['fitDataset']>[0], args: tf.ModelFitDatasetArgs<T>): Promise<tf.History> {
    const who = `fitDataset (model '${this.name}')`;
    checkCallOptions(who, 'fitDataset', args);
    // checkXY's messages end with the model's name already.
    const check: ElementCheck = (where, xs, ys) => this.checkXY(where.replace(` (model '${this.name}')`, ''), xs, ys);
    const checked = { ...args, validationData: checkedValidation(who, args?.validationData, check) } as tf.ModelFitDatasetArgs<T>;
    const kerasArgs = kerasFitArgs(checked as tf.ModelFitArgs, this.keras.metricAliases, this.keras.statefulMetrics);
    return super.fitDataset(checkedDataset(who, 'dataset', dataset, check) as unknown as typeof dataset, kerasArgs as unknown as tf.ModelFitDatasetArgs<T>);
  }

  /** tfjs's evaluateDataset, each element checked as {@link fitDataset}'s, metrics with state starting afresh. */
  override async evaluateDataset(dataset: Parameters<tf.LayersModel['evaluateDataset']>[0], args?: Parameters<tf.LayersModel['evaluateDataset']>[1]): Promise<tf.Scalar | tf.Scalar[]> {
    const who = `evaluateDataset (model '${this.name}')`;
    this.keras.resetMetrics('test');
    return super.evaluateDataset(checkedDataset(who, 'dataset', dataset, (where, xs, ys) => this.checkXY(where.replace(` (model '${this.name}')`, ''), xs, ys)) as typeof dataset, args!);
  }

  /**
   * Prints the model as tf.keras 2.x does, character for character; with
   * `{ style: 'keras3' }` as Keras 3 does (see {@link SummaryOptions}).
   * tfjs's positional form `summary(lineLength, positions, printFn)` prints tf.keras 2's table.
   *
   * @example
   * ```ts
   * import { Sequential, LSTM } from 'tfjs-recurrent';
   * const model = new Sequential({ layers: [new LSTM({ units: 8, inputShape: [5, 3] })] });
   * model.summary(); //                                    tf.keras 2's table
   * model.summary({ style: 'keras3', showTrainable: true }); // Keras 3's boxed table
   * ```
   */
  override summary(options?: SummaryOptions): void;
  override summary(lineLength?: number, positions?: number[], printFn?: PrintFn): void;
  override summary(...args: unknown[]): void {
    if (this.layers.length === 0) {
      throw new RecurrentConfigError(`summary: model '${this.name}' has no layers yet; add a layer with an input shape first`);
    }
    (printSummary as (model: this, ...rest: unknown[]) => void)(this, ...args);
  }
}
tf.serialization.registerClass(Sequential);
