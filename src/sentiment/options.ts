/**
 * The sentiment job's options: the recurrent cell, the pooling, every knob
 * with its default (chosen in docs/benchmarks.md), and the one combination
 * that is refused.
 */
import { RecurrentConfigError } from '../errors';

export const CELLS = ['lstm', 'gru', 'simple_rnn', 'bilstm', 'bigru'] as const;
export type CellName = (typeof CELLS)[number];
export const POOLINGS = ['last', 'max', 'avg'] as const;
export type Pooling = (typeof POOLINGS)[number];

export interface SentimentOptions {
  cell: CellName;
  units: number;
  embeddingDim: number;
  maxlen: number;
  numWords: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** The learning rate is multiplied by this after each epoch: epoch e (0-based) trains at learningRate · decay^e (1: constant). */
  learningRateDecay: number;
  dropout: number;
  patience: number;
  seed: number;
  backend: string;
  /** How the recurrent outputs become one vector: the last state, or max / average over the real steps. */
  pooling: Pooling;
  /** Also feed the average of the word vectors (over the real words) to the output layer, beside the recurrent features. */
  averageEmbeddings: boolean;
  /** Add a learned weight per word, summed over the text's words, to the output logit: a bag-of-words logistic regression inside the network. */
  wide: boolean;
  /** L2 penalty on the per-word weights of `wide` (0: none). */
  wideL2: number;
  /** Adam learning rate of the per-word weights of `wide` (the rest uses `learningRate`). */
  wideLearningRate: number;
  /** Word dropout: the fraction of word ids replaced by the OOV id in each training epoch (never at validation, test or predict). */
  wordDropout: number;
  /**
   * fastText subword vectors: each word's vector is the mean of its own and those of its character
   * n-grams, hashed into `subwordBuckets` rows (`subwordBags` + `EmbeddingBag`), so unknown words get one too.
   */
  subwords: boolean;
  /** Hash buckets for the n-grams of `subwords`: the table has vocabularySize + subwordBuckets rows. */
  subwordBuckets: number;
  /** Shortest and longest n-gram of `subwords`, in characters. */
  subwordMinN: number;
  subwordMaxN: number;
  /** At most this many n-grams per word (shortest first): each bag holds 1 + subwordMaxNgrams ids. */
  subwordMaxNgrams: number;
  /** Train this many models (same split, different seeds for weights, dropout and shuffling) and average their probabilities. */
  ensemble: number;
  /** A labelled file of the user's; the bundled data otherwise. */
  data?: string;
  /** The header names of the text and label columns of `data` (a CSV or TSV), or its JSON Lines keys: `text` and `label` by default. */
  textColumn?: string;
  labelColumn?: string;
  /** Use only this many examples (stratified), for quick runs. */
  limit?: number;
  out: string;
  /** Draw progress bars (default: when stdout is a terminal). */
  progress?: boolean;
}

/**
 * Defaults chosen by validation loss and accuracy on the bundled data, mean
 * over seeds 1–6 and 42 (docs/benchmarks.md): an ensemble of three small
 * BiLSTMs, each seeing the mean word vector beside its last state, trained
 * with 20 % word dropout, on fastText subword vectors (a word is the mean of
 * its own vector and those of its character 3- to 5-grams, so the 12 % of
 * test words the tokenizer never saw still get one). One such model reaches
 * its best validation loss at epoch 2 to 6, mostly 3 or 4.
 */
export const DEFAULTS: Omit<SentimentOptions, 'out'> = {
  cell: 'bilstm',
  units: 16,
  embeddingDim: 32,
  maxlen: 40,
  numWords: 3000,
  epochs: 20,
  batchSize: 32,
  learningRate: 0.003,
  learningRateDecay: 1,
  dropout: 0.5,
  patience: 3,
  pooling: 'last',
  averageEmbeddings: true,
  wide: false,
  wideL2: 0,
  wideLearningRate: 0.003,
  wordDropout: 0.2,
  subwords: true,
  subwordBuckets: 20000,
  subwordMinN: 3,
  subwordMaxN: 5,
  subwordMaxNgrams: 24,
  ensemble: 3,
  seed: 42,
  backend: 'auto',
};

/** Options that cannot go together: a clear error before any work. */
export function checkCombination(o: Pick<SentimentOptions, 'subwords' | 'wide'>): void {
  if (o.subwords && o.wide) {
    throw new RecurrentConfigError('sentiment: `wide: true` needs one word id per step, got `subwords: true` as well (on the command line: --wide --no-subwords)');
  }
}
