/** `sentiment` on too few examples: a clear error saying how many are needed, before any training. */
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { scratchDir } from '../helpers/scratch';
import { captureOutput } from '../helpers/capture_output';
import { loadBundled, stratifiedSplit } from '../../src/sentiment';
import { checkEnoughToSplit, smallestLimit } from '../../src/sentiment/enough';

const scratch = scratchDir('tfjs-recurrent-few-');
const { out, err } = captureOutput({ stderr: true });

test.each([2, 6, 7])('--data with %i examples says how many of each label are needed, before training', async (n) => {
  const f = path.join(scratch(), `few${n}.tsv`);
  fs.writeFileSync(f, [...Array(n)].map((_, i) => `text number ${i}\t${i % 2}`).join('\n') + '\n');
  const run = path.join(scratch(), `run${n}`);
  expect(await main(['sentiment', '--data', f, '--backend', 'cpu', '--no-progress', '--epochs', '1', '--out', run])).toBe(1);
  const pos = Math.floor(n / 2);
  expect(err).toEqual([
    `error: few${n}.tsv: too few examples to split into training, validation and test parts: each label needs at least 4 ` +
      `(2 to train on, 1 to validate, 1 to test), got ${pos} with label 1 and ${n - pos} with label 0`,
  ]);
  expect(out).toEqual([]);
  expect(fs.existsSync(run)).toBe(false);
});

test('--limit too small for the bundled data names the smallest that works', async () => {
  expect(await main(['sentiment', '--limit', '10', '--backend', 'cpu', '--no-progress', '--epochs', '1', '--out', path.join(scratch(), 'lim')])).toBe(1);
  expect(err).toEqual([
    expect.stringMatching(/^error: --limit 10: too few examples to split into training, validation and test parts: each label of each source needs at least 4 \(2 to train on, 1 to validate, 1 to test\), got 2 with label 1 from amazon, 2 with label 0 from amazon, .*; --limit 22 or more gives 4 of each$/),
  ]);
  expect(out).toEqual([]);
});

test('the --limit it names gives every group of the bundled data 4 examples, and one less does not', () => {
  const examples = loadBundled();
  const strata = examples.map((e) => `${e.source}/${e.label}`);
  const sizes = [...new Set(strata)].map((k) => strata.filter((s) => s === k).length);
  expect(smallestLimit(sizes, 10)).toBe(22);
  const sample = (l: number) => stratifiedSplit(strata, [l / 3000, 0, 1 - l / 3000], 42).train.map((i) => examples[i]);
  expect(() => checkEnoughToSplit(sample(22), 'x')).not.toThrow();
  expect(() => checkEnoughToSplit(sample(21), 'x')).toThrow(/^x: too few examples/);
  expect(smallestLimit([3, 10], 1)).toBeUndefined();
});
