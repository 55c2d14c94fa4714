/**
 * Keras's AUC metric (keras/src/metrics/confusion_metrics.py, `AUC`, with
 * evenly spaced thresholds): the area under the ROC curve (or the
 * precision-recall curve) from the confusion counts at N thresholds
 * t_0 = −ε, t_i = i / (N − 1), t_{N−1} = 1 + ε, N = 200 by default. Each
 * score p (clipped to [0, 1]) falls in bucket max(0, ⌈p (N − 1)⌉ − 1);
 * TP_i and FP_i count the positives and negatives with p > t_i (a reverse
 * cumulative sum over the buckets), FN_i = P − TP_i, TN_i = N⁻ − FP_i. Labels
 * are positive where ≠ 0; every value of a [B, …] output counts. For ROC with
 * Keras's default 'interpolation' (the trapezoidal rule):
 *
 *   TPR_i = TP_i / (TP_i + FN_i),   FPR_i = FP_i / (FP_i + TN_i)   (0 where 0/0)
 *   AUC   = Σ_{i<N−1} (FPR_i − FPR_{i+1}) (TPR_i + TPR_{i+1}) / 2
 *
 * The counts accumulate over all the batches of an evaluation or of a
 * training epoch, as Keras's metric variables do: Keras's `auc` is the AUC
 * of all the data seen, not a mean of per-batch AUCs.
 *
 * How that fits tfjs's logs, which are size-weighted means of per-batch
 * values: at batch k (n_k samples, S_k seen so far, running AUC A_k) the
 * metric returns (S_k A_k − S_{k−1} A_{k−1}) / n_k, so that the size-weighted
 * mean of the batch values up to batch k is A_k: the epoch's logs, the
 * progress bar and evaluate give Keras's running AUC. Counts are kept apart
 * for training (called inside the gradient tape) and for evaluation; our
 * models' fit resets both at each epoch's start, evaluate resets the
 * evaluation counts, trainOnBatch the training counts (as Keras resets its
 * metrics in train_on_batch).
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtValue } from '../errors';

/** Options of {@link auc}: Keras's `AUC` arguments in camelCase. */
export interface AUCArgs {
  /** Number of thresholds, > 1. Default 200. */
  numThresholds?: number;
  /** `'ROC'` (default) or `'PR'` (precision-recall). */
  curve?: 'ROC' | 'PR';
  /** `'interpolation'` (default), `'minoring'` or `'majoring'`, as Keras's `summation_method`. */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
  /** Whether the predictions are logits (a sigmoid is applied first). Default false. */
  fromLogits?: boolean;
  /** The name the logs use (default `'auc'`, as Keras's). */
  name?: string;
}

/** An AUC metric: a tfjs metric function (yTrue, yPred) ↦ value, with its state. */
export interface AUCMetric {
  (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
  /** Keras's `update_state`: adds a batch's counts (to the evaluation counts). */
  update(yTrue: tf.Tensor, yPred: tf.Tensor): void;
  /** Keras's `result()`: the AUC of the evaluation counts. */
  result(): number;
  /** Keras's `reset_state()`: clears the training counts, the evaluation counts, or both (default). */
  reset(which?: 'train' | 'test'): void;
  /** The options, with their defaults. */
  readonly config: Required<AUCArgs>;
}

/** One set of counts: positives and negatives per bucket, and what the logs have been given. */
class Counts {
  tp: Float64Array;
  fp: Float64Array;
  seen = 0;
  last = 0;

  constructor(n: number) {
    this.tp = new Float64Array(n);
    this.fp = new Float64Array(n);
  }
}

const KEYS = ['numThresholds', 'curve', 'summationMethod', 'fromLogits', 'name'];

function checkArgs(args: AUCArgs): Required<AUCArgs> {
  if (args == null || typeof args !== 'object') throw new RecurrentConfigError(`AUC: expects an options object such as { numThresholds: 200 }, got ${fmtValue(args)}`);
  const unknown = Object.keys(args).find((k) => !KEYS.includes(k));
  if (unknown) throw new RecurrentConfigError(`AUC: unknown option '${unknown}'; known: ${KEYS.join(', ')}`);
  const c = { numThresholds: 200, curve: 'ROC', summationMethod: 'interpolation', fromLogits: false, name: 'auc', ...args } as Required<AUCArgs>;
  if (!Number.isInteger(c.numThresholds) || c.numThresholds <= 1) {
    throw new RecurrentConfigError(`AUC: numThresholds must be an integer > 1, got ${fmtValue(c.numThresholds)}`);
  }
  if (c.curve !== 'ROC' && c.curve !== 'PR') throw new RecurrentConfigError(`AUC: curve must be 'ROC' or 'PR', got ${fmtValue(c.curve)}`);
  if (!['interpolation', 'minoring', 'majoring'].includes(c.summationMethod)) {
    throw new RecurrentConfigError(`AUC: summationMethod must be 'interpolation', 'minoring' or 'majoring', got ${fmtValue(c.summationMethod)}`);
  }
  if (typeof c.fromLogits !== 'boolean') throw new RecurrentConfigError(`AUC: fromLogits must be true or false, got ${fmtValue(c.fromLogits)}`);
  if (typeof c.name !== 'string' || c.name === '') throw new RecurrentConfigError(`AUC: name must be a non-empty string, got ${fmtValue(c.name)}`);
  return c;
}

/** a / b, 0 where b is 0 (Keras's divide_no_nan). */
const div = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** The AUC of one set of counts, as Keras's `AUC.result()`. */
function areaOf(c: Counts, config: Required<AUCArgs>): number {
  const N = config.numThresholds;
  const TP = new Float64Array(N);
  const FP = new Float64Array(N);
  for (let i = N - 1, tp = 0, fp = 0; i >= 0; i--) {
    tp += c.tp[i];
    fp += c.fp[i];
    [TP[i], FP[i]] = [tp, fp];
  }
  const [P, Neg] = [TP[0], FP[0]]; //                       every score is > t_0 = −ε
  if (config.curve === 'PR' && config.summationMethod === 'interpolation') return interpolatedPR(TP, FP, P);
  const recall = TP.map((tp) => div(tp, P)); //              TP / (TP + FN)
  const [x, y] = config.curve === 'ROC' ? [FP.map((fp) => div(fp, Neg)), recall] : [recall, TP.map((tp, i) => div(tp, tp + FP[i]))];
  let area = 0;
  for (let i = 0; i < N - 1; i++) {
    const h = config.summationMethod === 'interpolation' ? (y[i] + y[i + 1]) / 2 : config.summationMethod === 'minoring' ? Math.min(y[i], y[i + 1]) : Math.max(y[i], y[i + 1]);
    area += (x[i] - x[i + 1]) * h;
  }
  return area;
}

/** Keras's `interpolate_pr_auc` (Davis & Goadrich 2006, in closed form): precision interpolated through TP and P = TP + FP. */
function interpolatedPR(TP: Float64Array, FP: Float64Array, positives: number): number {
  let area = 0;
  for (let i = 0; i < TP.length - 1; i++) {
    const dtp = TP[i] - TP[i + 1];
    const [pA, pB] = [TP[i] + FP[i], TP[i + 1] + FP[i + 1]];
    const slope = div(dtp, Math.max(pA - pB, 0));
    const intercept = TP[i + 1] - slope * pB;
    const ratio = pA > 0 && pB > 0 ? div(pA, Math.max(pB, 0)) : 1;
    area += div(slope * (dtp + intercept * Math.log(ratio)), Math.max(positives, 0));
  }
  return area;
}

/**
 * Keras's `AUC` metric as a tfjs metric function: the area under the ROC
 * curve (or PR) from 200 thresholds (`numThresholds`), accumulated over an
 * epoch or an evaluation as Keras's is, and logged as `auc`.
 * `compile({ metrics: ['auc'] })` (or `'AUC'`) makes one per output. A
 * metric keeps state: give each model (and each output) its own. With a
 * tfjs `LayersModel` (not our Sequential or Functional, which reset it at
 * each epoch and evaluation), call `reset()` yourself.
 *
 * @example
 * ```ts
 * import { tf, Sequential, LSTM, Dense, auc } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new LSTM({ units: 4, inputShape: [5, 3] }), new Dense({ units: 1, activation: 'sigmoid' })] });
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', auc({ curve: 'PR', name: 'pr_auc' })] });
 * const h = await model.fit(tf.randomNormal([16, 5, 3]), tf.tensor2d([1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0], [16, 1]), { epochs: 1, batchSize: 4, verbose: 0 });
 * console.log(h.history.pr_auc); // the PR AUC of the epoch's data, as Keras's AUC(curve='PR')
 * const m = auc();
 * m.update(tf.tensor1d([0, 0, 1, 1]), tf.tensor1d([0, 0.5, 0.3, 0.9]));
 * console.log(m.result()); // 0.75
 * ```
 */
export function auc(args: AUCArgs = {}): AUCMetric {
  const config = checkArgs(args);
  const N = config.numThresholds;
  const counts = { train: new Counts(N), test: new Counts(N) };

  /** Adds a batch to `c`: each score into its bucket, as a positive or a negative. */
  const add = (c: Counts, yTrue: tf.Tensor, yPred: tf.Tensor) => {
    if (yTrue.size !== yPred.size) {
      throw new RecurrentInputError(`${config.name}: labels and predictions must have as many values, got ${yTrue.shape} and ${yPred.shape}`);
    }
    const y = yTrue.dataSync();
    const p = yPred.dataSync();
    for (let k = 0; k < p.length; k++) {
      let s = p[k];
      if (config.fromLogits) s = Math.fround(1 / (1 + Math.exp(-s)));
      s = Math.min(Math.max(s, 0), 1);
      const b = Math.max(0, Math.ceil(Math.fround(s * (N - 1))) - 1); // float32, as Keras's bucket index
      if (y[k] !== 0) c.tp[b] += 1;
      else c.fp[b] += 1;
    }
  };

  const metric = ((yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor => {
    // Training calls the metrics inside the gradient tape; evaluation and validation outside it.
    const c = tf.engine().state.gradientDepth > 0 ? counts.train : counts.test;
    add(c, yTrue, yPred);
    const n = yTrue.shape[0] ?? 1;
    const A = areaOf(c, config);
    const share = ((c.seen + n) * A - c.seen * c.last) / n; // size-weighted mean of the shares so far = A
    [c.seen, c.last] = [c.seen + n, A];
    return tf.scalar(share);
  }) as AUCMetric;
  Object.defineProperty(metric, 'name', { value: config.name });
  Object.defineProperty(metric, 'config', { value: Object.freeze({ ...config }) });
  metric.update = (yTrue, yPred) => add(counts.test, yTrue, yPred);
  metric.result = () => areaOf(counts.test, config);
  metric.reset = (which) => {
    if (which !== 'test') counts.train = new Counts(N);
    if (which !== 'train') counts.test = new Counts(N);
  };
  return metric;
}

/** Whether a metric keeps state that fit and evaluate reset (an {@link auc}). */
export function isStatefulMetric(m: unknown): m is AUCMetric {
  return typeof m === 'function' && typeof (m as Partial<AUCMetric>).reset === 'function' && (m as Partial<AUCMetric>).config != null;
}
