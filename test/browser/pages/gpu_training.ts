/**
 * The page of gpu_training.browser.ts: the same model, with the same
 * weights, trained a few steps on a backend the test names; it returns the
 * losses, the predictions before training, and how many sequences our
 * kernels ran meanwhile.
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

Object.assign(globalThis, { train });
document.title = 'ready';
