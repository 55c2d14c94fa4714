/**
 * Training a small sentiment model in the page, on the bundled sentences, as
 * `tfjs-recurrent sentiment` trains one member of its ensemble: the same
 * stratified split (70 / 15 / 15 by source and label, seeded), tokenizer,
 * encoding (subword bags), network (`buildClassifier`), word dropout drawn
 * afresh each epoch and seeded epoch order; no early stopping. It reports
 * each batch's loss and each epoch's validation loss as it goes.
 */
import { Tokenizer, tf } from '../../src/index.browser';
import { CellName, DEFAULTS, SentimentOptions } from '../../src/sentiment/options';
import { encodeTexts, idsTensor, wordDropout } from '../../src/sentiment/encode';
import { rng, shuffle, stratifiedSplit } from '../../src/sentiment/split';
import { buildClassifier } from '../../src/sentiment/model';
import { binaryMetrics } from '../../src/sentiment/metrics';
import { Classifier } from './classifier';

/** One labelled sentence of data.json: [text, label (1 positive), source]. */
export type Row = [string, 0 | 1, string];

/** What the page lets one choose. */
export interface TrainSettings {
  cell: CellName;
  units: number;
  epochs: number;
  /** Use only this many examples (stratified), as the demo's --limit. */
  limit: number;
}

/** What training reports as it goes. */
export interface TrainEvents {
  /** After each batch: its loss, and batches done of all. */
  batch(loss: number, done: number, total: number): void;
  /** Before training (epoch 0) and after each epoch: the validation loss and accuracy, at `done` batches. */
  validated(epoch: number, loss: number, accuracy: number, done: number): void;
}

/** The trained model as a classifier, and its scores. */
export interface Trained {
  classifier: Classifier;
  valLoss: number;
  testAccuracy: number;
}

/**
 * Trains one model on `rows` with `settings` (the demo's defaults for the
 * rest); `stop()` true ends it after the current batch.
 */
export async function trainHere(rows: Row[], settings: TrainSettings, on: TrainEvents, stop: () => boolean = () => false): Promise<Trained> {
  const o: SentimentOptions = { ...DEFAULTS, ...settings, ensemble: 1, out: '' };
  const strata = (rs: Row[]) => rs.map(([, label, source]) => `${source}/${label}`);
  if (o.limit! < rows.length) {
    const keep = stratifiedSplit(strata(rows), [o.limit! / rows.length, 0, 1 - o.limit! / rows.length], o.seed).train;
    rows = keep.sort((a, b) => a - b).map((i) => rows[i]);
  }
  const split = stratifiedSplit(strata(rows), [0.7, 0.15, 0.15], o.seed);
  const part = (idx: number[]) => ({ texts: idx.map((i) => rows[i][0]), labels: idx.map((i) => rows[i][1] as number) });
  const [train, val, test] = [part(split.train), part(split.val), part(split.test)];
  const tokenizer = new Tokenizer({ numWords: o.numWords, oovToken: '<OOV>' });
  tokenizer.fitOnTexts(train.texts);
  const sTr = encodeTexts(tokenizer, train.texts, o) as Array<Array<number | number[]>>;
  const [xVa, xTe] = [idsTensor(encodeTexts(tokenizer, val.texts, o), o), idsTensor(encodeTexts(tokenizer, test.texts, o), o)];
  const yVa = tf.tensor2d(val.labels, [val.labels.length, 1]);
  const model = buildClassifier(o, tokenizer.vocabularySize);
  const oovId = tokenizer.wordIndex.get('<OOV>') ?? 1;
  const order = rng(o.seed + 7);
  const dropWords = rng(o.seed + 11);
  const perEpoch = Math.ceil(train.texts.length / o.batchSize);
  const total = perEpoch * o.epochs;
  let done = 0;
  let valLoss = NaN;
  const validate = (epoch: number) => {
    const [loss, acc] = (model.evaluate(xVa, yVa, { batchSize: o.batchSize }) as tf.Scalar[]).map((s) => {
      const v = s.dataSync()[0];
      s.dispose();
      return v;
    });
    valLoss = loss;
    on.validated(epoch, loss, acc, done);
  };
  try {
    validate(0);
    for (let epoch = 1; epoch <= o.epochs && !stop(); epoch++) {
      const idx = shuffle([...train.texts.keys()], order);
      const x = idsTensor(wordDropout(idx.map((i) => sTr[i]), o.wordDropout, dropWords, oovId) as number[][] | number[][][], o);
      const y = tf.tensor2d(idx.map((i) => train.labels[i]), [idx.length, 1]);
      try {
        await model.fit(x, y, {
          epochs: 1, batchSize: o.batchSize, shuffle: false, verbose: 0, yieldEvery: 'batch',
          callbacks: {
            onBatchEnd: async (_, logs) => {
              on.batch(logs?.loss ?? NaN, ++done, total);
              if (stop()) model.stopTraining = true;
            },
          },
        });
      } finally {
        tf.dispose([x, y]);
      }
      validate(epoch);
    }
    const p = tf.tidy(() => (model.predict(xTe) as tf.Tensor).dataSync() as Float32Array);
    const testAccuracy = binaryMetrics(p, test.labels).accuracy;
    const label = `trained here: ${o.cell}(${o.units}), ${done} batches, test accuracy ${testAccuracy.toFixed(3)}`;
    return { classifier: new Classifier([model], tokenizer, o, label), valLoss, testAccuracy };
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose([xVa, xTe, yVa]);
  }
}
