/** `sentiment --out`: a file or a folder of other things is refused before training; an earlier run folder is replaced, with no stale model folders. */
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { resetNames } from '../../src';
import { DEFAULTS, runSentiment } from '../../src/sentiment/train';
import { scratchDir } from '../helpers/scratch';
import { captureOutput } from '../helpers/capture_output';

const scratch = scratchDir('tfjs-recurrent-out-');
const { out, err } = captureOutput();
beforeEach(() => resetNames());

const tiny = (o: string, ensemble: number) => ({
  ...DEFAULTS, cell: 'lstm' as const, units: 2, embeddingDim: 4, maxlen: 6, epochs: 1, limit: 60, backend: 'cpu', progress: false,
  subwords: false, ensemble, out: o,
});

test('--out naming an existing file is a clear error before training, and the file is left as it was', async () => {
  const file = path.join(scratch(), 'results.csv');
  fs.writeFileSync(file, 'a,b\n');
  expect(await main(['sentiment', '--limit', '60', '--backend', 'cpu', '--no-progress', '--out', file])).toBe(1);
  expect(err).toEqual([`error: --out: ${file} is a file; expected a folder to write the run into (a new or empty one, or an earlier run folder to replace)`]);
  expect(out).toEqual([]);
  expect(fs.readFileSync(file, 'utf8')).toBe('a,b\n');
});

test('--out inside a file, or a folder of other files, is refused before training', async () => {
  const file = path.join(scratch(), 'notes.txt');
  fs.writeFileSync(file, 'x');
  expect(await main(['sentiment', '--limit', '60', '--backend', 'cpu', '--no-progress', '--out', path.join(file, 'run')])).toBe(1);
  expect(err).toEqual([`error: --out: ${path.join(file, 'run')} cannot be a folder: a part of its path is a file`]);
  err.length = 0;
  const other = path.join(scratch(), 'photos');
  fs.mkdirSync(other);
  fs.writeFileSync(path.join(other, 'cat.jpg'), 'x');
  expect(await main(['sentiment', '--limit', '60', '--backend', 'cpu', '--no-progress', '--out', other])).toBe(1);
  expect(err).toEqual([`error: --out: ${other} is a folder of other files (no report.json, so not a run folder); name a new or empty folder, or an earlier run folder to replace`]);
  expect(fs.readdirSync(other)).toEqual(['cat.jpg']);
  expect(out).toEqual([]);
});

test('a run into an earlier run folder replaces it: no model_2/ or model_3/ of the larger ensemble is left, other files are kept', async () => {
  const run = path.join(scratch(), 'run');
  await runSentiment(tiny(run, 3), () => undefined);
  expect(fs.readdirSync(run).filter((f) => f.startsWith('model')).sort()).toEqual(['model', 'model_2', 'model_3']);
  fs.writeFileSync(path.join(run, 'NOTES.md'), 'mine');
  const r = await runSentiment(tiny(run, 1), () => undefined);
  expect(r.members.map((m) => m.dir)).toEqual(['model']);
  expect(fs.readdirSync(run).filter((f) => f.startsWith('model'))).toEqual(['model']);
  expect(fs.readFileSync(path.join(run, 'NOTES.md'), 'utf8')).toBe('mine');
  expect(JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8')).members).toHaveLength(1);
}, 120_000);
