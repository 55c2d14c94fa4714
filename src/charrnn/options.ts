/**
 * The charrnn job's options and their defaults: a 2-layer LSTM character
 * model sized so that a default run (training and a 500-character sample)
 * takes under a minute on 2 cores on wasm or tensorflow (docs/benchmarks.md).
 */

export interface CharRnnOptions {
  /** Units of each LSTM layer. */
  units: number;
  /** LSTM layers (stacked, each returning its sequence). */
  layers: number;
  /** Size of the character vectors. */
  embeddingDim: number;
  /** Characters a training window is long (the model learns to predict each next one). */
  seqLength: number;
  batchSize: number;
  epochs: number;
  /** Batches of random windows a training epoch takes. */
  stepsPerEpoch: number;
  learningRate: number;
  /** Characters to generate after the prime text. */
  length: number;
  /** The text the sample starts from (default: a new line). */
  prime?: string;
  temperature: number;
  topK?: number;
  topP?: number;
  /** Seed of the weights, the training windows and the sample. */
  seed: number;
  backend: string;
  /** The user's text file (UTF-8, gzipped or not); the bundled novel otherwise. */
  data?: string;
  /** Use only the first n characters of the text (a quick run). */
  limit?: number;
  out: string;
  /** Write interpret.html: the sample coloured by one unit's value. */
  interpret: boolean;
  /** Which recurrent layer (1-based) and unit (0-based) --interpret shows; default the last layer and its liveliest unit. */
  interpretLayer?: number;
  interpretUnit?: number;
  /** Draw progress bars (default: when stderr is a terminal). */
  progress?: boolean;
}

export const CHARRNN_DEFAULTS: Omit<CharRnnOptions, 'out'> = {
  units: 128,
  layers: 2,
  embeddingDim: 32,
  seqLength: 64,
  batchSize: 32,
  epochs: 10,
  stepsPerEpoch: 100,
  learningRate: 0.004,
  length: 500,
  temperature: 0.8,
  seed: 42,
  backend: 'auto',
  interpret: false,
};
