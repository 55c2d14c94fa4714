/**
 * The page of gpu_training.browser.ts: the same model, with the same
 * weights, trained a few steps on a backend the test names; it returns the
 * losses, the predictions before training, and how many sequences our
 * kernels ran meanwhile. `roundTrip` saves and loads a model with tfjs's
 * browser handlers.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Sequential, Embedding, LSTM, Dense, setBackend, kernelsInfo } from 'tfjs-recurrent';

setWasmPaths('/tfjs-wasm/');

async function train(backend: string, steps: number): Promise<{ backend: string; losses: number[]; before: number[]; sequences: number }> {
  await setBackend(backend, { verbose: false });
  const model = new Sequential({
    layers: [
      new Embedding({ inputDim: 30, outputDim: 8, inputShape: [7], embeddingsInitializer: { className: 'RandomUniform', config: { minval: -0.1, maxval: 0.1, seed: 1 } } }),
      new LSTM({ units: 12, kernelInitializer: { className: 'GlorotUniform', config: { seed: 2 } }, recurrentInitializer: { className: 'GlorotUniform', config: { seed: 3 } } }),
      new Dense({ units: 1, activation: 'sigmoid', kernelInitializer: { className: 'GlorotUniform', config: { seed: 4 } } }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' }); // (our Adam, as Keras's name gives it)
  const x = tf.tensor2d(Array.from({ length: 16 * 7 }, (_, i) => 1 + ((i * 7919) % 29)), [16, 7], 'int32');
  const y = tf.tensor2d(Array.from({ length: 16 }, (_, i) => i % 2), [16, 1]);
  const p = model.predict(x) as tf.Tensor;
  const before = Array.from(await p.data());
  const start = kernelsInfo().sequences;
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push((await model.trainOnBatch(x, y)) as number);
  const sequences = kernelsInfo().sequences - start;
  tf.dispose([x, y, p]);
  model.dispose();
  return { backend: tf.getBackend(), losses, before, sequences };
}

/**
 * Saves a model of our layers with tfjs's handler for `url` (indexeddb://,
 * localstorage://), loads it back with tf.loadLayersModel, and returns both
 * predictions, the loaded model's layer classes, and what `save` with Keras's
 * `overwrite` (Node's files only) said.
 */
async function roundTrip(url: string): Promise<{ before: number[]; after: number[]; classes: string[]; overwrite: string }> {
  await setBackend('wasm', { verbose: false });
  const model = new Sequential({
    layers: [
      new Embedding({ inputDim: 30, outputDim: 8, inputShape: [7], maskZero: true }),
      new LSTM({ units: 12 }),
      new Dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  const x = tf.tensor2d([[3, 1, 4, 1, 5, 0, 0], [2, 7, 1, 8, 2, 8, 1]], [2, 7], 'int32');
  const p = model.predict(x) as tf.Tensor;
  await model.save(url);
  let overwrite = '';
  await model.save(url, { overwrite: true }).catch((e: Error) => (overwrite = e.message));
  const loaded = await tf.loadLayersModel(url);
  const q = loaded.predict(x) as tf.Tensor;
  const out = { before: Array.from(await p.data()), after: Array.from(await q.data()), classes: loaded.layers.map((l) => l.getClassName()), overwrite };
  tf.dispose([x, p, q]);
  model.dispose();
  loaded.dispose();
  return out;
}

Object.assign(globalThis, { train, roundTrip });
document.title = 'ready';
