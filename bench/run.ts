/**
 * `npm run bench`: our layers against the tf.layers equivalents, side by side
 * in one process, on each backend asked for (default: every one available).
 * Each side is warmed up for at least 5 steps and 6 s, then timed over at
 * least --steps steps and 3 s (at most 50 steps, unless --steps asks for
 * more; beside PyTorch, in slices: see below).
 * Prints a table and writes bench/results/<date>-layers-full.json
 * (<date>-layers-<backends>.json with --backends; --out FILE instead). Not a
 * test: nothing here asserts a speed.
 *
 *   npm run bench -- [--backends cpu,wasm] [--steps 10] [--only 1,3] [--slow] [--repeat 3] [--out FILE]
 *                    [--python python3] [--torch-threads 2] [--no-pytorch] [--no-onnx] [--no-tf-layers]
 *
 * Workload 7 is text generation, a token at a time (bench/generation.ts): our
 * generator, our stateful predict and tf.layers' stateful predict, each
 * timed for at least 3 s, beside PyTorch's one-step loop.
 *
 * At the end (unless --no-onnx, or --only leaves out workload 3), bench/onnx.ts
 * runs LSTM(128) inference in onnxruntime-node on the model exported by
 * toOnnx, beside ours on each backend.
 *
 * Where `python3` (or --python) imports a PyTorch >= 2, the same workloads also
 * run in PyTorch (bench/torch_bench.py --serve, a fresh process each, 2
 * threads unless --torch-threads, the same warm-up), and the table gives
 * ours ÷ PyTorch beside the tf.layers ratio. Ours and PyTorch are timed in
 * turns (bench/torch_pair.ts): after both have warmed up, 5 slices of at
 * least 600 ms of our steps, each followed by one of PyTorch's, so that both
 * see the same minutes of this machine, whose speed drifts by up to 1.5×
 * over minutes; each side's figure is the median of all its timed steps.
 *
 * With --repeat N every workload is measured N times, in N rounds over all of
 * them (so slow drifts of the machine spread over every workload); the table
 * gives the median of the rounds and each round's ratios (to tf.layers, and ours ÷ PyTorch). --no-tf-layers
 * measures ours (and PyTorch) only, for repeated rounds against PyTorch
 * without tf.layers' slow steps.
 */
import { benchArgs } from './args';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { TorchPair } from './torch_pair';
import { Stepper, TOKEN_FLOPS, ourGenerator, ourPredict, tfLayersPredict } from './generation';
import { tf, setBackend, Sequential, Embedding, LSTM, GRU, SimpleRNN, Bidirectional, Dense, RNN, LSTMCell } from '../src';

type Side = 'ours' | 'tf.layers';
interface Workload {
  id: number;
  name: string;
  /** The same workload in bench/torch_bench.py (what our side runs). */
  torch: string;
  train: boolean;
  batch: number;
  /** FLOPs of one step (forward, or forward + backward ≈ 3× forward), for GFLOP/s. */
  flops: number;
  /** A model, or why tf.layers cannot run it (with `data`: the step is trainOnBatch or predict on it). */
  build?: (side: Side, backend: string) => tf.LayersModel | string;
  data?: () => [tf.Tensor, tf.Tensor];
  /** Else: a step of another kind than trainOnBatch or predict (text generation: bench/generation.ts), or why a side has none. */
  stepper?: (side: Side) => Stepper | string;
}

const B = 32, T = 100;
const rnnFlops = (G: number, D: number, H: number) => 2 * B * T * G * H * (D + H);
const ids = () => tf.randomUniform([B, T], 1, 10000, 'int32');
const labels = () => tf.randomUniform([B, 1], 0, 2, 'int32').toFloat();

let SLOW = false;

/**
 * Embedding → recurrent(32) → Dense(1). With `ourEmbedding`, the tf.layers side
 * uses this package's Embedding (tf.layers' own cannot train on wasm, and takes
 * minutes per step on cpu), so the row compares the recurrent layers.
 */
function textModel(side: Side, backend: string, cell: 'lstm' | 'gru' | 'simple_rnn', ourEmbedding = false): tf.LayersModel | string {
  if (side === 'tf.layers' && ourEmbedding) {
    const layer = cell === 'lstm' ? tf.layers.lstm({ units: 32 }) : tf.layers.simpleRNN({ units: 32 });
    return tf.sequential({ layers: [new Embedding({ inputDim: 10000, outputDim: 32, inputLength: T }), layer, tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
  }
  if (side === 'ours') {
    const layer = cell === 'lstm' ? new LSTM({ units: 32 }) : cell === 'gru' ? new GRU({ units: 32 }) : new SimpleRNN({ units: 32 });
    return new Sequential({ layers: [new Embedding({ inputDim: 10000, outputDim: 32 }), layer, new Dense({ units: 1, activation: 'sigmoid' })] });
  }
  if (backend === 'wasm') return 'cannot train: the gradient of its Embedding needs UnsortedSegmentSum, which tfjs-backend-wasm lacks';
  if (backend === 'cpu' && !SLOW) return 'skipped: its Embedding gradient (unsortedSegmentSum over all 10,000 rows) takes minutes per step on cpu; --slow measures it';
  const layer = cell === 'lstm' ? tf.layers.lstm({ units: 32 }) : cell === 'gru' ? tf.layers.gru({ units: 32 }) : tf.layers.simpleRNN({ units: 32 });
  return tf.sequential({ layers: [tf.layers.embedding({ inputDim: 10000, outputDim: 32, inputLength: T }), layer, tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
}

/**
 * recurrent(32) on [32, 100, 32] floats → Dense(1, sigmoid): the recurrent layer alone, no Embedding.
 * 'rnn_lstm_cell' is RNN(LSTMCell(32)) on both sides (tf.layers.rnn of tf.layers.lstmCell), beside LSTM's row.
 */
function seqModel(side: Side, cell: 'lstm' | 'gru' | 'simple_rnn' | 'rnn_lstm_cell'): tf.LayersModel {
  if (cell === 'rnn_lstm_cell') {
    if (side === 'ours') return new Sequential({ layers: [new RNN({ cell: new LSTMCell({ units: 32 }), inputShape: [T, 32] }), new Dense({ units: 1, activation: 'sigmoid' })] });
    return tf.sequential({ layers: [tf.layers.rnn({ cell: tf.layers.lstmCell({ units: 32 }), inputShape: [T, 32] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
  }
  if (side === 'ours') {
    const layer = cell === 'lstm' ? new LSTM({ units: 32, inputShape: [T, 32] }) : cell === 'gru' ? new GRU({ units: 32, inputShape: [T, 32] }) : new SimpleRNN({ units: 32, inputShape: [T, 32] });
    return new Sequential({ layers: [layer, new Dense({ units: 1, activation: 'sigmoid' })] });
  }
  const layer = cell === 'lstm' ? tf.layers.lstm({ units: 32, inputShape: [T, 32] }) : cell === 'gru' ? tf.layers.gru({ units: 32, inputShape: [T, 32] }) : tf.layers.simpleRNN({ units: 32, inputShape: [T, 32] });
  return tf.sequential({ layers: [layer, tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
}
const floats = () => tf.randomNormal([B, T, 32]);

const WORKLOADS: Workload[] = [
  { id: 6, name: 'train LSTM(32)+Dense(1) on [32, 100, 32]', train: true, batch: B, flops: 3 * rnnFlops(4, 32, 32), torch: 'seq_lstm', build: (s) => seqModel(s, 'lstm'), data: () => [floats(), labels()] },
  { id: 6, name: 'train RNN(LSTMCell(32))+Dense(1) on [32, 100, 32]', train: true, batch: B, flops: 3 * rnnFlops(4, 32, 32), torch: 'seq_lstm', build: (s) => seqModel(s, 'rnn_lstm_cell'), data: () => [floats(), labels()] },
  { id: 6, name: 'train GRU(32)+Dense(1) on [32, 100, 32]', train: true, batch: B, flops: 3 * rnnFlops(3, 32, 32), torch: 'seq_gru', build: (s) => seqModel(s, 'gru'), data: () => [floats(), labels()] },
  { id: 6, name: 'train SimpleRNN(32)+Dense(1) on [32, 100, 32]', train: true, batch: B, flops: 3 * rnnFlops(1, 32, 32), torch: 'seq_rnn', build: (s) => seqModel(s, 'simple_rnn'), data: () => [floats(), labels()] },
  { id: 1, name: 'train Embedding(10000,32)+LSTM(32)+Dense(1), B32 T100', train: true, batch: B, flops: 3 * rnnFlops(4, 32, 32), torch: 'text_lstm', build: (s, b) => textModel(s, b, 'lstm'), data: () => [ids(), labels()] },
  { id: 1, name: 'train same, tf.layers.lstm beside our Embedding', train: true, batch: B, flops: 3 * rnnFlops(4, 32, 32), torch: 'text_lstm', build: (s, b) => textModel(s, b, 'lstm', true), data: () => [ids(), labels()] },
  { id: 2, name: 'train Embedding(10000,32)+GRU(32)+Dense(1), B32 T100', train: true, batch: B, flops: 3 * rnnFlops(3, 32, 32), torch: 'text_gru', build: (s, b) => textModel(s, b, 'gru'), data: () => [ids(), labels()] },
  { id: 2, name: 'train Embedding(10000,32)+SimpleRNN(32)+Dense(1), B32 T100', train: true, batch: B, flops: 3 * rnnFlops(1, 32, 32), torch: 'text_rnn', build: (s, b) => textModel(s, b, 'simple_rnn'), data: () => [ids(), labels()] },
  { id: 2, name: 'train same, tf.layers.simpleRNN beside our Embedding', train: true, batch: B, flops: 3 * rnnFlops(1, 32, 32), torch: 'text_rnn', build: (s, b) => textModel(s, b, 'simple_rnn', true), data: () => [ids(), labels()] },
  {
    id: 3, name: 'inference LSTM(128) on [32, 100, 32]', train: false, batch: B, flops: rnnFlops(4, 32, 128), torch: 'infer_lstm128',
    build: (s) => s === 'ours' ? new Sequential({ layers: [new LSTM({ units: 128, inputShape: [T, 32] })] }) : tf.sequential({ layers: [tf.layers.lstm({ units: 128, inputShape: [T, 32] })] }),
    data: () => [tf.randomNormal([B, T, 32]), tf.zeros([B, 128])],
  },
  {
    id: 3, name: 'inference RNN(LSTMCell(128)) on [32, 100, 32]', train: false, batch: B, flops: rnnFlops(4, 32, 128), torch: 'infer_lstm128',
    build: (s) => s === 'ours'
      ? new Sequential({ layers: [new RNN({ cell: new LSTMCell({ units: 128 }), inputShape: [T, 32] })] })
      : tf.sequential({ layers: [tf.layers.rnn({ cell: tf.layers.lstmCell({ units: 128 }), inputShape: [T, 32] })] }),
    data: () => [tf.randomNormal([B, T, 32]), tf.zeros([B, 128])],
  },
  {
    id: 4, name: 'train LSTM(256) on [32, 100, 128]', train: true, batch: B, flops: 3 * rnnFlops(4, 128, 256), torch: 'train_lstm256',
    build: (s) => s === 'ours' ? new Sequential({ layers: [new LSTM({ units: 256, inputShape: [T, 128] })] }) : tf.sequential({ layers: [tf.layers.lstm({ units: 256, inputShape: [T, 128] })] }),
    data: () => [tf.randomNormal([B, T, 128]), tf.randomNormal([B, 256])],
  },
  {
    id: 5, name: 'train Bidirectional(LSTM(64)) on [32, 100, 32]', train: true, batch: B, flops: 2 * 3 * rnnFlops(4, 32, 64), torch: 'train_bilstm64',
    build: (s) => s === 'ours'
      ? new Sequential({ layers: [new Bidirectional({ layer: new LSTM({ units: 64 }), inputShape: [T, 32] })] })
      : tf.sequential({ layers: [tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 64 }) as never, inputShape: [T, 32] })] }),
    data: () => [tf.randomNormal([B, T, 32]), tf.randomNormal([B, 128])],
  },
  {
    id: 7, name: 'generate, per token: 2-layer LSTM(256) char model, B1, ours via generator', train: false, batch: 1, flops: TOKEN_FLOPS, torch: 'gen_char_lstm',
    stepper: (s) => (s === 'ours' ? ourGenerator() : tfLayersPredict()),
  },
  {
    id: 7, name: 'generate, per token: same, ours via stateful predict', train: false, batch: 1, flops: TOKEN_FLOPS, torch: 'gen_char_lstm',
    stepper: (s) => (s === 'ours' ? ourPredict() : 'measured in the row above (the same tf.layers stateful predict)'),
  },
];

/** Workload w's step for one side, with what frees its model and data; or why the side has none. */
function makeStep(w: Workload, side: Side, backend: string): { step: () => unknown; dispose: () => void } | string {
  if (w.stepper) return w.stepper(side);
  const built = w.build!(side, backend);
  if (typeof built === 'string') return built;
  const model = built;
  const [x, y] = w.data!();
  if (w.train) model.compile({ optimizer: 'adam', loss: w.id === 1 || w.id === 2 || w.id === 6 ? 'binaryCrossentropy' : 'meanSquaredError' });
  return {
    step: async () => {
      if (w.train) await model.trainOnBatch(x, y);
      else { const p = model.predict(x) as tf.Tensor; await p.data(); p.dispose(); }
    },
    dispose: () => {
      tf.dispose([x, y]);
      model.dispose();
    },
  };
}

interface Row { round?: number; backend: string; workload: string; side: Side | 'pytorch'; msPerStep: number | null; steps: number; examplesPerSec: number | null; gflops: number | null; tensorsBefore: number | null; tensorsAfter: number | null; note: string }

const median = (xs: number[]) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/** Where PyTorch runs, for the rows of our side that are timed beside it. */
interface TorchSpec {
  python: string;
  threads: number;
}

/** Slices of each side when ours is timed beside PyTorch: 5 each, at least 600 ms each (3 s in all, as alone). */
const SLICES = 5, SLICE_MS = 600;

/** One side of workload w; ours with `torch` also gives PyTorch's row, timed in slices alternating with ours. */
async function measure(w: Workload, side: Side, backend: string, steps: number, torch?: TorchSpec): Promise<Row[]> {
  const base: Row = { backend, workload: w.name, side, msPerStep: null, steps: 0, examplesPerSec: null, gflops: null, tensorsBefore: null, tensorsAfter: null, note: '' };
  const torchBase: Row = { ...base, side: 'pytorch', note: 'not measured: ours did not run' };
  const made = makeStep(w, side, backend);
  if (typeof made === 'string') return [{ ...base, note: made }, ...(torch ? [torchBase] : [])];
  const { step, dispose } = made;
  let t = performance.now();
  try {
    await step(); // warm-up (optimizer slots, kernels, shapes)
  } catch (e) {
    dispose();
    return [{ ...base, note: `failed: ${(e as Error).message.split('\n')[0].slice(0, 100)}` }, ...(torch ? [torchBase] : [])];
  }
  const warm = performance.now() - t;
  // A workload whose one step takes more than 20 s is measured once, not ten times.
  let n = warm > 20000 ? 1 : steps;
  if (n > 1) {
    // Warm-up: at least 5 steps and 6 s. V8 takes a few hundred steps of a short workload to
    // settle (its JIT tiers up tfjs's engine code): ours on LSTM(32) went from 17 ms a step to
    // 9 after 20 steps and to 6 after about 300 (3 s), the same in a second model of the same
    // process. tf.layers' inference on wasm then still moves between about 45 and 85 ms a
    // step, so short steps are measured over at least 3 s (at most 50 steps).
    const t0 = performance.now();
    let k = 0;
    for (; k < 5 || performance.now() - t0 < 6000; k++) await step();
    n = Math.max(steps, Math.min(50, Math.ceil(3000 / ((performance.now() - t0) / k))));
  }
  // PyTorch warms up in its own process (this one idle), then both sides run in turns.
  const pair = torch && n > 1 ? await TorchPair.start(torch.python, torch.threads, w.torch) : null;
  const paired = pair && !('why' in pair) ? pair : null;
  const before = tf.memory().numTensors;
  const times: number[] = [];
  const torchTimes: number[] = [];
  let torchFailed = '';
  let slices = 0;
  const run = async (count: number, ms: number) => {
    const t0 = performance.now();
    for (let i = 0; i < count || performance.now() - t0 < ms; i++) {
      t = performance.now();
      await step();
      times.push(performance.now() - t);
    }
  };
  try {
    if (paired) {
      for (let k = 0; k < SLICES; k++) {
        await run(Math.ceil(steps / SLICES), SLICE_MS);
        slices++;
        try {
          torchTimes.push(...(await paired.slice(SLICE_MS, Math.ceil(steps / SLICES))));
        } catch (e) {
          torchFailed = (e as Error).message; //                  PyTorch's row says why it has no figure
          break;
        }
      }
    } else await run(n, w.stepper ? 3000 : 0); // (a token takes well under a millisecond: 50 steps would be a few ms)
  } finally {
    paired?.close();
  }
  const after = tf.memory().numTensors;
  dispose();
  const ms = median(times);
  const ours: Row = { ...base, msPerStep: ms, steps: times.length, examplesPerSec: (w.batch * 1000) / ms, gflops: w.flops / ms / 1e6, tensorsBefore: before, tensorsAfter: after, note: n === 1 ? `one step only (warm-up took ${(warm / 1000).toFixed(0)} s)` : paired ? (torchFailed ? `${slices} slices, PyTorch stopped` : `beside PyTorch, ${SLICES} slices each`) : '' };
  if (!torch) return [ours];
  if (!paired) return [ours, { ...torchBase, note: pair && 'why' in pair ? pair.why : 'not measured: ours took one step only' }];
  if (torchFailed) return [ours, { ...torchBase, note: `failed: ${torchFailed}` }];
  const pm = median(torchTimes);
  const { info } = paired;
  return [ours, { ...torchBase, msPerStep: pm, steps: torchTimes.length, examplesPerSec: (w.batch * 1000) / pm, gflops: w.flops / pm / 1e6, note: `torch ${info.torch}, ${info.threads} threads, workload ${w.torch}, in turns with ours` }];
}

/** The PyTorch ≥ 2 that `python` imports, or why there is none. */
function findTorch(python: string): { version: string } | { why: string } {
  try {
    const v = execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120000 }).trim();
    return Number(v.split('.')[0]) >= 2 ? { version: v } : { why: `${python} imports torch ${v}` };
  } catch {
    return { why: `${python} cannot import torch` };
  }
}

/**
 * The rows as the Markdown table of docs/benchmarks.md: one line per workload, ours beside
 * tf.layers and PyTorch; over several rounds, the median ms of each side and every round's
 * ratio to tf.layers.
 */
function markdownTable(rows: Row[]): string {
  const f = (v: number | null, d = 1) => (v == null ? 'n/a' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
  const ms = (v: number | null) => f(v, v != null && v < 10 ? (v < 1 ? 3 : 2) : 1); // (a token takes a fraction of a millisecond)
  const rounds = new Set(rows.map((r) => r.round ?? 0)).size;
  const lines = [
    `| backend | workload | ours ms/step | tf.layers ms/step | ratio (tf.layers ÷ ours) |${rounds > 1 ? ' ratio in each round |' : ''} PyTorch ms/step | ratio (ours ÷ PyTorch) |${rounds > 1 ? ' ours ÷ PyTorch in each round |' : ''} ours ex/s | ours GFLOP/s | tensors before→after (ours, tf.layers) |`,
    `|---|---|---:|---:|---:|${rounds > 1 ? '---|' : ''}---:|---:|${rounds > 1 ? '---|' : ''}---:|---:|---|`,
  ];
  const keys = [...new Set(rows.map((r) => `${r.backend}\u0000${r.workload}`))];
  const med = (xs: Array<number | null>) => (xs.some((x) => x == null) ? null : median(xs as number[]));
  for (const key of keys) {
    const of = (side: Side | 'pytorch') => rows.filter((r) => `${r.backend}\u0000${r.workload}` === key && r.side === side);
    const [os, ls] = [of('ours'), of('tf.layers')];
    const [o, l] = [os[0], ls[0]];
    const [om, lm] = [med(os.map((r) => r.msPerStep)), med(ls.map((r) => r.msPerStep))];
    const ratio = om != null && lm != null ? `${(lm / om).toFixed(2)}×` : `n/a: ${l.note.split(':')[0]}`;
    const ps = of('pytorch');
    const pm = ps.length ? med(ps.map((r) => r.msPerStep)) : null;
    const torchRatio = om != null && pm != null ? `${(om / pm).toFixed(2)}×` : `n/a: ${ps.length ? ps[0].note.split(' (')[0].split(':')[0] : 'not measured'}`;
    const each = os.map((r, i) => (r.msPerStep != null && ls[i]?.msPerStep != null ? `${(ls[i].msPerStep! / r.msPerStep).toFixed(2)}×` : 'n/a')).join(', ');
    const eachTorch = os.map((r, i) => (r.msPerStep != null && ps[i]?.msPerStep != null ? `${(r.msPerStep / ps[i].msPerStep!).toFixed(2)}×` : 'n/a')).join(', ');
    const tensors = os.map((r, i) => `${r.tensorsBefore}→${r.tensorsAfter}, ${ls[i]?.tensorsBefore ?? '—'}→${ls[i]?.tensorsAfter ?? '—'}`);
    const allSame = tensors.every((t) => t === tensors[0]);
    lines.push(`| ${o.backend} | ${o.workload} | ${ms(om)} | ${ms(lm)} | ${ratio} |${rounds > 1 ? ` ${each} |` : ''} ${ms(pm)} | ${torchRatio} |${rounds > 1 ? ` ${eachTorch} |` : ''} ${f(om == null ? null : (o.examplesPerSec! * o.msPerStep!) / om, 0)} | ${f(om == null ? null : (o.gflops! * o.msPerStep!) / om, 2)} | ${allSame ? tensors[0] : tensors.join('; ')} |`);
  }
  return lines.join('\n');
}

async function main() {
  const { args, opt, backends, steps } = await benchArgs();
  SLOW = args.includes('--slow');
  const only = opt('--only')?.split(',').map(Number);
  const python = opt('--python') ?? 'python3';
  const torchThreads = Number(opt('--torch-threads') ?? 2);
  const rows: Row[] = [];
  // Each workload runs in a fresh process: within one long process, later
  // workloads slow down (both sides), which skews the comparison.
  if (args.includes('--child')) {
    await setBackend(backends[0], { verbose: false });
    const w = WORKLOADS[Number(opt('--index'))];
    const torchPython = opt('--torch-python');
    const out: Row[] = [];
    for (const side of ['ours', 'tf.layers'] as Side[]) {
      if (side === 'tf.layers' && args.includes('--no-tf-layers')) {
        out.push({ backend: backends[0], workload: w.name, side, msPerStep: null, steps: 0, examplesPerSec: null, gflops: null, tensorsBefore: null, tensorsAfter: null, note: 'skipped (--no-tf-layers)' });
      } else out.push(...(await measure(w, side, backends[0], steps, side === 'ours' && torchPython ? { python: torchPython, threads: torchThreads } : undefined)));
    }
    process.stdout.write(`ROWS ${JSON.stringify(out)}\n`);
    return;
  }
  const repeat = Number(opt('--repeat') ?? 1);
  const torch = args.includes('--no-pytorch') ? { why: '--no-pytorch', skipped: true } : findTorch(python);
  const noTorch = 'version' in torch ? '' : 'skipped' in torch ? 'skipped (--no-pytorch)' : `no PyTorch ≥ 2 (${torch.why})`;
  console.log('version' in torch ? `PyTorch ${torch.version} (${python}): each workload also in PyTorch, ${torchThreads} threads, timed in turns with ours` : `${noTorch}: the PyTorch column is n/a`);
  for (let round = 0; round < repeat; round++) {
    for (const backend of backends) {
      for (const [index, w] of WORKLOADS.entries()) {
        if (only && !only.includes(w.id)) continue;
        const childArgs = [
          __filename, '--child', '--backends', backend, '--index', String(index), '--steps', String(steps), ...(SLOW ? ['--slow'] : []), ...(args.includes('--no-tf-layers') ? ['--no-tf-layers'] : []),
          ...('version' in torch ? ['--torch-python', python, '--torch-threads', String(torchThreads)] : []),
        ];
        const text = execFileSync(process.execPath, childArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 24 });
        const line = text.split('\n').find((l) => l.startsWith('ROWS '));
        if (!line) throw new Error(`bench: workload ${w.name} on ${backend} printed no result`);
        for (const r of JSON.parse(line.slice(5)) as Row[]) {
          const side = r.side;
          rows.push({ round, ...r });
          const f = (v: number | null, d = 1) => (v == null ? '—' : v.toFixed(d));
          console.log(`${repeat > 1 ? `${round + 1}/${repeat} ` : ''}${backend.padEnd(5)} | ${w.name.padEnd(58)} | ${side.padEnd(9)} | ${f(r.msPerStep, r.msPerStep != null && r.msPerStep < 1 ? 3 : 1).padStart(9)} ms | ${f(r.examplesPerSec, 0).padStart(6)} ex/s | ${f(r.gflops, 2).padStart(6)} GFLOP/s | ${side === 'pytorch' ? '' : `tensors ${r.tensorsBefore ?? '—'}→${r.tensorsAfter ?? '—'} `}${r.note}`);
        }
        if (!('version' in torch)) rows.push({ round, backend, workload: w.name, side: 'pytorch', msPerStep: null, steps: 0, examplesPerSec: null, gflops: null, tensorsBefore: null, tensorsAfter: null, note: noTorch });
        const mine = (side: Side | 'pytorch') => rows.find((r) => r.round === round && r.backend === backend && r.workload === w.name && r.side === side)!;
        const [o, l, p] = [mine('ours'), mine('tf.layers'), mine('pytorch')];
        const vs = [
          o.msPerStep != null && l.msPerStep != null ? `ours is ${(l.msPerStep / o.msPerStep).toFixed(2)}× the speed of tf.layers` : '',
          o.msPerStep != null && p.msPerStep != null ? `ours ÷ PyTorch ${(o.msPerStep / p.msPerStep).toFixed(2)}× (ms/step)` : `ours ÷ PyTorch n/a: ${p.note.split(' (')[0]}`,
        ].filter(Boolean);
        console.log(`${''.padEnd(5)} | ${''.padEnd(58)} | ratio     | ${vs.join('; ')}`);
      }
    }
  }
  console.log('\n' + markdownTable(rows));
  // --out names the file, so that a run that docs/benchmarks.md cites is not overwritten by the next.
  const out = opt('--out') ? path.resolve(opt('--out')!) : path.join(__dirname, '..', '..', 'bench', 'results', `${new Date().toISOString().slice(0, 10)}-layers-${opt('--backends') ? backends.join('-') : 'full'}.json`);
  fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, pytorch: 'version' in torch ? { version: torch.version, threads: torchThreads } : null, command: `npm run bench -- ${args.join(' ')}`.trim(), rows }, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
  // onnxruntime-node on the exported LSTM(128), beside ours (bench/onnx.ts), unless --no-onnx.
  if (!args.includes('--no-onnx') && (only == null || only.includes(3))) {
    console.log('\ninference LSTM(128) on [32, 100, 32]: ours beside onnxruntime-node running the same model exported by toOnnx (bench/onnx.ts)');
    try {
      execFileSync(process.execPath, [path.join(__dirname, 'onnx.js'), '--backends', backends.join(','), '--steps', String(steps)], { stdio: 'inherit' });
    } catch (e) {
      console.log(`onnxruntime row: n/a (${(e as Error).message.split('\n')[0]})`);
    }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
