/**
 * The charrnn job (Karpathy's char-rnn, with our layers): a text → its
 * characters as ids → a character model (Embedding → stacked LSTMs →
 * Dense(softmax) on every step) trained on random windows to predict each
 * next character → a sample drawn one character at a time by the text
 * generator → files in the output folder: model/, vocabulary.json,
 * sample.txt, report.json, and with --interpret, interpret.html (the sample
 * coloured by one unit's value).
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../tf';
import { setBackend } from '../backend';
import { fileIO } from '../model/io';
import { Sequential } from '../model/sequential';
import { Embedding } from '../layers/embedding';
import { LSTM } from '../layers/lstm';
import { Dense } from '../layers/dense';
import { Adam } from '../training/adam';
import { RecurrentConfigError, RecurrentInputError } from '../errors';
import { checkOutFolder } from '../sentiment/out_folder';
import { EpochBar, startEpochBar } from '../sentiment/epoch_bar';
import { generator } from '../generation/generator';
import { sample } from '../generation/sample';
import { SeedGenerator } from '../generation/seed_generator';
import { CharVocabulary, loadCorpus } from './corpus';
import { interpretHTML, liveliestUnit } from './interpret';
import { CharRnnOptions } from './options';

export { CHARRNN_DEFAULTS } from './options';
export type { CharRnnOptions } from './options';

/** One epoch's training: mean loss over its batches and the validation loss, in nats a character. */
export interface CharEpochLog {
  epoch: number;
  loss: number;
  val_loss: number;
  seconds: number;
}

/** What report.json holds. */
export interface CharRnnReport {
  command: 'charrnn';
  config: Omit<CharRnnOptions, 'progress' | 'out'>;
  backend: string;
  data: { source: string; characters: number; train: number; val: number; vocabularySize: number };
  params: number;
  history: CharEpochLog[];
  /** The last epoch's validation loss in bits a character (loss / ln 2). */
  valBitsPerChar: number;
  sample: { prime: string; length: number; path: 'kernels' | 'host'; msPerChar: number };
  interpret: { layer: number; unit: number; value: string } | null;
  seconds: number;
}

/** The files a run writes beside model/. */
export const CHARRNN_FILES = ['vocabulary.json', 'sample.txt', 'report.json', 'interpret.html'] as const;

/** Seeded initializers, so that a run repeats for a given --seed. */
const seeded = (className: string, seed: number, config: Record<string, unknown> = {}) => ({ className, config: { ...config, seed } });

/** The character model: Embedding(V, E) → LSTM(H) × L, each returning its sequence → Dense(V, softmax) on every step. */
export function buildCharModel(o: Pick<CharRnnOptions, 'units' | 'layers' | 'embeddingDim' | 'seed'>, V: number): Sequential {
  const layers: tf.layers.Layer[] = [new Embedding({ inputDim: V, outputDim: o.embeddingDim, embeddingsInitializer: seeded('RandomUniform', o.seed, { minval: -0.05, maxval: 0.05 }) })];
  for (let l = 0; l < o.layers; l++) {
    const s = o.seed + 10 * (l + 1);
    layers.push(new LSTM({ units: o.units, returnSequences: true, kernelInitializer: seeded('GlorotUniform', s + 1), recurrentInitializer: seeded('Orthogonal', s + 2, { gain: 1 }) }));
  }
  layers.push(new Dense({ units: V, activation: 'softmax', kernelInitializer: seeded('GlorotUniform', o.seed + 5) }));
  return new Sequential({ layers });
}

/** Checks the options a run needs before any work (the numbers the command line checks already). */
function checkOptions(o: CharRnnOptions): void {
  if (o.interpretLayer != null && !(Number.isInteger(o.interpretLayer) && o.interpretLayer >= 1 && o.interpretLayer <= o.layers)) {
    throw new RecurrentConfigError(`charrnn: --layer must be a layer number in [1, ${o.layers}] (--layers ${o.layers}), got ${o.interpretLayer}`);
  }
  if (o.interpretUnit != null && !(Number.isInteger(o.interpretUnit) && o.interpretUnit >= 0 && o.interpretUnit < o.units)) {
    throw new RecurrentConfigError(`charrnn: --unit must be a unit number in [0, ${o.units}) (--units ${o.units}), got ${o.interpretUnit}`);
  }
  if (!o.interpret && (o.interpretLayer != null || o.interpretUnit != null)) {
    throw new RecurrentConfigError(`charrnn: --${o.interpretLayer != null ? 'layer' : 'unit'} chooses what --interpret shows, got it without --interpret`);
  }
}

/** Runs the whole job; `log` receives every line meant for the user, `bars` the progress bars. */
export async function runCharRnn(o: CharRnnOptions, log: (line: string) => void = console.log, bars: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Promise<CharRnnReport> {
  const t0 = Date.now();
  checkOptions(o);
  const corpus = loadCorpus(o.data);
  const text = o.limit != null ? Array.from(corpus.text).slice(0, o.limit).join('') : corpus.text;
  const vocab = CharVocabulary.of(text);
  const ids = vocab.encode(text, '--data');
  const T = o.seqLength;
  const nVal = Math.max(T + 1, Math.floor(0.05 * ids.length));
  if (ids.length - nVal < T + 1) {
    throw new RecurrentInputError(
      `charrnn: ${o.data ?? 'the text'}${o.limit != null ? ` (--limit ${o.limit})` : ''} has ${ids.length} characters; it needs at least ${2 * (T + 1)} (a window of --seq-length ${T} + 1 to train on and one to validate on)`,
    );
  }
  const prime = o.prime ?? (vocab.chars.includes('\n') ? '\n' : Array.from(text)[0]);
  if (prime.length === 0) throw new RecurrentConfigError(`charrnn: --prime must hold at least one character, got ''`);
  const primeIds = vocab.encode(prime, '--prime');
  checkOutFolder(o.out);
  const backend = await setBackend(o.backend);
  const train = ids.subarray(0, ids.length - nVal), val = ids.subarray(ids.length - nVal);
  const V = vocab.size;
  log(`data: ${corpus.source}: ${ids.length.toLocaleString('en-US')} characters, ${V} distinct → train ${train.length.toLocaleString('en-US')}, validation ${val.length.toLocaleString('en-US')} (the last 5%)`);

  const model = buildCharModel(o, V);
  model.compile({ optimizer: new Adam(o.learningRate), loss: 'sparseCategoricalCrossentropy' });
  model.summary(undefined, undefined, (line) => log(String(line)));
  const history = await fitWindows(model, o, train, val, log, bars);

  fs.mkdirSync(o.out, { recursive: true });
  await model.save(fileIO(path.join(o.out, 'model')));
  fs.writeFileSync(path.join(o.out, 'vocabulary.json'), JSON.stringify(vocab.toJSON()) + '\n');

  // The sample: the prime text, then one character at a time from the generator (and each step's states, to interpret).
  const gen = generator(model);
  const rng = new SeedGenerator(o.seed);
  const showLayer = (o.interpretLayer ?? o.layers) - 1;
  const seen: Float32Array[] = []; //                                         the shown layer's value after each character read
  const record = () => {
    if (!o.interpret) return;
    const [h, c] = gen.states()[showLayer];
    seen.push(c ? c.map(Math.tanh) : h); //                                    LSTM: tanh(c_t), the cell's value as Karpathy et al. show it
  };
  const tSample = Date.now();
  const useBar = o.progress ?? Boolean(bars.isTTY);
  const bar = useBar ? startEpochBar('sampling [{bar}] {value}/{total} characters', o.length, bars) : null;
  let out: number[] = [];
  try {
    let p: Float32Array[] = [];
    for (const id of primeIds) {
      p = gen.step(id);
      record();
    }
    for (let i = 0; i < o.length; i++) {
      const [id] = sample(p, { temperature: o.temperature, topK: o.topK, topP: o.topP, seed: rng });
      out.push(id);
      p = gen.step(id);
      record();
      bar?.update(i + 1, {});
    }
  } finally {
    bar?.stop();
  }
  const msPerChar = (Date.now() - tSample) / Math.max(1, primeIds.length + o.length);
  const path_ = gen.path;
  gen.dispose();
  const sampleText = prime + vocab.decode(out);
  out = [];
  fs.writeFileSync(path.join(o.out, 'sample.txt'), sampleText);

  let interpret: CharRnnReport['interpret'] = null;
  const pagePath = path.join(o.out, 'interpret.html');
  if (o.interpret) {
    const unit = o.interpretUnit ?? liveliestUnit(seen, o.units);
    const value = `tanh(c) of unit ${unit} of LSTM layer ${showLayer + 1}`;
    interpret = { layer: showLayer + 1, unit, value };
    fs.writeFileSync(pagePath, interpretHTML({
      title: `charrnn: ${value}`,
      caption: `The sample, each character coloured by ${value} after the model read it (blue −1, white 0, red +1)${o.interpretUnit == null ? '; the unit whose value varies most over this text' : ''}. ${corpus.source}, ${o.layers} × LSTM(${o.units}).`,
      chars: Array.from(sampleText),
      values: seen.map((v) => v[unit]),
    }));
  } else fs.rmSync(pagePath, { force: true }); // (an earlier run's page, of another model)

  const { progress: _p, out: _o, ...config } = o;
  void _p, void _o;
  const last = history[history.length - 1];
  const report: CharRnnReport = {
    command: 'charrnn',
    config: { ...config, prime },
    backend,
    data: { source: corpus.source, characters: ids.length, train: train.length, val: val.length, vocabularySize: V },
    params: model.countParams(),
    history,
    valBitsPerChar: last ? last.val_loss / Math.LN2 : NaN,
    sample: { prime, length: o.length, path: path_, msPerChar },
    interpret,
    seconds: (Date.now() - t0) / 1000,
  };
  fs.writeFileSync(path.join(o.out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  model.dispose();
  log('');
  log(`sample (temperature ${o.temperature}${o.topK ? `, top-k ${o.topK}` : ''}${o.topP ? `, top-p ${o.topP}` : ''}, seed ${o.seed}; ${msPerChar.toFixed(3)} ms a character):`);
  log(sampleText);
  log('');
  log(`wrote ${o.out}/: model/, vocabulary.json, sample.txt${interpret ? ', interpret.html' : ''}, report.json (${report.seconds.toFixed(0)} s in all)`);
  return report;
}

/**
 * Trains on batches of random windows of the training text (seeded): each
 * window's characters in, each next character the label; after each epoch,
 * the validation loss over the validation text cut in windows.
 */
async function fitWindows(
  model: Sequential, o: CharRnnOptions, train: Int32Array, val: Int32Array, log: (line: string) => void, bars: NodeJS.WritableStream & { isTTY?: boolean },
): Promise<CharEpochLog[]> {
  const T = o.seqLength, B = o.batchSize;
  const windows = new SeedGenerator(o.seed + 1);
  const batch = (starts: number[], from: Int32Array) => {
    const x = new Int32Array(starts.length * T), y = new Float32Array(starts.length * T);
    starts.forEach((s, b) => {
      x.set(from.subarray(s, s + T), b * T);
      for (let t = 0; t < T; t++) y[b * T + t] = from[s + t + 1]; //          the next character of each step
    });
    return { xs: tf.tensor2d(x, [starts.length, T], 'int32'), ys: tf.tensor3d(y, [starts.length, T, 1]) };
  };
  const data = tf.data.generator(function* () {
    for (;;) yield batch(Array.from({ length: B }, () => Math.floor(windows.next() * (train.length - T))), train);
  });
  const valStarts = Array.from({ length: Math.min(256, Math.floor((val.length - 1) / T)) }, (_, i) => i * T);
  const v = batch(valStarts, val);
  const history: CharEpochLog[] = [];
  const useBar = o.progress ?? Boolean(bars.isTTY);
  let bar: EpochBar | null = null;
  let tEpoch = 0, sum = 0, n = 0;
  const f3 = (x: number) => x.toFixed(3);
  const progress = new tf.CustomCallback({
    onEpochBegin: async (epoch) => {
      tEpoch = Date.now();
      [sum, n] = [0, 0];
      if (useBar) bar = startEpochBar(`epoch ${epoch + 1}/${o.epochs} [{bar}] {value}/{total} | loss {loss}`, o.stepsPerEpoch, bars);
    },
    onBatchEnd: async (_b, logs) => {
      sum += logs?.loss ?? NaN;
      n++;
      bar?.update(n, { loss: f3(sum / n) });
    },
    onEpochEnd: async (epoch, logs) => {
      bar?.stop();
      const h: CharEpochLog = { epoch: epoch + 1, loss: logs!.loss, val_loss: logs!.val_loss, seconds: (Date.now() - tEpoch) / 1000 };
      history.push(h);
      log(`epoch ${epoch + 1}/${o.epochs} ${h.seconds.toFixed(1)}s  loss ${f3(h.loss)}  val_loss ${f3(h.val_loss)} (${f3(h.val_loss / Math.LN2)} bits a character)`);
    },
  });
  try {
    await model.fitDataset(data, { epochs: o.epochs, batchesPerEpoch: o.stepsPerEpoch, validationData: [v.xs, v.ys], validationBatchSize: B, verbose: 0, callbacks: [progress] });
  } finally {
    (bar as EpochBar | null)?.stop();
    tf.dispose([v.xs, v.ys]);
  }
  return history;
}
