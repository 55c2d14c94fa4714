/**
 * The sentiment job: data → seeded stratified split → tokenizer (fitted on
 * the training part) → recurrent classifier with early stopping → test
 * metrics next to a bag-of-words baseline → files in the output folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SingleBar } from 'cli-progress';
import { tf } from '../tf';
import { setBackend } from '../backend';
import { Sequential } from '../model/sequential';
import { Functional } from '../model/functional';
import { fileIO } from '../model/io';
import { Embedding } from '../layers/embedding';
import { EmbeddingBag } from '../layers/embedding_bag';
import { LSTM } from '../layers/lstm';
import { GRU } from '../layers/gru';
import { SimpleRNN } from '../layers/simple_rnn';
import { Bidirectional } from '../layers/bidirectional';
import { Dense } from '../layers/dense';
import { Dropout } from '../layers/dropout';
import { GlobalAveragePooling1D, GlobalMaxPooling1D } from '../layers/pooling';
import { RecurrentLayer } from '../layers/rnn';
import { Tokenizer } from '../text/tokenizer';
import { padSequences } from '../text/pad_sequences';
import { terminateOnNaN } from '../training/terminate_on_nan';
import { subwordBagWidth, subwordBags } from '../text/subwords';
import { RecurrentConfigError } from '../errors';
import { Example, checkExamples, loadBundled, readLabelledFile } from './data';
import { rng, shuffle, stratifiedSplit } from './split';
import { BinaryMetrics, binaryCrossentropy, binaryMetrics } from './metrics';
import { trainBaseline } from './baseline';
import { EpochLog, curvesSVG } from './plot';
import { WordCountLogit } from './wide';

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

export interface SentimentReport {
  config: Omit<SentimentOptions, 'progress'> & { vocabularySize: number };
  backend: string;
  data: { source: string; examples: number; train: number; val: number; test: number };
  /** Of the first model; `members` has every model of an ensemble. */
  secondsPerEpoch: number[];
  epochsRun: number;
  bestEpoch: number;
  history: EpochLog[];
  /** One entry per model: its folder in the run folder, its seed and its training. */
  members: MemberReport[];
  /** `val` is the accuracy and loss of the (averaged) probabilities on the validation part. */
  model: { params: number; val: { accuracy: number; loss: number }; test: BinaryMetrics };
  baseline: { name: string; test: BinaryMetrics };
  seconds: number;
}

export interface MemberReport {
  dir: string;
  seed: number;
  secondsPerEpoch: number[];
  epochsRun: number;
  bestEpoch: number;
  history: EpochLog[];
  /** The Adam learning rate of each epoch run. */
  learningRates: number[];
}

/** Seeded initializers, so a run is repeatable for a given --seed. */
const seeded = (className: string, seed: number, config: Record<string, unknown> = {}) => ({ className, config: { ...config, seed } });

function recurrent(o: SentimentOptions): tf.layers.Layer {
  let k = 0;
  const make = (returnSequences = false): RecurrentLayer => {
    k += 10;
    const args = {
      units: o.units,
      returnSequences,
      // Input dropout inside the recurrent layer: one mask per sequence, so
      // whole word-vector features are dropped at every step.
      dropout: o.dropout,
      seed: o.seed + k,
      kernelInitializer: seeded('GlorotUniform', o.seed + k + 1),
      recurrentInitializer: seeded('Orthogonal', o.seed + k + 2, { gain: 1 }),
    };
    if (o.cell === 'lstm' || o.cell === 'bilstm') return new LSTM(args);
    if (o.cell === 'gru' || o.cell === 'bigru') return new GRU(args);
    return new SimpleRNN(args);
  };
  const seqs = o.pooling !== 'last';
  return o.cell.startsWith('bi') ? new Bidirectional({ layer: make(seqs) }) : make(seqs);
}

/** Options that cannot go together: a clear error before any work. */
function checkCombination(o: Pick<SentimentOptions, 'subwords' | 'wide'>): void {
  if (o.subwords && o.wide) {
    throw new RecurrentConfigError('sentiment: `wide: true` needs one word id per step, got `subwords: true` as well (on the command line: --wide --no-subwords)');
  }
}

/**
 * The classifier: Embedding(maskZero) → recurrent layer (with input dropout) → [pooling over time]
 * → Dropout → Dense(1, sigmoid). With `averageEmbeddings`, the mean of the word vectors over the
 * real words is concatenated to the recurrent features before the Dropout (a functional model).
 * With `wide`, the Dense layer gives a logit, to which the bag-of-words logit of
 * `WordCountLogit` is added before the sigmoid: p = σ(z_rnn + Σ_t m_t w[ids_t]).
 * With `subwords`, an EmbeddingBag over [maxlen, 25] bags (`subwordBags`) stands for the
 * Embedding: each word's vector is the mean of its own row and its character n-grams' rows.
 */
export function buildClassifier(o: SentimentOptions, vocabularySize: number): tf.LayersModel {
  checkCombination(o);
  const embeddingArgs = { outputDim: o.embeddingDim, maskZero: true, embeddingsInitializer: seeded('RandomUniform', o.seed, { minval: -0.05, maxval: 0.05 }) };
  // With subwords, each step is a bag [word id, V + n-gram buckets...] whose vectors are averaged.
  const embedding = o.subwords
    ? new EmbeddingBag({ inputDim: vocabularySize + o.subwordBuckets, ...embeddingArgs })
    : new Embedding({ inputDim: vocabularySize, ...embeddingArgs });
  const pooling = o.pooling === 'max' ? [new GlobalMaxPooling1D()] : o.pooling === 'avg' ? [new GlobalAveragePooling1D()] : [];
  const head = [
    new Dropout({ rate: o.dropout, seed: o.seed + 3 }),
    new Dense({ units: 1, activation: o.wide ? 'linear' : 'sigmoid', kernelInitializer: seeded('GlorotUniform', o.seed + 4) }),
  ];
  let model: tf.LayersModel;
  if (!o.averageEmbeddings && !o.wide) {
    const seq = new Sequential({ name: 'sentiment' });
    [embedding, recurrent(o), ...pooling, ...head].forEach((l) => seq.add(l));
    model = seq;
  } else {
    const ids = tf.input({ shape: inputShape(o), dtype: 'int32', name: 'ids' });
    const e = embedding.apply(ids) as tf.SymbolicTensor; //                        [B, T, E] (+ mask)
    let c = [recurrent(o), ...pooling].reduce((x, l) => l.apply(x) as tf.SymbolicTensor, e); // [B, H] or [B, 2H]
    if (o.averageEmbeddings) {
      const a = new GlobalAveragePooling1D().apply(e) as tf.SymbolicTensor; //     [B, E]: Σ_t m_t e_t / Σ_t m_t
      c = tf.layers.concatenate({ name: 'concatenate' }).apply([c, a]) as tf.SymbolicTensor; //       [B, H + E]
    }
    let y = head.reduce((x, l) => l.apply(x) as tf.SymbolicTensor, c); //              [B, 1]: p, or the logit z_rnn with wide
    if (o.wide) {
      const s = new WordCountLogit({ inputDim: vocabularySize, l2: o.wideL2, scale: o.wideLearningRate / o.learningRate }).apply(ids) as tf.SymbolicTensor; // [B, 1]: Σ_t m_t w[ids_t]
      const z = tf.layers.add({ name: 'add' }).apply([y, s]) as tf.SymbolicTensor; //                          [B, 1]
      y = tf.layers.activation({ activation: 'sigmoid', name: 'sigmoid' }).apply(z) as tf.SymbolicTensor; //    [B, 1]: p = σ(z)
    }
    model = new Functional({ inputs: ids, outputs: y, name: 'sentiment' });
  }
  model.compile({ optimizer: tf.train.adam(o.learningRate), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

/**
 * Word dropout for one epoch: each real word id (not the padding 0) becomes `oovId` with
 * probability `rate`, drawn from `rand`; a word's bag of subword ids (not an empty one) becomes
 * [oovId, 0, ...], dropping its n-grams too. Returns new rows; the input is not changed.
 */
export function wordDropout<W extends number | number[]>(seqs: W[][], rate: number, rand: () => number, oovId = 1): W[][] {
  if (rate <= 0) return seqs;
  const drop = (w: W): W => {
    if (typeof w === 'number') return (w > 0 && rand() < rate ? oovId : w) as W;
    return (w.some((id) => id > 0) && rand() < rate ? w.map((_, k) => (k === 0 ? oovId : 0)) : w) as W;
  };
  return seqs.map((s) => s.map(drop));
}

export type Encoding = Pick<SentimentOptions, 'maxlen' | 'subwords' | 'subwordBuckets' | 'subwordMinN' | 'subwordMaxN' | 'subwordMaxNgrams'>;

/** The shape of one example: [maxlen] word ids, or [maxlen, 1 + subwordMaxNgrams] subword bags. */
const inputShape = (o: Encoding) => (o.subwords ? [o.maxlen, subwordBagWidth({ maxNgrams: o.subwordMaxNgrams })] : [o.maxlen]);

/** The model's input for some texts: padded word ids [n][maxlen], or subword bags [n][maxlen][width]. */
export function encodeTexts(tokenizer: Tokenizer, texts: string[], o: Encoding): number[][] | number[][][] {
  if (!o.subwords) return padSequences(tokenizer.textsToSequences(texts), { maxlen: o.maxlen });
  return subwordBags(tokenizer, texts, { buckets: o.subwordBuckets, minN: o.subwordMinN, maxN: o.subwordMaxN, maxNgrams: o.subwordMaxNgrams, maxlen: o.maxlen });
}

/** Rows of ids (word ids or bags, as `encodeTexts` gives them) → one int32 tensor [n, ...inputShape(o)]. */
export function idsTensor(rows: number[][] | number[][][], o: Encoding): tf.Tensor {
  const shape = [rows.length, ...inputShape(o)];
  const data = new Int32Array(shape.reduce((a, b) => a * b, 1));
  let k = 0;
  for (const r of rows) {
    for (const w of r) {
      if (typeof w === 'number') data[k++] = w;
      else for (const id of w) data[k++] = id;
    }
  }
  return tf.tensor(data, shape, 'int32');
}

/** The learning rate of epoch e (0-based): learningRate · learningRateDecay^e. */
export const epochLearningRate = (o: Pick<SentimentOptions, 'learningRate' | 'learningRateDecay'>, e: number) => o.learningRate * o.learningRateDecay ** e;

/** The seed of ensemble member k (0-based): the first one uses --seed itself. */
export const memberSeed = (seed: number, k: number) => seed + 1000 * k;

/** The folder of ensemble member k inside the run folder. */
export const memberDir = (k: number) => (k === 0 ? 'model' : `model_${k + 1}`);

const f3 = (x: number) => x.toFixed(3);

/** Prints metrics side by side, and the confusion matrix. */
export function formatMetrics(model: BinaryMetrics, baseline: BinaryMetrics): string[] {
  const rows = (['accuracy', 'precision', 'recall', 'f1'] as const).map(
    (k) => `  ${k.padEnd(10)} ${f3(model[k]).padStart(7)} ${f3(baseline[k]).padStart(10)}`,
  );
  const [[tn, fp], [fn, tp]] = model.confusion;
  const w = Math.max(...[tn, fp, fn, tp].map((v) => String(v).length), 4);
  return [
    `  ${'test'.padEnd(10)} ${'model'.padStart(7)} ${'baseline'.padStart(10)}`,
    ...rows,
    '',
    '  confusion matrix (model; rows: true label, columns: predicted)',
    `  ${''.padEnd(10)} ${'neg'.padStart(w)} ${'pos'.padStart(w)}`,
    `  ${'neg'.padEnd(10)} ${String(tn).padStart(w)} ${String(fp).padStart(w)}`,
    `  ${'pos'.padEnd(10)} ${String(fn).padStart(w)} ${String(tp).padStart(w)}`,
  ];
}

/** Runs the whole job; `log` receives every line meant for the user. */
export async function runSentiment(opts: SentimentOptions, log: (line: string) => void = console.log): Promise<SentimentReport> {
  const t0 = Date.now();
  checkCombination(opts);
  // The data first: a missing or malformed file is the first and only thing printed.
  let examples: Example[] = opts.data ? readLabelledFile(opts.data, { textColumn: opts.textColumn, labelColumn: opts.labelColumn }) : loadBundled();
  // Stratify by source and label, so each source keeps its balance in every part.
  const strata = () => examples.map((e) => `${e.source}/${e.label}`);
  if (opts.limit != null && opts.limit < examples.length) {
    const keep = stratifiedSplit(strata(), [opts.limit / examples.length, 0, 1 - opts.limit / examples.length], opts.seed).train;
    examples = keep.sort((a, b) => a - b).map((i) => examples[i]);
    checkExamples(examples, `the first ${opts.limit} examples`);
  }
  const backend = await setBackend(opts.backend);
  const split = stratifiedSplit(strata(), [0.7, 0.15, 0.15], opts.seed);
  const part = (idx: number[]) => ({ texts: idx.map((i) => examples[i].text), labels: idx.map((i) => examples[i].label as number) });
  const [train, val, test] = [part(split.train), part(split.val), part(split.test)];
  const source = opts.data ? path.basename(opts.data) : 'bundled UCI Sentiment Labelled Sentences (imdb, amazon, yelp)';
  log(`data: ${source}: ${examples.length} examples → train ${train.texts.length}, validation ${val.texts.length}, test ${test.texts.length} (stratified, seed ${opts.seed})`);

  const tokenizer = new Tokenizer({ numWords: opts.numWords, oovToken: '<OOV>' });
  tokenizer.fitOnTexts(train.texts);
  const V = tokenizer.vocabularySize;
  const [sTr, sVa, sTe] = [train, val, test].map((p) => encodeTexts(tokenizer, p.texts, opts));
  const ys = (l: number[]) => tf.tensor2d(l, [l.length, 1]);
  const [xVa, xTe, yTr, yVa] = [idsTensor(sVa, opts), idsTensor(sTe, opts), ys(train.labels), ys(val.labels)];

  const oovId = tokenizer.wordIndex.get('<OOV>') ?? 1;

  // Each member of an ensemble: same split and tokenizer, its own seed for the
  // initial weights, the dropout masks, word dropout and the epoch order.
  const members: MemberReport[] = [];
  const models: tf.LayersModel[] = [];
  for (let k = 0; k < opts.ensemble; k++) {
    const seed = memberSeed(opts.seed, k);
    if (opts.ensemble > 1) log(`${k === 0 ? '' : '\n'}model ${k + 1} of ${opts.ensemble} (seed ${seed})`);
    const model = buildClassifier({ ...opts, seed }, V);
    if (k === 0) model.summary(undefined, undefined, (l) => log(String(l)));
    const m = await trainMember(model, { ...opts, seed }, { sTr, yTr, xVa, yVa, oovId }, log);
    members.push({ dir: memberDir(k), seed, ...m });
    models.push(model);
  }

  // The ensemble's probability is the mean of its members' probabilities.
  const meanProbs = (x: tf.Tensor) => tf.tidy(() => {
    const ps = models.map((m) => m.predict(x) as tf.Tensor);
    return (ps.length === 1 ? ps[0] : tf.div(tf.addN(ps), ps.length)).dataSync() as Float32Array;
  });
  const pVa = meanProbs(xVa);
  const modelVal = { accuracy: binaryMetrics(pVa, val.labels).accuracy, loss: binaryCrossentropy(pVa, val.labels) };
  if (opts.ensemble > 1) log(`\nensemble of ${opts.ensemble}: val_loss ${f3(modelVal.loss)} val_acc ${f3(modelVal.accuracy)}`);
  const modelTest = binaryMetrics(meanProbs(xTe), test.labels);
  const base = await trainBaseline(
    { seqs: tokenizer.textsToSequences(train.texts), labels: train.labels },
    { seqs: tokenizer.textsToSequences(val.texts), labels: val.labels },
    { seqs: tokenizer.textsToSequences(test.texts) },
    V,
    opts.seed,
  );
  const baseTest = binaryMetrics(base.testProbs, test.labels);
  log('');
  formatMetrics(modelTest, baseTest).forEach((l) => log(l));

  fs.mkdirSync(opts.out, { recursive: true });
  for (let k = 0; k < models.length; k++) await models[k].save(fileIO(path.join(opts.out, memberDir(k))));
  fs.writeFileSync(path.join(opts.out, 'tokenizer.json'), tokenizer.toJSON());
  const { progress: _p, ...config } = opts;
  void _p;
  const report: SentimentReport = {
    config: { ...config, vocabularySize: V },
    backend,
    data: { source, examples: examples.length, train: train.texts.length, val: val.texts.length, test: test.texts.length },
    secondsPerEpoch: members[0].secondsPerEpoch,
    epochsRun: members[0].epochsRun,
    bestEpoch: members[0].bestEpoch,
    history: members[0].history,
    members,
    model: { params: models.reduce((n, m) => n + m.countParams(), 0), val: modelVal, test: modelTest },
    baseline: { name: 'bag-of-words logistic regression', test: baseTest },
    seconds: (Date.now() - t0) / 1000,
  };
  fs.writeFileSync(path.join(opts.out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  const title = `${opts.ensemble > 1 ? `${opts.ensemble} × ` : ''}${opts.cell}(${opts.units}) on ${source.split(' (')[0]}`;
  fs.writeFileSync(path.join(opts.out, 'curves.svg'), await curvesSVG(members, title));
  log('');
  log(`wrote ${opts.out}/: ${members.map((m) => m.dir + '/').join(', ')}, tokenizer.json, report.json, curves.svg (${report.seconds.toFixed(0)} s in all)`);
  tf.dispose([xVa, xTe, yTr, yVa]);
  models.forEach((m) => m.dispose());
  return report;
}

/**
 * Trains one model with early stopping on validation loss and restores its
 * best weights. One fit call per epoch, on a seeded permutation of the
 * training part (tfjs's own shuffle draws from Math.random), with word
 * dropout applied afresh to that epoch's copy of the training ids.
 */
async function trainMember(
  model: tf.LayersModel,
  opts: SentimentOptions,
  d: { sTr: number[][] | number[][][]; yTr: tf.Tensor2D; xVa: tf.Tensor; yVa: tf.Tensor2D; oovId: number },
  log: (line: string) => void,
): Promise<Omit<MemberReport, 'dir' | 'seed'>> {
  const n = d.sTr.length;
  const history: EpochLog[] = [];
  const secondsPerEpoch: number[] = [];
  let best = { loss: Infinity, epoch: 0, weights: null as tf.Tensor[] | null };
  let since = 0;
  const batches = Math.ceil(n / opts.batchSize);
  const useBar = opts.progress ?? Boolean(process.stdout.isTTY);
  let bar: SingleBar | null = null;
  let tEpoch = 0;
  const order = rng(opts.seed + 7);
  const dropWords = rng(opts.seed + 11);
  const callbacks: tf.CustomCallbackArgs = {
      onEpochBegin: async (epoch) => {
        tEpoch = Date.now();
        if (useBar) {
          bar = new SingleBar({
            format: `epoch ${String(epoch + 1).padStart(2)}/${opts.epochs} [{bar}] {value}/{total} | loss {loss} | acc {acc}`,
            barsize: 24,
            hideCursor: true,
            clearOnComplete: true,
          });
          bar.start(batches, 0, { loss: '-', acc: '-' });
        }
      },
      onBatchEnd: async (batch, logs) => {
        bar?.update(batch + 1, { loss: f3(logs?.loss ?? NaN), acc: f3(logs?.acc ?? NaN) });
      },
      onEpochEnd: async (epoch, logs) => {
        bar?.stop();
        const secs = (Date.now() - tEpoch) / 1000;
        secondsPerEpoch.push(secs);
        const h: EpochLog = { epoch: epoch + 1, loss: logs!.loss, acc: logs!.acc, val_loss: logs!.val_loss, val_acc: logs!.val_acc };
        history.push(h);
        let mark = '';
        if (h.val_loss < best.loss - 1e-4) {
          tf.dispose(best.weights ?? []);
          best = { loss: h.val_loss, epoch: epoch + 1, weights: model.getWeights().map((w) => w.clone()) };
          since = 0;
          mark = ' *';
        } else if (++since >= opts.patience) {
          model.stopTraining = true;
          mark = ` (no improvement for ${opts.patience} epochs: stopping)`;
        }
        log(`epoch ${String(epoch + 1).padStart(2)}/${opts.epochs} ${secs.toFixed(1)}s  loss ${f3(h.loss)} acc ${f3(h.acc)}  val_loss ${f3(h.val_loss)} val_acc ${f3(h.val_acc)}${mark}`);
      },
  };
  // Adam reads its learning rate at every step, so a new value holds from the next step on.
  const adam = model.optimizer as unknown as { learningRate: number };
  const learningRates: number[] = [];
  // Keras's TerminateOnNaN: a diverging run stops (the best epoch's weights are restored below).
  const nan = terminateOnNaN();
  for (let e = 0; e < opts.epochs && !model.stopTraining && nan.stopped == null; e++) {
    adam.learningRate = epochLearningRate(opts, e);
    learningRates.push(adam.learningRate);
    const idx = shuffle([...Array(n).keys()], order);
    const rows = wordDropout(idx.map((i) => d.sTr[i]) as Array<Array<number | number[]>>, opts.wordDropout, dropWords, d.oovId);
    const perm = tf.tensor1d(idx, 'int32');
    const [xE, yE] = [idsTensor(rows as number[][] | number[][][], opts), tf.gather(d.yTr, perm)];
    await model.fit(xE, yE, { initialEpoch: e, epochs: e + 1, batchSize: opts.batchSize, validationData: [d.xVa, d.yVa], shuffle: false, verbose: 0, callbacks: [new tf.CustomCallback(callbacks), nan] });
    tf.dispose([perm, xE, yE]);
  }
  if (best.weights) {
    model.setWeights(best.weights);
    tf.dispose(best.weights);
    log(`restored the weights of epoch ${best.epoch} (best validation loss ${f3(best.loss)})`);
  }
  return { secondsPerEpoch, epochsRun: history.length, bestEpoch: best.epoch, history, learningRates };
}
