/**
 * The sentiment app, `tfjs-recurrent/sentiment`: what `npm run demo` (the
 * `tfjs-recurrent sentiment` command) is made of, for a script or a
 * notebook: the bundled data and your own files, the stratified split, the
 * metrics, the whole training run and prediction with a run's models. The
 * package root (`tfjs-recurrent`) is the library; this is an application of it.
 *
 * @example
 * ```ts
 * import { loadBundled, stratifiedSplit, binaryMetrics } from 'tfjs-recurrent/sentiment';
 * const examples = loadBundled(); // [{ text, label, source }], 3,000 sentences
 * const parts = stratifiedSplit(examples.map((e) => `${e.source}/${e.label}`), [0.7, 0.15, 0.15], 42);
 * console.log(parts.train.length, binaryMetrics([0.9, 0.2], [1, 0]).accuracy); // 2100 1
 * ```
 */
export { loadBundled, readLabelledFile } from './data';
export type { ColumnOptions, Example } from './data';
export { stratifiedSplit } from './split';
export type { Split } from './split';
export { binaryMetrics } from './metrics';
export type { BinaryMetrics } from './metrics';
export { runSentiment } from './train';
export type { SentimentOptions, SentimentReport } from './train';
export { predictSentiment } from './predict';
export { preprocessingOf, encodingOf, PREPROCESSING_FILE, PREPROCESSING_FORMAT } from './preprocessing';
export type { Preprocessing, SubwordSettings, TokenizerJSON } from './preprocessing';
export type { Encoding } from './encode';
