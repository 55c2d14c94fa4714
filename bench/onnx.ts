/**
 * `npm run bench:onnx`: inference of LSTM(128) on [32, 100, 32] floats (the
 * workload "inference LSTM(128)" of `npm run bench`), ours on each backend
 * asked for beside onnxruntime-node running the same model exported by
 * `toOnnx`. Warm-up of at least 5 runs and 6 s (as bench/run.ts), then the median of at least
 * --steps runs and 3 s (at most 50). Not a test: nothing here asserts a speed.
 * Kept apart from bench/run.ts, whose table compares our layers with
 * tf.layers and PyTorch per backend; onnxruntime is one more runtime, not a
 * backend.
 *
 *   npm run bench:onnx -- [--backends wasm,cpu] [--steps 10]
 */
import { benchArgs } from './args';
import * as ort from 'onnxruntime-node';
import { tf, setBackend, Sequential, LSTM, toOnnx } from '../src';

const B = 32, T = 100, D = 32, H = 128;
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median ms of `step` after the warm-up, and how many steps were timed. */
async function time(step: () => Promise<void>, steps: number): Promise<{ ms: number; n: number }> {
  const t0 = performance.now();
  let k = 0;
  for (; k < 5 || performance.now() - t0 < 6000; k++) await step();
  const n = Math.max(steps, Math.min(50, Math.ceil(3000 / ((performance.now() - t0) / k))));
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await step();
    times.push(performance.now() - t);
  }
  return { ms: median(times), n };
}

async function main() {
  const { backends, steps } = await benchArgs();
  const flops = 2 * B * T * 4 * H * (D + H);
  const line = (who: string, r: { ms: number; n: number }, note = '') =>
    console.log(`${who.padEnd(32)} | ${r.ms.toFixed(1).padStart(8)} ms | ${(flops / r.ms / 1e6).toFixed(2).padStart(6)} GFLOP/s | ${r.n} runs${note}`);
  console.log(`inference LSTM(${H}) on [${B}, ${T}, ${D}]`);
  let onnx: Uint8Array | undefined;
  let weights: tf.Tensor[] | undefined;
  for (const backend of backends) {
    await setBackend(backend, { verbose: false });
    const model = new Sequential({ layers: [new LSTM({ units: H, inputShape: [T, D] })] });
    if (weights) model.setWeights(weights); // the same weights on every backend and in onnxruntime
    else weights = model.getWeights().map((w) => tf.keep(w.clone()));
    onnx ??= toOnnx(model);
    const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 1);
    line(`ours (${backend})`, await time(async () => {
      const y = model.predict(x) as tf.Tensor;
      await y.data();
      y.dispose();
    }, steps));
    x.dispose();
    model.dispose();
  }
  for (const threads of [1, 2]) {
    const session = await ort.InferenceSession.create(onnx!, { intraOpNumThreads: threads, interOpNumThreads: 1 });
    const feed = { [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from({ length: B * T * D }, () => Math.random() * 2 - 1), [B, T, D]) };
    line(`onnxruntime-node (${threads} thread${threads > 1 ? 's' : ''})`, await time(async () => void (await session.run(feed)), steps), ', the model exported by toOnnx');
    await session.release();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
