/**
 * The sentiment job: data → seeded stratified split → tokenizer (fitted on
 * the training part) → an ensemble of recurrent classifiers, each trained
 * with early stopping → test metrics next to a bag-of-words baseline → files
 * in the output folder (the models, tokenizer.json, report.json, curves.svg).
 *
 * The pieces: options.ts (what can be asked), encode.ts (texts → ids),
 * model.ts (the network), member.ts (training one model), baseline.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../tf';
import { setBackend } from '../backend';
import { fileIO } from '../model/io';
import { Tokenizer } from '../text/tokenizer';
import { SentimentOptions, checkCombination } from './options';
import { Example, checkExamples, loadBundled, readLabelledFile } from './data';
import { stratifiedSplit } from './split';
import { checkEnoughToSplit, smallestLimit } from './enough';
import { checkOutFolder, removeStale } from './out_folder';
import { encodeTexts, idsTensor } from './encode';
import { buildClassifier } from './model';
import { MemberReport, trainMember } from './member';
import { BinaryMetrics, binaryCrossentropy, binaryMetrics, f3 } from './metrics';
import { trainBaseline } from './baseline';
import { EpochLog, canPlot, curvesSVG } from './plot';

// The command line (src/cli/main.ts) takes the options from here.
export { CELLS, POOLINGS, DEFAULTS } from './options';
export type { CellName, Pooling, SentimentOptions } from './options';

/** What report.json holds. */
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

/** The seed of ensemble member k (0-based): the first one uses --seed itself. */
export const memberSeed = (seed: number, k: number) => seed + 1000 * k;

/** The folder of ensemble member k inside the run folder. */
export const memberDir = (k: number) => (k === 0 ? 'model' : `model_${k + 1}`);

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
  const source = opts.data ? path.basename(opts.data) : 'bundled UCI Sentiment Labelled Sentences (imdb, amazon, yelp)';
  if (opts.limit != null && opts.limit < examples.length) {
    const sizes = [...new Set(strata())].map((k) => strata().filter((s) => s === k).length);
    const keep = stratifiedSplit(strata(), [opts.limit / examples.length, 0, 1 - opts.limit / examples.length], opts.seed).train;
    examples = keep.sort((a, b) => a - b).map((i) => examples[i]);
    checkExamples(examples, `the first ${opts.limit} examples`);
    checkEnoughToSplit(examples, `--limit ${opts.limit}`, smallestLimit(sizes, opts.limit));
  } else {
    checkEnoughToSplit(examples, opts.data ? path.basename(opts.data) : 'the bundled data');
  }
  checkOutFolder(opts.out);
  const backend = await setBackend(opts.backend);
  const split = stratifiedSplit(strata(), [0.7, 0.15, 0.15], opts.seed);
  const part = (idx: number[]) => ({ texts: idx.map((i) => examples[i].text), labels: idx.map((i) => examples[i].label as number) });
  const [train, val, test] = [part(split.train), part(split.val), part(split.test)];
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
  const plotted = canPlot();
  if (plotted) fs.writeFileSync(path.join(opts.out, 'curves.svg'), await curvesSVG(members, title));
  else process.stderr.write('tfjs-recurrent: no curves.svg: drawing it needs vega and vega-lite (npm install vega vega-lite)\n');
  removeStale(opts.out, members.map((m) => m.dir), plotted);
  log('');
  log(`wrote ${opts.out}/: ${members.map((m) => m.dir + '/').join(', ')}, tokenizer.json, report.json${plotted ? ', curves.svg' : ''} (${report.seconds.toFixed(0)} s in all)`);
  tf.dispose([xVa, xTe, yTr, yVa]);
  models.forEach((m) => m.dispose());
  return report;
}
