/**
 * The sentiment page: classifies what the user types, as they type, with the
 * run exported into model/ (`tfjs-recurrent export --to web`) or a model
 * trained here; shows each word's effect and the recurrent states; trains a
 * small model on the bundled sentences with a live loss curve. It runs on
 * the best backend the browser has (`setBackend('auto')`: wasm with our
 * kernels, else WebGL/WebGPU, else cpu), or the one `?backend=` names.
 *
 * The page's state is in the DOM for a reader (and a test): `body[data-state]`
 * is loading, ready or error; `#p[data-p][data-text]` is the probability of a
 * text; `#train-history[data-batches][data-val]` the training's losses.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { CELLS } from '../../src/sentiment/options';
import { Tokenizer, getBackend, kernelsInfo, setBackend, tf } from '../../src/index.browser';
import { Preprocessing, encodingOf } from '../../src/sentiment/preprocessing';
import type { WebRun } from '../../src/cli/export_web';
import { Classifier } from './classifier';
import { showBackend, showEffects, showProbability, showSteps } from './view';
import { LossHistory, drawLossCurve } from './curve';
import { Row, TrainSettings, trainHere } from './trainer';

/** The element of id `id`. */
const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the page has no #${id}`);
  return e as T;
};

/** Units shown per direction in the heat strips. */
const UNITS_SHOWN = 6;

const classifiers: { run?: Classifier; trained?: Classifier } = {};
let current: Classifier | undefined;

/** The run exported into `base` (run.json, preprocessing.json, the models), or null where web/build.mjs put none (build.json says). */
async function loadRun(base: URL): Promise<Classifier | null> {
  const build = await fetch(new URL('build.json', document.baseURI));
  if (build.ok && ((await build.json()) as { model?: boolean }).model === false) return null;
  const answer = await fetch(new URL('run.json', base));
  if (answer.status === 404) return null;
  if (!answer.ok) throw new Error(`${answer.url} answered ${answer.status}`);
  const run = (await answer.json()) as WebRun;
  const p = (await (await fetch(new URL(run.preprocessing, base))).json()) as Preprocessing;
  const models = await Promise.all(run.models.map((m) => tf.loadLayersModel(new URL(m, base).href)));
  const { cell, units, ensemble } = run.config;
  const what = `${ensemble > 1 ? `${ensemble} × ` : ''}${cell ?? 'model'}(${units ?? '?'})`;
  const acc = run.testAccuracy === null ? '' : `, test accuracy ${run.testAccuracy.toFixed(3)}`;
  return new Classifier(models, Tokenizer.fromJSON(JSON.stringify(p.tokenizer)), encodingOf(p), `exported run: ${what}${acc}`);
}

/** The backend line, now (our kernels' helper thread starts a moment after they load). */
function refreshBackend(): void {
  showBackend($('backend'), getBackend(), kernelsInfo());
}

/** Scores the text in the box with the current classifier, and draws what it read. */
function classify(text: string): void {
  if (current === undefined) return;
  const { p, words, effects } = current.effects(text);
  showProbability($('p'), p, text);
  showEffects($('effects'), words, effects);
  showSteps($<HTMLTableElement>('states'), $('states-note'), $('states-scale'), current.steps(text), UNITS_SHOWN);
  refreshBackend();
}

// As the user types: the newest text, once per frame at most; a keystroke during a pass waits for it.
let pending = false;
let running = false;
function schedule(): void {
  pending = true;
  if (running) return;
  running = true;
  requestAnimationFrame(function pass() {
    if (pending) {
      pending = false;
      try {
        classify($<HTMLTextAreaElement>('text').value);
      } catch (e) {
        fail(e);
      }
      requestAnimationFrame(pass);
    } else {
      running = false;
    }
  });
}

/** Makes `which` the classifier of the box. */
function use(which: 'run' | 'trained'): void {
  current = classifiers[which];
  $<HTMLSelectElement>('model-choice').value = which;
  $('model-label').textContent = current?.label ?? '';
  schedule();
}

/** The bundled sentences (data.json), fetched once. */
let rows: Promise<Row[]> | undefined;
const bundled = () => (rows ??= fetch('data.json').then((r) => r.json()).then((d: { examples: Row[] }) => d.examples));

let training = false;
let stopAsked = false;

/** Trains a model with the settings in the form, drawing its losses as it goes; then classifies with it. */
async function train(): Promise<void> {
  const button = $<HTMLButtonElement>('train-start');
  if (training) {
    stopAsked = true;
    return;
  }
  training = true;
  stopAsked = false;
  button.textContent = 'Stop';
  const settings: TrainSettings = {
    cell: $<HTMLSelectElement>('train-cell').value as TrainSettings['cell'],
    units: Number($<HTMLInputElement>('train-units').value),
    epochs: Number($<HTMLInputElement>('train-epochs').value),
    limit: Number($<HTMLSelectElement>('train-limit').value),
  };
  const history: LossHistory = { batches: [], val: [], total: 1 };
  const out = $('train-history');
  const bar = $<HTMLProgressElement>('train-progress');
  const status = $('train-status');
  const canvas = $<HTMLCanvasElement>('loss-curve');
  out.dataset.state = 'training';
  const t0 = performance.now();
  try {
    status.textContent = 'loading the sentences…';
    const data = await bundled();
    const done = await trainHere(data, settings, {
      batch(loss, done, total) {
        history.batches.push(loss);
        history.total = total;
        bar.max = total;
        bar.value = done;
        out.dataset.batches = JSON.stringify(history.batches);
        const val = history.val[history.val.length - 1];
        status.textContent = `batch ${done}/${total} · loss ${loss.toFixed(3)}${val ? ` · validation loss ${val.loss.toFixed(3)}` : ''} · ${((performance.now() - t0) / 1000).toFixed(0)} s`;
        drawLossCurve(canvas, history);
      },
      validated(epoch, loss, accuracy, done) {
        history.val.push({ batch: done, loss });
        out.dataset.val = JSON.stringify(history.val.map((v) => v.loss));
        status.textContent = `epoch ${epoch}/${settings.epochs}: validation loss ${loss.toFixed(3)}, accuracy ${accuracy.toFixed(3)}`;
        drawLossCurve(canvas, history);
      },
    }, () => stopAsked);
    if (classifiers.trained !== undefined && classifiers.trained !== current) classifiers.trained.dispose();
    classifiers.trained = done.classifier;
    $<HTMLOptionElement>('choice-trained').disabled = false;
    status.textContent = `${done.classifier.label} (${((performance.now() - t0) / 1000).toFixed(1)} s); the box now uses it`;
    out.dataset.state = 'done';
    const old = current;
    use('trained');
    if (old !== undefined && old !== classifiers.run && old !== classifiers.trained) old.dispose();
  } catch (e) {
    out.dataset.state = 'error';
    status.textContent = `training failed: ${(e as Error).message}`;
  } finally {
    training = false;
    button.textContent = 'Train';
  }
}

/** Says what went wrong, on the page. */
function fail(e: unknown): void {
  document.body.dataset.state = 'error';
  $('error').textContent = `error: ${(e as Error)?.message ?? String(e)}`;
  $('error').hidden = false;
}

async function start(): Promise<void> {
  // tfjs-backend-wasm's own .wasm files, copied beside the page by web/build.mjs.
  setWasmPaths(new URL('tfjs-wasm/', document.baseURI).href);
  const asked = new URLSearchParams(location.search).get('backend') ?? 'auto';
  await setBackend(asked, { verbose: false });
  refreshBackend();
  for (const c of CELLS) $('train-cell').append(new Option(c, c, c === 'lstm', c === 'lstm'));
  const run = await loadRun(new URL('model/', document.baseURI));
  if (run === null) {
    $('no-run').hidden = false;
    $<HTMLOptionElement>('choice-run').disabled = true;
  } else {
    classifiers.run = run;
    use('run');
  }
  $('text').addEventListener('input', schedule);
  $('model-choice').addEventListener('change', () => use($<HTMLSelectElement>('model-choice').value as 'run' | 'trained'));
  $('train-start').addEventListener('click', () => void train());
  drawLossCurve($<HTMLCanvasElement>('loss-curve'), { batches: [], val: [], total: 1 });
  classify($<HTMLTextAreaElement>('text').value);
  document.body.dataset.state = 'ready';
}

start().catch(fail);
