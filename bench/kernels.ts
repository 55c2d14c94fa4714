/**
 * `npm run bench:kernels`: times the tf kernels the layers lean on, each
 * next to the replacement the layers use, on each backend asked for
 * (default cpu and wasm). The figures behind the comments in
 * src/host_ops.ts, src/matmul.ts, src/kernels/embedding.ts, src/kernels/gemm.ts and
 * src/orthogonal.ts. Not a test.
 *
 *   npm run bench:kernels -- [--backends cpu,wasm] [--reps 15]
 */
import { benchArgs } from './args';
import { tf, setBackend } from '../src';
import { stackTime, timeSteps } from '../src/host_ops';
import { kernelProduct } from '../src/kernels/gemm';
import { kernelScatterAddRows, lookupRows } from '../src/kernels/embedding';
import { requireKernels } from '../src/kernels/module';
import { matMul } from '../src/matmul';
import { orthogonal } from '../src/orthogonal';

type Case = [name: string, run: () => tf.Tensor | tf.Tensor[]];

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

/** Median ms of `run` over `reps` timed repetitions (after two warm-ups), reading the result back each time. */
function time(run: () => tf.Tensor | tf.Tensor[], reps: number): number {
  const once = () => {
    const t0 = performance.now();
    tf.tidy(() => {
      const r = run();
      (Array.isArray(r) ? r[r.length - 1] : r).dataSync();
    });
    return performance.now() - t0;
  };
  once();
  once();
  return median(Array.from({ length: reps }, once));
}

/** Gradients of a matMul: tfjs's (transposed operands) against ours (explicit transposes). */
function matMulGrad(mm: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D, x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor[] {
  return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(mm(a as tf.Tensor2D, b as tf.Tensor2D)))([x, w]);
}

function cases(backend: string): Array<[string, Case, Case]> {
  const x3 = tf.randomNormal([32, 100, 512]) as tf.Tensor3D; //  LSTM(128)'s hoisted projection [B, T, 4H]
  const steps = tf.unstack(tf.randomNormal([32, 100, 128]), 1) as tf.Tensor2D[];
  const hk = tf.randomNormal([32, 128]) as tf.Tensor2D; //         h_{t-1} [B, H]
  const U = tf.randomNormal([128, 512]) as tf.Tensor2D; //         U [H, 4H]
  const X = tf.randomNormal([3200, 128]) as tf.Tensor2D; //        LSTM(256) training: [B·T, D]
  const W = tf.randomNormal([128, 1024]) as tf.Tensor2D;
  const table = tf.randomNormal([23000, 32]) as tf.Tensor2D; //    EmbeddingBag(3000 + 20000, 32)
  const rowIds = tf.tensor1d(Array.from({ length: 32000 }, (_, i) => (i * 7919) % 23000), 'int32'); // B·T·K = 32 · 40 · 25
  const vocab = tf.randomNormal([10000, 32]) as tf.Tensor2D; //      Embedding(10000, 32), the bench's text workloads
  const stepIds = tf.tensor1d(Array.from({ length: 3200 }, (_, i) => 1 + ((i * 7919) % 9999)), 'int32'); // B·T = 32 · 100
  const dRows = tf.randomNormal([3200, 32]) as tf.Tensor2D;
  const Q = tf.randomNormal([2048, 512]) as tf.Tensor2D; //          LSTM(512)'s recurrent kernel, flattened as orthogonal draws it
  const R = tf.randomNormal([512, 512]) as tf.Tensor2D;
  // Per-step ops run 100 times (one sequence's worth), so that their cost, not the read-back, is timed.
  const x100 = (f: () => tf.Tensor | tf.Tensor[]) => () => {
    let r: tf.Tensor | tf.Tensor[] = [];
    for (let t = 0; t < 100; t++) r = f();
    return r;
  };
  return [
    ['[32, 100, 512] → 100 × [32, 512] (time steps)', ['tf.unstack(x, 1)', () => tf.unstack(x3, 1)], ['timeSteps (host)', () => timeSteps(x3)]],
    ['100 × [32, 128] → [32, 100, 128]', ['tf.stack(steps, 1)', () => tf.stack(steps, 1)], ['stackTime (host)', () => stackTime(steps)]],
    ['100 × [32, 128] · [128, 512] (an LSTM(128) step\'s h U)', ['tf.matMul', x100(() => tf.matMul(hk, U))], ['kernels\' gemm (copies in and out included)', x100(() => kernelProduct(hk, U))]],
    ['32,000 rows of a [23000, 32] table (a batch of subword bags)', ['tf.gather(table, ids)', () => tf.gather(table, rowIds)], ['lookupRows (kernels)', () => lookupRows(table, rowIds)]],
    ['3,200 rows of a [10000, 32] table (an Embedding\'s training step)', ['tf.gather(table, ids)', () => tf.gather(vocab, stepIds)], ['lookupRows (kernels)', () => lookupRows(vocab, stepIds)]],
    ['their gradient: 3,200 rows added into [10000, 32]', ['tf.scatterND', () => tf.scatterND(tf.reshape(stepIds, [-1, 1]), dRows, [10000, 32])], ['the kernels\' scatter-add (cpu only in the layer)', () => kernelScatterAddRows(requireKernels('bench'), stepIds, dRows, 10000)]],
    // Not a replacement: the initializer's time next to one product of its size (its QR does about two).
    ['LSTM(512)\'s recurrent kernel [512, 2048] against a product [2048, 512] · [512, 512]', ['kernels\' gemm (the product)', () => kernelProduct(Q, R)], ['orthogonal (blocked Householder QR)', () => orthogonal([512, 2048], 1, 1)]],
    // Only wasm: elsewhere src/matmul.ts is tf.matMul itself (and on cpu this product takes seconds).
    ...(backend === 'wasm'
      ? [['∂ of [3200, 128] · [128, 1024]', ['tf.matMul gradient', () => matMulGrad(tf.matMul, X, W)], ['matMul with explicit transposes', () => matMulGrad(matMul, X, W)]] as [string, Case, Case]]
      : []),
  ];
}

async function main() {
  const { opt, backends } = await benchArgs({ backends: ['cpu', 'wasm'] });
  const reps = Number(opt('--reps') ?? 15);
  console.log('| backend | what | tf op | ms | ours | ms | speed-up |');
  console.log('|---|---|---|---:|---|---:|---:|');
  for (const backend of backends) {
    await setBackend(backend, { verbose: false });
    for (const [what, [tfName, tfRun], [ourName, ourRun]] of cases(backend)) {
      // The same work, alternated, so that both sides see the same machine.
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < 3; i++) {
        a.push(time(tfRun, reps));
        b.push(time(ourRun, reps));
      }
      const [ta, tb] = [median(a), median(b)];
      console.log(`| ${backend} | ${what} | ${tfName} | ${ta.toFixed(2)} | ${ourName} | ${tb.toFixed(2)} | ${(ta / tb).toFixed(1)}× |`);
    }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
