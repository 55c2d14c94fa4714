/**
 * The options objects of evaluate, fit and trainOnBatch, checked before any
 * tensor work: an option tfjs does not know would be ignored (a Keras
 * spelling such as `sample_weight`, or `batch_size`), so it is an error with
 * "did you mean", as the layers' options are.
 */
import { RecurrentConfigError, fmtValue } from '../errors';
import { nearest } from '../did_you_mean';

/** The options each call takes (tfjs's, and Keras's weights). */
const KNOWN = {
  evaluate: ['batchSize', 'verbose', 'sampleWeight', 'steps'],
  trainOnBatch: ['sampleWeight', 'classWeight'],
  fit: ['batchSize', 'epochs', 'verbose', 'callbacks', 'validationSplit', 'validationData', 'shuffle', 'classWeight', 'sampleWeight', 'initialEpoch', 'stepsPerEpoch', 'validationSteps', 'yieldEvery'],
  fitDataset: ['batchesPerEpoch', 'epochs', 'verbose', 'callbacks', 'validationData', 'validationBatchSize', 'validationBatches', 'yieldEvery', 'initialEpoch', 'classWeight'],
} as const;

/** Throws, naming `who`, unless `args` is absent or an object of options `call` knows. */
export function checkCallOptions(who: string, call: keyof typeof KNOWN, args: unknown): void {
  if (args == null) return;
  if (typeof args !== 'object' || Array.isArray(args) || (args as { dataSync?: unknown }).dataSync != null) {
    const example = call === 'trainOnBatch' ? ' such as { sampleWeight }' : call === 'evaluate' ? ' such as { batchSize, sampleWeight }' : ' such as { epochs, batchSize }';
    throw new RecurrentConfigError(`${who}: ${call}'s options must be an object${example}, got ${Array.isArray(args) ? 'an array' : (args as { dataSync?: unknown }).dataSync != null ? 'a Tensor' : fmtValue(args)}`);
  }
  const known: readonly string[] = KNOWN[call];
  for (const key of Object.keys(args)) {
    if (known.includes(key)) continue;
    const near = nearest(key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), known);
    throw new RecurrentConfigError(`${who}: unknown ${call} option '${key}'${near.length ? ` (did you mean '${near[0]}'?)` : ''}; known: ${known.join(', ')}`);
  }
}
