/** Binary classification metrics at threshold 0.5. */
export interface BinaryMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** [[TN, FP], [FN, TP]]: rows are the true label, columns the prediction. */
  confusion: [[number, number], [number, number]];
}

/**
 * Accuracy, precision, recall, F1 and the confusion matrix of probabilities
 * against 0/1 labels, at threshold 0.5.
 *
 * @example
 * ```ts
 * import { binaryMetrics } from 'tfjs-recurrent/sentiment';
 * const m = binaryMetrics([0.9, 0.2, 0.7, 0.4], [1, 0, 0, 1]);
 * m.accuracy; // 0.5
 * m.confusion; // [[1, 1], [1, 1]]
 * ```
 */
export function binaryMetrics(probs: ArrayLike<number>, labels: ArrayLike<number>): BinaryMetrics {
  let tp = 0, tn = 0, fp = 0, fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = probs[i] >= 0.5 ? 1 : 0;
    if (p === 1 && labels[i] === 1) tp++;
    else if (p === 0 && labels[i] === 0) tn++;
    else if (p === 1) fp++;
    else fn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  return {
    accuracy: (tp + tn) / Math.max(1, labels.length),
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    confusion: [[tn, fp], [fn, tp]],
  };
}

/** Mean binary cross-entropy of probabilities against 0/1 labels (probabilities clipped to [1e-7, 1 − 1e-7], as Keras). */
export function binaryCrossentropy(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(Math.max(probs[i], 1e-7), 1 - 1e-7);
    s -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return s / Math.max(1, labels.length);
}

/** A metric or loss as the sentiment job prints it: three decimals. */
export const f3 = (x: number) => x.toFixed(3);
