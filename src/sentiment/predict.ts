/** Scoring texts with a run folder written by `runSentiment`. */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../tf';
import { loadModel } from '../model/io';
import { Tokenizer } from '../text/tokenizer';
import { RecurrentInputError } from '../errors';
import { DEFAULTS } from './options';
import { Encoding, encodeTexts, idsTensor } from './encode';
import type { SentimentReport } from './train';

const hasReport = (dir: string) => fs.existsSync(path.join(dir, 'report.json'));

/**
 * The run folder that `dir` names: the run folder itself, one of its model
 * folders (`model/`, `model_2/`, ...), or a model.json inside one.
 */
export function runFolder(dir: string): string {
  const d = path.basename(dir) === 'model.json' ? path.dirname(dir) : dir;
  if (hasReport(d)) return d;
  const parent = path.dirname(d);
  if (/^model(_\d+)?$/.test(path.basename(d)) && hasReport(parent)) return parent;
  throw new RecurrentInputError(
    `--model: expected a folder written by 'tfjs-recurrent sentiment' (holding report.json) or its model/ subfolder, got ${dir}, which has no report.json`,
  );
}

/**
 * Loads a run folder written by `runSentiment` (or given by one of its model
 * folders) and scores texts: P(positive) for each, the mean over the models
 * of an ensemble.
 */
export async function predictSentiment(dir: string, texts: string[]): Promise<number[]> {
  const run = runFolder(dir);
  const report = JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8')) as SentimentReport;
  if (texts.length === 0) return [];
  const tokenizer = Tokenizer.fromJSON(fs.readFileSync(path.join(run, 'tokenizer.json'), 'utf8'));
  const dirs = report.members?.map((m) => m.dir) ?? ['model'];
  // Runs written before subwords existed have no subword settings: word ids, as they were trained.
  const o: Encoding = { ...report.config, subwords: report.config.subwords ?? false, subwordMaxNgrams: report.config.subwordMaxNgrams ?? DEFAULTS.subwordMaxNgrams };
  const x = idsTensor(encodeTexts(tokenizer, texts, o), o); //   [n, maxlen] or [n, maxlen, bag]
  const sum = new Float64Array(texts.length);
  // An ensemble's probability is the mean of its members'.
  for (const d of dirs) {
    const model = await loadModel(path.join(run, d));
    const p = model.predict(x) as tf.Tensor; //                   [n, 1]
    p.dataSync().forEach((v, i) => (sum[i] += v / dirs.length));
    p.dispose();
    model.dispose();
  }
  x.dispose();
  return Array.from(sum);
}
