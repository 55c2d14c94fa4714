/**
 * `tfjs-recurrent charrnn` end to end on a tiny model (seconds): the files it
 * writes, the model it saves drawing the same sample again from the same seed
 * through a generator, the interpret page, and errors before any training.
 */
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { generator, loadModel, resetNames, sample, SeedGenerator } from '../../src';
import { CharVocabulary, loadCorpus } from '../../src/charrnn/corpus';
import { colour } from '../../src/charrnn/interpret';
import { scratchDir } from '../helpers/scratch';
import { captureOutput } from '../helpers/capture_output';

const scratch = scratchDir('tfjs-recurrent-charrnn-');
const { out, err } = captureOutput({ stderr: true });
beforeEach(() => resetNames());

const TINY = ['--limit', '4000', '--units', '8', '--embedding-dim', '4', '--seq-length', '16', '--batch-size', '4', '--epochs', '2', '--steps-per-epoch', '3', '--backend', 'cpu', '--no-progress'];

test('trains a tiny model on the bundled novel, saves it with its vocabulary, samples, and the saved model draws the same sample again', async () => {
  const run = path.join(scratch(), 'run');
  const code = await main(['charrnn', ...TINY, '--length', '40', '--prime', 'Elizabeth', '--temperature', '0.9', '--top-k', '10', '--seed', '7', '--interpret', '--out', run]);
  expect(err).toEqual([]);
  expect(code).toBe(0);
  const report = JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8'));
  expect(report).toEqual(expect.objectContaining({ command: 'charrnn', backend: 'cpu', params: expect.any(Number) }));
  expect(report.data).toEqual(expect.objectContaining({ source: 'Pride and Prejudice (Jane Austen, 1813; public domain)', characters: 4000, train: 3800, val: 200 }));
  expect(report.history.map((h: { epoch: number }) => h.epoch)).toEqual([1, 2]);
  expect(report.history.every((h: { loss: number; val_loss: number }) => h.loss > 0 && h.val_loss > 0)).toBe(true);
  expect(report.sample).toEqual(expect.objectContaining({ prime: 'Elizabeth', length: 40, path: 'kernels' }));
  expect(report.interpret).toEqual({ layer: 2, unit: expect.any(Number), value: expect.stringMatching(/^tanh\(c\) of unit \d+ of LSTM layer 2$/) });

  const vocab = CharVocabulary.fromJSON(JSON.parse(fs.readFileSync(path.join(run, 'vocabulary.json'), 'utf8')), 'vocabulary.json');
  expect(vocab.chars).toEqual(CharVocabulary.of(Array.from(loadCorpus().text).slice(0, 4000).join('')).chars);
  const text = fs.readFileSync(path.join(run, 'sample.txt'), 'utf8');
  expect(Array.from(text)).toHaveLength('Elizabeth'.length + 40);
  expect(text.startsWith('Elizabeth')).toBe(true);
  expect(out.join('\n')).toContain(text);
  expect(out.join('\n')).toMatch(/^epoch 2\/2 [\d.]+s {2}loss \d\.\d{3} {2}val_loss \d\.\d{3} \(\d\.\d{3} bits a character\)$/m);

  // The saved model and vocabulary, through a generator, draw the same characters from the same seed.
  const model = await loadModel(path.join(run, 'model'));
  const gen = generator(model);
  const rng = new SeedGenerator(7);
  let p: Float32Array[] = [];
  for (const id of vocab.encode('Elizabeth')) p = gen.step(id);
  const again: number[] = [];
  for (let i = 0; i < 40; i++) {
    again.push(sample(p, { temperature: 0.9, topK: 10, seed: rng })[0]);
    p = gen.step(again[i]);
  }
  expect('Elizabeth' + vocab.decode(again)).toBe(text);
  gen.dispose();
  model.dispose();

  // One coloured span per character of the sample, each with its value.
  const page = fs.readFileSync(path.join(run, 'interpret.html'), 'utf8');
  const spans = [...page.matchAll(/<span style="background:(rgb\(\d+,\d+,\d+\))" title="(-?\d\.\d{3})">/g)];
  expect(spans).toHaveLength(Array.from(text).length);
  const channels = (rgb: string) => rgb.match(/\d+/g)!.map(Number);
  for (const [, bg, v] of spans) channels(bg).forEach((c, i) => expect(Math.abs(c - channels(colour(Number(v)))[i])).toBeLessThanOrEqual(1)); // (the title rounds v)
  expect(page).toContain(`<h1>charrnn: ${report.interpret.value}</h1>`);

  // A second run into the same folder replaces it; without --interpret, the old page goes.
  expect(await main(['charrnn', ...TINY, '--length', '5', '--out', run])).toBe(0);
  expect(fs.existsSync(path.join(run, 'interpret.html'))).toBe(false);
  expect(fs.readFileSync(path.join(run, 'sample.txt'), 'utf8')).toHaveLength(1 + 5); // the default prime: a new line
});

test('reads a text of one\'s own, gzipped or not', async () => {
  const file = path.join(scratch(), 'own.txt');
  fs.writeFileSync(file, 'abcabcabd '.repeat(60));
  const run = path.join(scratch(), 'own');
  expect(await main(['charrnn', ...TINY.filter((a, i) => a !== '--limit' && TINY[i - 1] !== '--limit'), '--data', file, '--length', '10', '--prime', 'a', '--out', run])).toBe(0);
  const report = JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8'));
  expect(report.data).toEqual(expect.objectContaining({ source: 'own.txt', characters: 600, vocabularySize: 5 }));
});

test.each([
  [['--data', '/nonexistent/file.txt'], /^error: --data: cannot read \/nonexistent\/file.txt \(no such file\)$/],
  [['--limit', '20'], /^error: charrnn: the text \(--limit 20\) has 20 characters; it needs at least 34 \(a window of --seq-length 16 \+ 1 to train on and one to validate on\)$/],
  [['--prime', 'Elizabeth€'], /^error: --prime: the character "€" at position 9 is not in the model's vocabulary of \d+ characters$/],
  [['--unit', '3'], /^error: charrnn: --unit chooses what --interpret shows, got it without --interpret$/],
  [['--interpret', '--unit', '8'], /^error: charrnn: --unit must be a unit number in \[0, 8\) \(--units 8\), got 8$/],
  [['--interpret', '--layer', '3'], /^error: charrnn: --layer must be a layer number in \[1, 2\] \(--layers 2\), got 3$/],
])('refuses %j before any training, with a message naming the option', async (args, message) => {
  const run = path.join(scratch(), 'refused');
  expect(await main(['charrnn', ...TINY, '--out', run, ...args])).toBe(1);
  expect(err.join('\n')).toMatch(message);
  expect(fs.existsSync(run)).toBe(false);
  expect(out).toEqual([]);
});
