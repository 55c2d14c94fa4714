/**
 * The browser benchmark's page (bench/browser/run.mjs builds and drives it):
 * our layers' training steps and predictions on each backend the page has,
 * timed in the page with performance.now(). `runWorkload(name, backend)`
 * times one workload on one backend and returns milliseconds per step.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Sequential, Embedding, LSTM, GRU, Dense, setBackend, kernelsInfo } from '../../src/index.browser';

setWasmPaths('./tfwasm/');

/** A workload: a model, its inputs, and whether a step trains or predicts. */
interface Workload {
  build(): Sequential;
  batch: number;
  steps: number;
  vocab: number;
  train: boolean;
}

const [BATCH, STEPS, VOCAB] = [32, 50, 2000];

/** Embedding(VOCAB, E) → `recurrent` → Dense(1, sigmoid), on batches of BATCH sequences of STEPS ids. */
const sentiment = (E: number, recurrent: () => LSTM | GRU, train: boolean): Workload => ({
  build: () => new Sequential({ layers: [new Embedding({ inputDim: VOCAB, outputDim: E, inputShape: [STEPS] }), recurrent(), new Dense({ units: 1, activation: 'sigmoid' })] }),
  batch: BATCH, steps: STEPS, vocab: VOCAB, train,
});

const WORKLOADS: Record<string, Workload> = {
  'LSTM(32) sentiment, train': sentiment(32, () => new LSTM({ units: 32 }), true),
  'GRU(64) sentiment, train': sentiment(64, () => new GRU({ units: 64 }), true),
  'LSTM(128) inference': sentiment(64, () => new LSTM({ units: 128 }), false),
  'LSTM(256) sentiment, train': sentiment(64, () => new LSTM({ units: 256 }), true),
};

/** Those of `wanted` this page can run: registered and initialising. */
async function backends(wanted: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const b of wanted) {
    try {
      await setBackend(b, { verbose: false });
      out.push(b);
    } catch {
      // not available in this browser
    }
  }
  return out;
}

/** Milliseconds per step of `name` on `backend`: warmed up for 3 steps and 1 s, then timed over at least 5 steps and 2 s. */
async function runWorkload(name: string, backend: string): Promise<{ ms: number; steps: number; kernels: boolean }> {
  const w = WORKLOADS[name];
  await setBackend(backend, { verbose: false });
  const model = w.build();
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const ids = tf.tidy(() => tf.randomUniform([w.batch, w.steps], 1, w.vocab, 'int32', 7));
  const labels = tf.tidy(() => tf.cast(tf.randomUniform([w.batch, 1], 0, 1, 'float32', 8).greater(0.5), 'float32'));
  const before = kernelsInfo().sequences;
  const step = async () => {
    if (w.train) await model.trainOnBatch(ids, labels);
    else {
      const y = model.predict(ids) as tf.Tensor;
      await y.data();
      y.dispose();
    }
  };
  for (let i = 0, t0 = performance.now(); i < 3 || performance.now() - t0 < 1000; i++) await step();
  let n = 0;
  const t0 = performance.now();
  while (n < 5 || performance.now() - t0 < 2000) {
    await step();
    n++;
  }
  const ms = (performance.now() - t0) / n;
  const kernels = kernelsInfo().sequences > before;
  ids.dispose();
  labels.dispose();
  model.dispose();
  return { ms, steps: n, kernels };
}

Object.assign(globalThis, { bench: { workloads: Object.keys(WORKLOADS), backends, runWorkload, kernelsInfo, setBackend } });
