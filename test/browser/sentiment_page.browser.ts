/**
 * The sentiment page end to end: a short run of `tfjs-recurrent sentiment` in
 * Node (an ensemble of two, the demo's network), the page built around it by
 * web/build.mjs (which exports the run with `export --to web`) into a scratch
 * folder, served cross-origin isolated, in headless Chromium. What the page
 * shows is checked against Node on the run folder itself: its probabilities
 * (predict's, on wasm), each word's effect (p(text) − p(text without it),
 * both scored by predict), and the states of its heat strips (where the run's
 * own recurrent layer ends on the words up to t, or from t on); then in-page
 * training lowers the loss. Timings go to test/browser/output/sentiment_page.json.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { PageLog, launchChromium, openPage, screenshot, writeReport } from './helpers/browser';
import { Served, serve } from './helpers/serve';
import { builtDist } from '../helpers/dist';
import { setBackend } from '../../src/backend';
import { tf } from '../../src/tf';
import { Bidirectional, loadModel, textToWordSequence } from '../../src';
import { predictSentiment } from '../../src/sentiment/predict';
import { encodeTexts, idsTensor } from '../../src/sentiment/encode';
import { readReport, readTokenizer } from '../../src/sentiment/run_folder';

const ROOT = path.resolve(__dirname, '..', '..');
const RUN = ['sentiment', '--epochs', '1', '--ensemble', '2', '--limit', '600', '--backend', 'cpu', '--no-progress'];
const TEXTS = ['This movie was absolutely wonderful', 'terrible service, never again', 'The battery is great but the screen broke after a week', 'meh'];
const TEXT = TEXTS[2];

let scratch = '';
const run = () => path.join(scratch, 'run');
const site = () => path.join(scratch, 'site');
let served: Served;
let browser: Browser;
let page: Page;
let log: PageLog;
const timings: Record<string, number> = {};

/** Runs `step`, keeping its time in seconds under `name`. */
async function timed<T>(name: string, step: () => T | Promise<T>): Promise<T> {
  const t0 = Date.now();
  const out = await step();
  timings[name] = (Date.now() - t0) / 1000;
  return out;
}

/** A Node script of the package, as a user runs it; its stdout. */
function node(args: string[]): string {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-recurrent-sentiment-page-'));
  const cli = path.join(builtDist(), 'cli', 'main.js');
  await timed('train the run in Node (s)', () => node([cli, ...RUN, '--out', run()]));
  await timed('build the page (s)', () => node([path.join(ROOT, 'web', 'build.mjs'), '--run', run(), '--out', site()]));
  served = await serve(site());
  browser = await launchChromium();
  ({ page, log } = await timed('open the page until ready (s)', () => openPage(browser, served.url, "document.body.dataset.state === 'ready'")));
  await setBackend('wasm', { verbose: false });
}, 300_000);

afterAll(async () => {
  writeReport('sentiment_page', timings);
  await browser?.close();
  await served?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Puts `text` in the box (keystroke by keystroke when `typed`) and waits for the page to have scored it. */
async function enter(text: string, typed = false): Promise<void> {
  if (typed) {
    await page.fill('#text', '');
    await page.locator('#text').pressSequentially(text, { delay: 5 });
  } else {
    await page.fill('#text', text);
  }
  await page.waitForFunction(`document.getElementById('p').dataset.text === ${JSON.stringify(text)}`);
}

test('the page runs on wasm with our kernels, on two threads in a cross-origin-isolated page, and says so', async () => {
  const cores = (await page.evaluate('navigator.hardwareConcurrency')) as number;
  await enter('warm up');
  const want = cores >= 2 ? '2' : '1';
  await page.waitForFunction(`document.getElementById('backend').dataset.threads === '${want}'`, undefined, { timeout: 10000 });
  expect(await page.getAttribute('#backend', 'data-backend')).toBe('wasm');
  expect(await page.textContent('#backend')).toMatch(new RegExp(`^backend: wasm · our kernels: (relaxed )?SIMD, ${want} threads?$`));
  expect(await page.textContent('#model-label')).toMatch(/^exported run: 2 × bilstm\(16\), test accuracy 0\.\d{3}$/);
  expect(log.errors()).toEqual([]);
});

test("as one types, the page's probabilities are Node's (predict on the run folder, wasm) to 1e-5", async () => {
  const ours: number[] = [];
  await timed('score 4 texts in the page (s)', async () => {
    for (const [i, t] of TEXTS.entries()) {
      await enter(t, i === 0);
      ours.push(Number(await page.getAttribute('#p', 'data-p')));
    }
  });
  const node = await predictSentiment(run(), TEXTS);
  ours.forEach((p, i) => expect(Math.abs(p - node[i])).toBeLessThan(1e-5));
});

test('each word\'s effect is p(text) − p(text without it), as Node scores both', async () => {
  await enter(TEXT);
  const shown = await page.$$eval('#effects .effect', (cells) => cells.map((c) => ({ word: c.getAttribute('data-word')!, effect: Number(c.getAttribute('data-effect')) })));
  const words = textToWordSequence(TEXT);
  expect(shown.map((s) => s.word)).toEqual(words);
  const without = words.map((_, i) => words.filter((_, k) => k !== i).join(' '));
  const [p, ...rest] = await predictSentiment(run(), [TEXT, ...without]);
  shown.forEach((s, i) => expect(Math.abs(s.effect - (p - rest[i]))).toBeLessThan(1e-5));
});

test("the heat strips' states are where the run's own recurrent layer ends: → on the words up to t, ← on the words from t on", async () => {
  await enter(TEXT);
  const rows = await page.$$eval('#states tbody tr', (trs) =>
    trs.map((tr) => ({
      direction: tr.getAttribute('data-direction')!,
      unit: Number(tr.getAttribute('data-unit')),
      h: Array.from(tr.querySelectorAll('td') as ArrayLike<typeof tr>, (td) => Number(td.getAttribute('data-value'))),
    })),
  );
  const words = textToWordSequence(TEXT);
  expect(rows.map((r) => r.direction)).toEqual([...Array(6).fill('forward'), ...Array(6).fill('backward')]);
  rows.forEach((r) => expect(r.h).toHaveLength(words.length));
  expect(await page.textContent('#states-note')).toMatch(/^bidirectional LSTM \(16 units each way\), model 1 of 2\. /);
  // Node, without the page's code: the first model's own BiLSTM (last states, concatenated [→h_T ; ←h_1]).
  const model = await loadModel(path.join(run(), 'model'));
  const layer = model.layers.find((l) => l instanceof Bidirectional)!;
  const own = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
  const { encoding } = readReport(run());
  const ends = (texts: string[]) => {
    const x = idsTensor(encodeTexts(readTokenizer(run()), texts, encoding), encoding);
    const y = own.predict(x) as tf.Tensor;
    const out = y.arraySync() as number[][];
    tf.dispose([x, y]);
    return out;
  };
  const H = 16;
  const upTo = ends(words.map((_, t) => words.slice(0, t + 1).join(' ')));
  const from = ends(words.map((_, t) => words.slice(t).join(' ')));
  for (const r of rows) {
    r.h.forEach((v, t) => expect(Math.abs(v - (r.direction === 'forward' ? upTo[t][r.unit] : from[t][H + r.unit]))).toBeLessThan(1e-5));
  }
  model.dispose();
});

test('training in the page lowers the loss, fills the progress bar, then scores with the new model', async () => {
  await enter(TEXT);
  const before = await page.getAttribute('#p', 'data-p');
  await page.selectOption('#train-cell', 'lstm');
  await page.fill('#train-epochs', '1');
  await page.selectOption('#train-limit', '3000');
  await timed('train 1 epoch of 2,100 sentences in the page (s)', async () => {
    await page.click('#train-start');
    await page.waitForFunction("['done', 'error'].includes(document.getElementById('train-history').dataset.state)", undefined, { timeout: 120000 });
  });
  const attr = async (id: string, name: string) => (await page.getAttribute(`#${id}`, name)) ?? '';
  const h = {
    state: await attr('train-history', 'data-state'),
    batches: JSON.parse(await attr('train-history', 'data-batches')) as number[],
    val: JSON.parse(await attr('train-history', 'data-val')) as number[],
    value: Number(await page.evaluate("document.getElementById('train-progress').value")),
    max: Number(await attr('train-progress', 'max')),
  };
  expect(h.state).toBe('done');
  expect(h.batches).toHaveLength(66); // ⌈2,100 / 32⌉
  expect([h.value, h.max]).toEqual([66, 66]);
  expect(h.val).toHaveLength(2); // before training, after the epoch
  expect(h.val[1]).toBeLessThan(h.val[0] - 0.02);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  expect(mean(h.batches.slice(-10))).toBeLessThan(mean(h.batches.slice(0, 10)));
  expect(await page.textContent('#model-label')).toMatch(/^trained here: lstm\(16\), 66 batches, test accuracy 0\.\d{3}$/);
  await page.waitForFunction(`document.getElementById('p').dataset.p !== ${JSON.stringify(before)}`);
  await screenshot(page, 'sentiment_page');
  expect(log.errors()).toEqual([]);
});
