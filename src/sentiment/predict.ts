/** Scoring texts with a run folder written by `runSentiment`. */
import * as path from 'path';
import { tf } from '../tf';
import { loadModel } from '../model/io';
import { RecurrentInputError, fmtShape } from '../errors';
import { encodeTexts, idsTensor } from './encode';
import { locateRun, readReport, readTokenizer } from './run_folder';

export { runFolder } from './run_folder';

/**
 * Loads a run folder written by `runSentiment` and scores texts: P(positive)
 * for each, the mean over the models of an ensemble. Given one model's folder
 * (`run/model_2`, or its model.json), that model alone scores them.
 */
export async function predictSentiment(dir: string, texts: string[]): Promise<number[]> {
  const { run, member } = locateRun(dir);
  const report = readReport(run);
  if (texts.length === 0) return [];
  const tokenizer = readTokenizer(run);
  const dirs = member !== undefined ? [member] : report.members;
  const x = idsTensor(encodeTexts(tokenizer, texts, report.encoding), report.encoding); //   [n, maxlen] or [n, maxlen, bag]
  const sum = new Float64Array(texts.length);
  try {
    // An ensemble's probability is the mean of its members'.
    for (const d of dirs) {
      const model = await loadModel(path.join(run, d));
      try {
        const want = model.inputs[0].shape;
        if (want.length !== x.rank || want.some((n, k) => n !== null && n !== x.shape[k])) {
          throw new RecurrentInputError(
            `predict: ${path.join(run, d, 'model.json')} takes input ${fmtShape(want)}, but ${path.join(run, 'report.json')}'s config ` +
              `encodes texts as ${fmtShape([null, ...x.shape.slice(1)])}`,
          );
        }
        const p = model.predict(x) as tf.Tensor; //                   [n, 1]
        p.dataSync().forEach((v, i) => (sum[i] += v / dirs.length));
        p.dispose();
      } finally {
        model.dispose();
      }
    }
  } finally {
    x.dispose();
  }
  return Array.from(sum);
}
