/**
 * `fit`, `evaluate` and `trainOnBatch` with sample weights, on tfjs's own
 * training machinery: tfjs's train function already multiplies each
 * output's loss by a weight fed beside the targets (it is how its
 * `classWeight` works), and its `fitLoop` and `testLoop` cut every tensor
 * they are given into the same batches. What tfjs lacks is taking the
 * weights (its fit throws "sample weight is not supported yet", its
 * evaluate drops them) and a test function that weighs the loss: both are
 * here. The loss is Keras 3's (src/training/sample_weight.ts); the compiled
 * metrics stay unweighted, as Keras 3's `metrics` are (only its
 * `weighted_metrics` are weighted).
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { SampleWeight, WeightedOutputs, checkOneWeighting, sampleWeightTensors } from '../training/sample_weight';
import { modelPenalties } from '../training/penalties';
import { withActivityLosses } from '../layers/penalties';

/** evaluate's options: tfjs's, with Keras 3's `sampleWeight` (per sample [B], or per step [B, T]). */
export type KerasEvaluateArgs = Omit<tf.ModelEvaluateArgs, 'sampleWeight'> & {
  /** Weights of the samples, [B] or [B, 1], or of their time steps, [B, T] (see Sequential's `fit`). */
  sampleWeight?: SampleWeight;
};

/** fit's options: tfjs's, with Keras 3's `sampleWeight` and `validationData: [x, y, sampleWeight]`. */
export type KerasFitArgs = Omit<tf.ModelFitArgs, 'sampleWeight' | 'validationData' | 'verbose'> & {
  /** 0: silent, 1: a progress bar, 2: one line per epoch (tfjs < 4.10 types its own as 0 | 1). */
  verbose?: 0 | 1 | 2;
  /** Weights of the samples, [B] or [B, 1], or of their time steps, [B, T]. */
  sampleWeight?: SampleWeight;
  /** `[x, y]`, or `[x, y, sampleWeight]` for a weighted validation loss. */
  validationData?: [tf.Tensor | tf.Tensor[], tf.Tensor | tf.Tensor[]] | [tf.Tensor | tf.Tensor[], tf.Tensor | tf.Tensor[], SampleWeight];
};

type Fn = (data: tf.Tensor[]) => tf.Scalar[];
type LossOrMetric = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** The parts of tfjs's LayersModel used here (protected or private in its typings, public at run time). */
interface Trainer {
  name: string;
  inputs: tf.SymbolicTensor[];
  outputs: tf.SymbolicTensor[];
  outputNames: string[];
  isTraining: boolean;
  lossFunctions: LossOrMetric[];
  metricsTensors: Array<[LossOrMetric, number]>;
  optimizer: tf.Optimizer | undefined;
  predictOnBatch(x: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[];
  standardizeUserDataXY(x: unknown, y: unknown, checkBatchAxis?: boolean, batchSize?: number): [tf.Tensor[], tf.Tensor[]];
  standardizeUserData(x: unknown, y: unknown, sampleWeight?: unknown, classWeight?: unknown, checkBatchAxis?: boolean, batchSize?: number): Promise<[tf.Tensor[], tf.Tensor[], tf.Tensor[] | null]>;
  makeTrainFunction(): Fn;
  testLoop(f: Fn, ins: tf.Tensor[], batchSize?: number, verbose?: number, steps?: number): tf.Scalar[];
  fitLoop(
    f: Fn, ins: tf.Tensor[], outLabels: string[], batchSize: number, epochs: number | undefined, verbose: number | undefined, callbacks: tf.CustomCallback[] | tf.Callback[],
    valF: Fn | null, valIns: tf.Tensor[], shuffle: boolean | string | undefined, callbackMetrics: string[], initialEpoch: number | undefined, stepsPerEpoch: null, validationSteps: null,
  ): Promise<tf.History>;
  getDedupedMetricsNames(): string[];
  checkTrainableWeightsConsistency(): void;
}

const trainer = (model: tf.LayersModel) => model as unknown as Trainer;

/** Whether a call of fit, evaluate or trainOnBatch needs the weighted path: weights tfjs would refuse or drop. */
export function needsWeights(args: { sampleWeight?: unknown; validationData?: unknown } | undefined): boolean {
  return args != null && (args.sampleWeight != null || (Array.isArray(args.validationData) && args.validationData.length === 3));
}

/** The tensors of `made` that are not among `given` (tfjs's standardization passes the caller's through, or makes new ones). */
function newOnes(made: tf.Tensor[], given: unknown): tf.Tensor[] {
  const theirs = new Set<unknown>(given instanceof tf.Tensor ? [given] : Array.isArray(given) ? given : given != null && typeof given === 'object' ? Object.values(given) : []);
  return made.filter((t) => !theirs.has(t));
}

function outputsOf(m: Trainer, ys: tf.Tensor[]): WeightedOutputs {
  return { names: m.outputNames, shapes: m.outputs.map((o) => o.shape), ys };
}

function checkBatchSize(who: string, batchSize: unknown): number {
  const b = batchSize ?? 32;
  if (typeof b !== 'number' || !Number.isInteger(b) || b < 1) throw new RecurrentConfigError(`${who}: batchSize must be a positive integer, got ${fmtValue(batchSize)}`);
  return b;
}

/**
 * A test function whose loss is weighted as Keras 3 weighs it: `data` is the
 * inputs, the targets, then one weight per output (shaped to multiply the
 * loss), or no weights (all 1). It returns what `metricsNames` names: the
 * total loss, each output's loss when there are several (weighted, as Keras
 * logs them), then the metrics (unweighted). The total holds the model's
 * regularization penalties, as Keras 3's test step computes them
 * (src/training/penalties.ts). (tfjs's own test function returns, for a
 * model of several outputs, the first output's loss as the total and the
 * running sums as the outputs' losses, and leaves the penalties out.)
 */
export function weightedTestFunction(model: tf.LayersModel): Fn {
  const m = trainer(model);
  const [nIn, nOut] = [m.inputs.length, m.outputs.length];
  return (data) =>
    withActivityLosses(() => tf.tidy(() => {
      const inputs = data.slice(0, nIn);
      const targets = data.slice(nIn, nIn + nOut);
      const weights = data.slice(nIn + nOut, nIn + 2 * nOut);
      // The outputs as tfjs's own test function runs them (its graph executor; also for shared layers).
      const outputs = [m.predictOnBatch(inputs)].flat();
      // L_i = Σ w ℓ_i / count(ℓ_i), each output's Keras 3 'sum_over_batch_size'.
      const losses = m.lossFunctions.map((loss, i) => {
        const l = loss(targets[i], outputs[i]);
        return tf.mean(weights[i] == null ? l : tf.mul(l, weights[i])) as tf.Scalar;
      });
      const total = [...losses, ...modelPenalties(model)].reduce((a, b) => tf.add(a, b)) as tf.Scalar; // Σ L_i + penalties
      const metrics = m.metricsTensors.map(([metric, o], k) => (nOut > 1 && k < nOut ? losses[k] : (tf.mean(metric(targets[o], outputs[o])) as tf.Scalar)));
      return [total, ...metrics];
    }));
}

/** Each output's weights from `sampleWeight` or `classWeight` (tfjs's own class weights), checked first. */
async function trainingWeights(who: string, m: Trainer, x: unknown, y: unknown, ys: tf.Tensor[], sampleWeight: unknown, classWeight: unknown, batchSize: number, made: tf.Tensor[]): Promise<tf.Tensor[]> {
  if (sampleWeight != null) return sampleWeightTensors(who, 'sampleWeight', sampleWeight, outputsOf(m, ys), made);
  if (classWeight != null) {
    const [cxs, cys, cws] = await m.standardizeUserData(x, y, undefined, classWeight, false, batchSize);
    made.push(...newOnes(cxs, x), ...newOnes(cys, y), ...(cws ?? []).filter((w) => w != null));
    const ones = sampleWeightTensors(who, 'classWeight', {}, outputsOf(m, ys), made);
    return ones.map((one, i) => cws?.[i] ?? one); // an output without class weights weighs 1
  }
  return sampleWeightTensors(who, 'sampleWeight', {}, outputsOf(m, ys), made); // ones
}

/**
 * `evaluate(x, y, { sampleWeight })`: Keras 3's weighted loss over all the
 * data (a mean over batches weighted by their size), the metrics unweighted.
 */
export function evaluateWeighted(who: string, model: tf.LayersModel, x: unknown, y: unknown, args: KerasEvaluateArgs): tf.Scalar | tf.Scalar[] {
  const m = trainer(model);
  const batchSize = checkBatchSize(who, args.batchSize);
  const made: tf.Tensor[] = [];
  try {
    const [xs, ys] = m.standardizeUserDataXY(x, y, true, batchSize);
    made.push(...newOnes(xs, x), ...newOnes(ys, y));
    const ws = sampleWeightTensors(who, 'sampleWeight', args.sampleWeight, outputsOf(m, ys), made);
    const outs = m.testLoop(weightedTestFunction(model), [...xs, ...ys, ...ws], batchSize, args.verbose, args.steps);
    return outs.length === 1 ? outs[0] : outs;
  } finally {
    tf.dispose(made);
  }
}

/** trainOnBatch's options: Keras's `sample_weight` and `class_weight` (one of them). */
export interface TrainOnBatchArgs {
  /** Weights of this batch's samples, [B], or of their steps, [B, T] (see `fit`). */
  sampleWeight?: SampleWeight;
  /** A weight per class, as fit's `classWeight`. */
  classWeight?: tf.ClassWeight | tf.ClassWeight[] | tf.ClassWeightMap;
}

/** `trainOnBatch(x, y, { sampleWeight | classWeight })`: one weighted step; the loss and metrics as numbers. */
export async function trainOnBatchWeighted(who: string, model: tf.LayersModel, x: unknown, y: unknown, args: TrainOnBatchArgs): Promise<number | number[]> {
  const m = trainer(model);
  checkOneWeighting(who, args.sampleWeight, args.classWeight);
  const made: tf.Tensor[] = [];
  try {
    const [xs, ys] = m.standardizeUserDataXY(x, y, true);
    made.push(...newOnes(xs, x), ...newOnes(ys, y));
    const ws = await trainingWeights(who, m, x, y, ys, args.sampleWeight, args.classWeight, xs[0].shape[0], made);
    const outs = m.makeTrainFunction()([...xs, ...ys, ...ws]);
    const values = await Promise.all(outs.map(async (o) => (await o.data())[0])); // (a GPU backend may not read back synchronously)
    tf.dispose(outs);
    return values.length === 1 ? values[0] : values;
  } finally {
    tf.dispose(made);
  }
}

/**
 * `fit` with `sampleWeight` or weighted `validationData: [x, y, w]`, as
 * tfjs's fit runs (its train function and `fitLoop`), with the weights cut
 * into the same batches as x and y. `validationSplit` splits the weights
 * too, so the validation loss is weighted, as in Keras; with `classWeight`
 * the validation is unweighted, as in Keras and tfjs. `args.callbacks` are
 * tfjs Callbacks (see kerasFitArgs).
 */
export async function fitWeighted(who: string, model: tf.LayersModel, x: unknown, y: unknown, args: KerasFitArgs): Promise<tf.History> {
  const m = trainer(model);
  if (m.isTraining) throw new RecurrentConfigError(`${who}: another fit() of this model is running`);
  checkOneWeighting(who, args.sampleWeight, args.classWeight);
  const batchSize = checkBatchSize(who, args.batchSize);
  const made: tf.Tensor[] = [];
  m.isTraining = true;
  try {
    let [xs, ys] = m.standardizeUserDataXY(x, y, false, batchSize);
    made.push(...newOnes(xs, x), ...newOnes(ys, y));
    let ws = await trainingWeights(who, m, x, y, ys, args.sampleWeight, args.classWeight, batchSize, made);
    let valIns: tf.Tensor[] | null = null;
    const v = args.validationData as unknown[] | undefined;
    if (v != null && v.length > 0) {
      if (v.length !== 2 && v.length !== 3) throw new RecurrentConfigError(`${who}: validationData must be [x, y] or [x, y, sampleWeight], got ${v.length} items`);
      const [vxs, vys] = m.standardizeUserDataXY(v[0], v[1], true, batchSize);
      made.push(...newOnes(vxs, v[0]), ...newOnes(vys, v[1]));
      const vws = sampleWeightTensors(who, 'validationData[2]', v.length === 3 ? v[2] : {}, outputsOf(m, vys), made);
      valIns = [...vxs, ...vys, ...vws];
    } else if (args.validationSplit != null && args.validationSplit > 0 && args.validationSplit < 1) {
      const N = xs[0].shape[0];
      const at = Math.floor(N * (1 - args.validationSplit));
      const part = (ts: tf.Tensor[], from: number, to: number) => ts.map((t) => t.slice(from, to - from));
      const valWs = args.sampleWeight != null ? part(ws, at, N) : sampleWeightTensors(who, 'sampleWeight', {}, outputsOf(m, part(ys, at, N)), made);
      valIns = [...part(xs, at, N), ...part(ys, at, N), ...valWs];
      [xs, ys, ws] = [part(xs, 0, at), part(ys, 0, at), part(ws, 0, at)];
      made.push(...valIns, ...xs, ...ys, ...ws);
    }
    m.checkTrainableWeightsConsistency();
    const outLabels = m.getDedupedMetricsNames();
    const callbackMetrics = valIns != null ? [...outLabels, ...outLabels.map((n) => `val_${n}`)] : outLabels.slice();
    const callbacks = (args.callbacks ?? []) as tf.Callback[];
    return await m.fitLoop(
      m.makeTrainFunction(), [...xs, ...ys, ...ws], outLabels, batchSize, args.epochs, args.verbose, callbacks,
      valIns != null ? weightedTestFunction(model) : null, valIns ?? [], args.shuffle, callbackMetrics, args.initialEpoch, null, null,
    );
  } finally {
    m.isTraining = false;
    tf.dispose(made);
  }
}
