/**
 * `kernelsInfo` and `loadKernels` in Node: which build runs, from where, on
 * how many threads, and how many sequences it ran; loadKernels refuses what
 * it does not take (a URL is for browsers) before anything loads.
 */
import * as path from 'path';
import { tf, LSTM, loadKernels, kernelsInfo, setBackend } from '../../src';
import { kernelThreads } from '../../src/kernels/helper_thread';

beforeAll(async () => {
  await setBackend('cpu', { verbose: false });
});

test('says the build loaded from dist/kernels, its SIMD kind and its threads', async () => {
  const info = await loadKernels();
  expect(info.loaded).toBe(true);
  expect(path.basename(info.source!)).toMatch(/^recurrent(-relaxed)?\.wasm$/);
  expect(info.build).toBe(path.basename(info.source!) === 'recurrent-relaxed.wasm' ? 'relaxed' : 'plain');
  expect(info.threads).toBe(kernelThreads() >= 2 ? 2 : 1);
  if (info.threads === 1) expect(info.note).toMatch(/^one thread: /);
  else expect(info.note).toBeUndefined();
  expect(kernelsInfo()).toEqual(info);
});

test('counts the sequences the kernels run: a forward pass adds one, a taped pass with its backward adds two; the tf-op path adds none', () => {
  const layer = new LSTM({ units: 3 });
  const x = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 1);
  layer.apply(x); // build
  const before = kernelsInfo().sequences;
  tf.tidy(() => layer.apply(x) as tf.Tensor);
  expect(kernelsInfo().sequences).toBe(before + 1);
  tf.tidy(() => tf.grad((v: tf.Tensor) => (layer.apply(v) as tf.Tensor).sum())(x));
  expect(kernelsInfo().sequences).toBe(before + 3);
  const tfOps = new LSTM({ units: 3 });
  tfOps.useKernels = false;
  tf.tidy(() => tfOps.apply(x) as tf.Tensor);
  expect(kernelsInfo().sequences).toBe(before + 3);
  x.dispose();
  layer.dispose();
  tfOps.dispose();
});

test.each([
  [{ url: 'https://cdn.example/dist/kernels/' }, /loadKernels: url is for browsers; in Node the kernels load from the package's dist\/kernels\/ \(got url https:\/\/cdn\.example\/dist\/kernels\/\)/],
  [{ threads: 1 }, /loadKernels: unknown option 'threads'; known options: url/],
  [{ url: 3 }, /loadKernels: url must be a non-empty string or a URL, got number/],
  [null, /loadKernels: options must be an object such as \{ url \}, got null/],
  [[], /loadKernels: options must be an object such as \{ url \}, got an array/],
])('refuses %j, naming the argument', async (options, message) => {
  const before = kernelsInfo();
  await expect(loadKernels(options as never)).rejects.toThrow(message);
  expect(kernelsInfo()).toEqual(before);
});
