/**
 * The two small sentiment runs the export tests read, trained on cpu in a
 * few seconds: `words` (--no-subwords, an ensemble of two LSTM(4)) and
 * `bags` (subword bags in 500 buckets, one model of `bagsCell`).
 */
import * as backend from '../../src/backend';
import { resetNames } from '../../src';
import { DEFAULTS, runSentiment } from '../../src/sentiment/train';
import type { CellName } from '../../src/sentiment/options';

export async function trainSmallRuns(dirs: { words: string; bags: string }, bagsCell: CellName = 'lstm'): Promise<void> {
  await backend.setBackend('cpu');
  const small = { ...DEFAULTS, cell: 'lstm' as const, units: 4, embeddingDim: 8, maxlen: 12, epochs: 1, limit: 150, backend: 'cpu' as const, progress: false };
  resetNames();
  await runSentiment({ ...small, subwords: false, ensemble: 2, out: dirs.words }, () => undefined);
  resetNames();
  await runSentiment({ ...small, cell: bagsCell, subwords: true, subwordBuckets: 500, ensemble: 1, out: dirs.bags }, () => undefined);
}
