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

const WORKLOADS: Record<string, Workload> = {
  'LSTM(32) sentiment, train': {
    build: () => new Sequential({ layers: [new Embedding({ inputDim: 2000, outputDim: 32, inputShape: [50] }), new LSTM({ units: 32 }), new Dense({ units: 1, activation: 'sigmoid' })] }),
    batch: 32, steps: 50, vocab: 2000, train: true,
  },
  'GRU(64) sentiment, train': {
    build: () => new Sequential({ layers: [new Embedding({ inputDim: 2000, outputDim: 64, inputShape: [50] }), new GRU({ units: 64 }), new Dense({ units: 1, activation: 'sigmoid' })] }),
    batch: 32, steps: 50, vocab: 2000, train: true,
  },
  'LSTM(128) inference': {
    build: () => new Sequential({ layers: [new Embedding({ inputDim: 2000, outputDim: 64, inputShape: [50] }), new LSTM({ units: 128 }), new Dense({ units: 1, activation: 'sigmoid' })] }),
    batch: 32, steps: 50, vocab: 2000, train: false,
  },
  'LSTM(256) sentiment, train': {
    build: () => new Sequential({ layers: [new Embedding({ inputDim: 2000, outputDim: 64, inputShape: [50] }), new LSTM({ units: 256 }), new Dense({ units: 1, activation: 'sigmoid' })] }),
    batch: 32, steps: 50, vocab: 2000, train: true,
  },
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
