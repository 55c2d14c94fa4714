/**
 * End-to-end smoke run of the command: one epoch on a small subset, then
 * the files it writes, and `predict` loading the model.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import { main } from '../../src/cli/main';
import { resetNames } from '../../src';
import { scratchDir } from '../helpers/scratch';

const scratch = scratchDir('tfjs-recurrent-cli-');
let out: string[];
let err: string[];
/** What was written to process.stdout directly (commander's --version and --help). */
let stdout: string[];
beforeEach(() => {
  resetNames();
  out = [];
  err = [];
  stdout = [];
  jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.map(String).join(' ')));
  jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.map(String).join(' ')));
  jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    stdout.push(String(s));
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err.push(String(s));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

test('sentiment: one epoch on 150 examples writes report.json, the model, the tokenizer and the SVG; predict loads them', async () => {
  const run = path.join(scratch(), 'run');
  const code = await main(['sentiment', '--limit', '150', '--epochs', '1', '--units', '4', '--embedding-dim', '8', '--cell', 'lstm', '--backend', 'cpu', '--out', run, '--no-progress']);
  expect(err).toEqual([]);
  expect(code).toBe(0);
  expect(out.join('\n')).toMatch(/Model: "sentiment"/);
  expect(out.join('\n')).toMatch(/^ {2}accuracy +\d\.\d{3} +\d\.\d{3}$/m);
  const report = JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8'));
  expect(report.backend).toBe('cpu');
  expect(report.data).toEqual(expect.objectContaining({ examples: 150, train: 102, val: 24, test: 24 }));
  expect(report.secondsPerEpoch).toHaveLength(1);
  for (const k of ['accuracy', 'precision', 'recall', 'f1']) {
    expect(report.model.test[k]).toBeGreaterThanOrEqual(0);
    expect(report.baseline.test[k]).toBeLessThanOrEqual(1);
  }
  expect(report.config.cell).toBe('lstm');
  expect(report.config).toEqual(expect.objectContaining({ subwords: true, subwordBuckets: 20000, subwordMinN: 3, subwordMaxN: 5, subwordMaxNgrams: 24 }));
  expect(fs.existsSync(path.join(run, 'model', 'model.json'))).toBe(true);
  expect(fs.existsSync(path.join(run, 'tokenizer.json'))).toBe(true);
  const svg = fs.readFileSync(path.join(run, 'curves.svg'), 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toContain('accuracy');

  out = [];
  expect(await main(['predict', '--model', run, 'a wonderful film', 'terrible service'])).toBe(0);
  expect(out).toHaveLength(2);
  expect(out[0]).toMatch(/^0\.\d{4}\ta wonderful film$/);
  expect(out[1]).toMatch(/^0\.\d{4}\tterrible service$/);
  const scores = out;

  // Texts from standard input, one per line, blank lines skipped, score as on the command line.
  out = [];
  const stdin = Readable.from(['a wonderful film\r\n\n', 'terrible service\n']);
  expect(await main(['predict', '--model', run + path.sep], { stdin })).toBe(0);
  expect(err).toEqual([]);
  expect(out).toEqual(scores);

  // The model/ subfolder is the first model of the ensemble alone: the run's scores are the mean of three.
  out = [];
  expect(await main(['predict', '--model', path.join(run, 'model') + path.sep, 'a wonderful film'])).toBe(0);
  expect(out).toHaveLength(1);
  expect(out[0]).toMatch(/^0\.\d{4}\ta wonderful film$/);
});

test.each([
  [['sentiment', '--units', '0'], /--units must be an integer >= 1, got '0'/],
  [['sentiment', '--cell', 'transformer'], /argument 'transformer' is invalid. Allowed choices are lstm, gru, simple_rnn, bilstm, bigru/],
  [['sentiment', '--bogus'], /unknown option '--bogus'/],
  [['sentiment', '--word-dropout', '1'], /--word-dropout must be a number in \[0, 1\), got '1'/],
  [['sentiment', '--wide-l2', 'x'], /--wide-l2 must be a number in \[0, 1\), got 'x'/],
  [['sentiment', '--wide-learning-rate', '0'], /--wide-learning-rate must be a number in \[0.000001, 1\), got '0'/],
  [['sentiment', '--learning-rate-decay', '1.5'], /--learning-rate-decay must be a number in \(0, 1\], got '1.5'/],
  [['sentiment', '--ensemble', '0'], /--ensemble must be an integer >= 1, got '0'/],
  [['sentiment', '--subword-buckets', '0'], /--subword-buckets must be an integer >= 1, got '0'/],
  [['sentiment', '--subword-min-n', '4', '--subword-max-n', '3'], /--subword-max-n must be >= --subword-min-n \(4\), got 3/],
  [['sentiment', '--subwords', '--wide', '--limit', '60', '--backend', 'cpu', '--no-progress', '--out', '/nonexistent/x'], /sentiment: `wide: true` needs one word id per step, got `subwords: true` as well \(on the command line: --wide --no-subwords\)/],
  [['predict', '--model', '/nonexistent', 'hi'], /^error: --model: expected a folder written by 'tfjs-recurrent sentiment' \(holding report\.json\) or its model\/ subfolder, got \/nonexistent, which has no report\.json$/],
  [['sentiment', '--text-column', 'review'], /--text-column names a column of --data, got --text-column 'review' without --data/],
])('%j is a clear error, not a stack trace', async (argv, re) => {
  expect(await main(argv as string[])).toBe(1);
  const text = err.join('\n');
  expect(text).toMatch(re);
  expect(text).not.toMatch(/\n\s+at /);
});

test('--data with a bad row names the line', async () => {
  const f = path.join(scratch(), 'bad.tsv');
  fs.writeFileSync(f, 'good\t1\nbad\tmaybe\n');
  expect(await main(['sentiment', '--data', f, '--backend', 'cpu', '--out', path.join(scratch(), 'x')])).toBe(1);
  expect(err.join('\n')).toMatch(/^error: bad\.tsv line 2: label must be 0 or 1/m);
});

test('a missing or malformed --data file is the first and only thing printed, before the backend line', async () => {
  const missing = path.join(scratch(), 'missing.tsv');
  expect(await main(['sentiment', '--data', missing, '--out', path.join(scratch(), 'x')])).toBe(1);
  expect([...out, ...stdout]).toEqual([]);
  expect(err).toEqual([`error: --data: no such file: ${missing}`]);

  err = [];
  const header = path.join(scratch(), 'header.tsv');
  fs.writeFileSync(header, 'sentence\tstars\ngood\t1\n');
  expect(await main(['sentiment', '--data', header, '--out', path.join(scratch(), 'x')])).toBe(1);
  expect([...out, ...stdout]).toEqual([]);
  expect(err).toEqual([expect.stringMatching(/^error: header\.tsv line 1: label must be 0 or 1 \(or positive\/negative\), got 'stars' \(no header row found/)]);
});

test('--data: a TSV with a header row, its columns named by --text-column and --label-column, trains', async () => {
  const f = path.join(scratch(), 'reviews.tsv');
  const rows = [...Array(40)].map((_, i) => (i % 2 ? `${i}\tpositive\ta good film number ${i}` : `${i}\tnegative\ta bad film number ${i}`));
  fs.writeFileSync(f, ['id\tStars\tReview', ...rows].join('\n') + '\n');
  const argv = ['sentiment', '--data', f, '--text-column', 'review', '--label-column', 'stars', '--epochs', '1', '--units', '2', '--embedding-dim', '4', '--ensemble', '1', '--backend', 'cpu', '--no-progress', '--out', path.join(scratch(), 'tsv-run')];
  expect(await main(argv)).toBe(0);
  expect(out[0]).toMatch(/^data: reviews\.tsv: 40 examples → train 28, validation 6, test 6/);
});

test('--version prints the version of package.json and exits 0', async () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  expect(await main(['--version'])).toBe(0);
  expect(stdout.join('')).toBe(`${version}\n`);
});

test('--help of sentiment names every accepted label word and the column options', async () => {
  expect(await main(['sentiment', '--help'])).toBe(0);
  const help = stdout.join('').replace(/\s+/g, ' ');
  expect(help).toContain('labels: 1, positive, pos, true for positive; 0, negative, neg, false for negative (any case)');
  expect(help).toMatch(/--text-column <name>.*--label-column <name>/);
});
