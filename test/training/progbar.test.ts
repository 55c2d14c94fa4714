/**
 * fit's progress as Keras prints it (verbose 1: a bar, redrawn in a terminal
 * and one line per epoch when piped; 2: one line per epoch; 0: nothing), and
 * Keras's names in compile and in the History.
 */
import { tf } from '../../src/tf';
import { Sequential, Functional, LSTM, Dense, ProgbarLogger, RecurrentConfigError, resetNames } from '../../src';

function model(): Sequential {
  resetNames();
  return new Sequential({ layers: [new LSTM({ units: 3, inputShape: [4, 2] }), new Dense({ units: 1, activation: 'sigmoid' })] });
}
const x = () => tf.ones([32, 4, 2]);
const y = () => tf.ones([32, 1]);

/** What fit writes to stdout (and whether it wrote anything through console.log). */
async function stdoutOf(f: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { chunks.push(String(s)); return true; });
  try {
    await f();
  } finally {
    write.mockRestore();
  }
  return chunks.join('');
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test("compile takes Keras's names; History has accuracy and val_accuracy, and tfjs's acc besides", async () => {
  const m = model();
  m.compile({ optimizer: 'RMSprop', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const h = await m.fit(x(), y(), { epochs: 2, batchSize: 8, validationSplit: 0.25, verbose: 0 });
  expect(Object.keys(h.history).sort()).toEqual(['acc', 'accuracy', 'loss', 'val_acc', 'val_accuracy', 'val_loss']);
  expect(h.history.accuracy).toEqual(h.history.acc);
  m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['sparse_categorical_accuracy'] });
  m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae', 'binaryAccuracy', 'recall', 'binary_crossentropy'] });
  const h2 = await m.fit(x(), y(), { epochs: 1, batchSize: 8, verbose: 0 });
  expect(Object.keys(h2.history).sort()).toEqual(['binaryAccuracy', 'binaryCrossentropy', 'binary_crossentropy', 'loss', 'mae', 'recall']);
});

test.each([
  [{ optimizer: 'adam', loss: 'binary_crossentropie' }, /compile: unknown loss 'binary_crossentropie' \(did you mean 'binary_crossentropy'\?\)/],
  [{ optimizer: 'adamm', loss: 'mse' }, /compile: unknown optimizer 'adamm' \(did you mean 'adam'\?\)/],
  [{ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] }, /compile: unknown metric 'acuracy' \(did you mean 'accuracy'\?\)/],
])('an unknown name is a RecurrentConfigError with "did you mean": %p', (args, message) => {
  expect(() => model().compile(args as tf.ModelCompileArgs)).toThrow(RecurrentConfigError);
  expect(() => model().compile(args as tf.ModelCompileArgs)).toThrow(message);
});

test('verbose 2 writes one line per epoch: steps, time, loss, metrics, then val_', async () => {
  const m = model();
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const out = await stdoutOf(() => m.fit(x(), y(), { epochs: 2, batchSize: 8, validationSplit: 0.25, verbose: 2 }));
  const lines = out.trimEnd().split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[0]).toBe('Epoch 1/2');
  expect(lines[1]).toMatch(/^3\/3 - \d+m?s - \d+m?s\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$/);
  expect(lines[2]).toBe('Epoch 2/2');
});

test('verbose 1 (the default) piped: a full bar per epoch, no redraws; verbose 0: nothing', async () => {
  const m = model();
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const out = await stdoutOf(() => m.fit(x(), y(), { epochs: 1, batchSize: 8 }));
  expect(out).toMatch(/^Epoch 1\/1\n4\/4 \[={30}\] - \d+m?s \d+m?s\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\n$/);
  expect(await stdoutOf(() => m.fit(x(), y(), { epochs: 1, batchSize: 8, verbose: 0 }))).toBe('');
});

test('in a terminal, verbose 1 redraws the bar after each batch with an ETA and running means', async () => {
  const chunks: string[] = [];
  const stream = { isTTY: true, write: (s: string) => chunks.push(s) };
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros' })] }); // loss 1 at first: one digit before the point, whatever the seed
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await m.fit(tf.ones([8, 2]), tf.ones([8, 1]), { epochs: 1, batchSize: 2, verbose: 0, callbacks: [new ProgbarLogger({ stream })] });
  expect(chunks[0]).toBe('Epoch 1/1\n');
  expect(chunks[1]).toMatch(/^\r1\/4 \[={6}>\.{23}\] - ETA: \d+m?s - loss: \d\.\d{4}\x1b\[K$/);
  expect(chunks[chunks.length - 1]).toMatch(/^\r4\/4 \[={30}\] - \d+m?s \d+m?s\/step - loss: \d\.\d{4}\x1b\[K\n$/);
});

test('a Functional model fits the same way: Keras names in compile and History, progress lines', async () => {
  resetNames();
  const input = tf.input({ shape: [4, 2] });
  const out = new Dense({ units: 1, activation: 'sigmoid' }).apply(new LSTM({ units: 3 }).apply(input)) as tf.SymbolicTensor;
  const m = new Functional({ inputs: input, outputs: out });
  m.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  let h: tf.History | null = null;
  const printed = await stdoutOf(async () => { h = await m.fit(x(), y(), { epochs: 1, batchSize: 8, verbose: 2 }); });
  expect(printed).toMatch(/^Epoch 1\/1\n4\/4 - \d+m?s - \d+m?s\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\n$/);
  expect(Object.keys(h!.history).sort()).toEqual(['acc', 'accuracy', 'loss']);
});
