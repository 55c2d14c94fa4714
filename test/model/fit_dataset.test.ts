/**
 * fitDataset does what fit does: Keras's names in the History (`accuracy`,
 * `val_accuracy`), Keras's progress, and its inputs checked as fit's, each
 * element of the dataset against the model's input and output when it is
 * read, naming the element; an element tfjs would read only in part, and an
 * option it would ignore, are refused.
 */
import { tf } from '../../src/tf';
import { Sequential, Functional, LSTM, Dense, RecurrentConfigError, RecurrentInputError } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { TRAINING, expectNear, kerasModel, weightsOf } from '../helpers/keras_training';

const c = TRAINING.fit[0]; // LSTM → Dense(sigmoid) on 6 samples [5, 3]
const T = (v: unknown) => tf.tensor(v as number[]);

function sequential(): Sequential {
  const m = kerasModel(c.model, c.weights, 'clf');
  m.compile({ optimizer: tf.train.sgd(0.5), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return m;
}

function functional(): Functional {
  const input = tf.input({ shape: c.model.input });
  const h = new LSTM({ units: 4 }).apply(input) as tf.SymbolicTensor;
  const m = new Functional({ inputs: input, outputs: new Dense({ units: 1, activation: 'sigmoid' }).apply(h) as tf.SymbolicTensor, name: 'fun' });
  m.layers.slice(1).forEach((l, i) => { const ws = c.weights[i].map(T); l.setWeights(ws); tf.dispose(ws); });
  m.compile({ optimizer: tf.train.sgd(0.5), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return m;
}

/** x and y as a dataset of { xs, ys } batches of `size`, in order. */
const batches = (x: tf.Tensor, y: tf.Tensor, size: number) => tf.data.zip({ xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y)) }).batch(size);

onEachBackend(() => {
  for (const [kind, make] of [['Sequential', sequential], ['Functional', functional]] as const) {
    test(`${kind}: the History has Keras's names and fit's values for the same batches, no tensor left`, async () => {
      const [x, y, xv, yv] = [T(c.x), T(c.y), T(c.x), T(c.y)];
      const m1 = make();
      const h1 = await m1.fit(x, y, { batchSize: 2, epochs: 2, shuffle: false, verbose: 0, validationData: [xv, yv] });
      const m2 = make();
      const [data, validation] = [batches(x, y, 2), batches(xv, yv, 3)]; // (they hold the rows as tensors)
      const before = tf.memory().numTensors;
      const h2 = await m2.fitDataset(data, { epochs: 2, verbose: 0, validationData: validation });
      expect(tf.memory().numTensors).toBe(before);
      expect(Object.keys(h2.history).sort()).toEqual(['acc', 'accuracy', 'loss', 'val_acc', 'val_accuracy', 'val_loss']);
      for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) expectNear(h2.history[key] as number[], h1.history[key] as number[], 1e-5, 1e-6, key);
      expectNear(weightsOf(m2), weightsOf(m1), 1e-5, 1e-6, 'weights');
      tf.dispose([x, y, xv, yv]);
      m1.dispose();
      m2.dispose();
    });
  }
});

describe('fitDataset prints Keras\'s progress', () => {
  test('verbose 2: a line per epoch with accuracy, not acc', async () => {
    const m = sequential();
    const [x, y] = [T(c.x), T(c.y)];
    const chunks: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { chunks.push(String(s)); return true; });
    try {
      await m.fitDataset(batches(x, y, 2), { epochs: 1, verbose: 2 as 1 });
    } finally {
      write.mockRestore();
    }
    expect(chunks.join('').split('\n').filter(Boolean)).toEqual(['Epoch 1/1', expect.stringMatching(/^3\/3 - \d+m?s - \d+m?s\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}$/)]);
    tf.dispose([x, y]);
    m.dispose();
  });
});

describe('fitDataset checks its inputs as fit does', () => {
  const cases: Array<[string, () => unknown, RegExp, RegExp]> = [
    ['x of the wrong shape', () => tf.data.array([{ xs: tf.ones([2, 5, 2]), ys: tf.ones([2, 1]) }]),
      /^fitDataset: element 0 of dataset: x must have shape \[null, 5, 3\], got \[2, 5, 2\] \(model 'clf'\)$/,
      /^fitDataset \(model 'fun'\): element 0 of dataset: input\w* expected a batch of elements where each example has shape \[5,3\].*\[2,5,2\]/],
    ['y of another batch size', () => tf.data.array([{ xs: tf.ones([2, 5, 3]), ys: tf.ones([3, 1]) }]),
      /^fitDataset: element 0 of dataset: x and y must hold the same number of examples, got 2 and 3 \(model 'clf'\)$/,
      /^fitDataset \(model 'fun'\): element 0 of dataset: .*same number of samples/],
    ['Keras\'s [x, y] pairs', () => tf.data.array([[tf.ones([2, 5, 3]), tf.ones([2, 1])]]),
      /^fitDataset \(model 'clf'\): element 0 of dataset must be an object \{ xs, ys \} \(tfjs's form\), got an array of 2: map the dataset with \.map\(\(\[x, y\]\) => \(\{ xs: x, ys: y \}\)\)$/,
      /^fitDataset \(model 'fun'\): element 0 of dataset must be an object \{ xs, ys \}/],
    ['sample weights in the dataset', () => tf.data.array([{ xs: tf.ones([2, 5, 3]), ys: tf.ones([2, 1]), sampleWeight: tf.ones([2]) }]),
      /^fitDataset \(model 'clf'\): element 0 of dataset must hold only xs and ys, got also 'sampleWeight' \(a dataset's sample weights are not supported: pass tensors to fit with \{ sampleWeight \}\)$/,
      /must hold only xs and ys/],
  ];
  for (const [what, dataset, seqMessage, funMessage] of cases) {
    test(`${what} is an error naming the element, before the model trains on it`, async () => {
      for (const [m, message] of [[sequential(), seqMessage], [functional(), funMessage]] as const) {
        const before = weightsOf(m);
        await expect(m.fitDataset(dataset() as tf.data.Dataset<{}>, { epochs: 1, verbose: 0 })).rejects.toThrow(RecurrentInputError);
        await expect(m.fitDataset(dataset() as tf.data.Dataset<{}>, { epochs: 1, verbose: 0 })).rejects.toThrow(message);
        expect(weightsOf(m)).toEqual(before);
        m.dispose();
      }
    });
  }

  test('options tfjs would ignore, weighted validation tensors and a non-dataset are refused', async () => {
    const m = sequential();
    const [x, y] = [T(c.x), T(c.y)];
    const data = batches(x, y, 2);
    await expect(m.fitDataset(data, { epochs: 1, batch_size: 2 } as never)).rejects.toThrow(/^fitDataset \(model 'clf'\): unknown fitDataset option 'batch_size'/);
    await expect(m.fitDataset(data, { epochs: 1, verbose: 0, validationData: [x, y, tf.ones([6])] as never })).rejects.toThrow(
      /^fitDataset \(model 'clf'\): validationData \[x, y, sampleWeight\] is not supported by fitDataset/,
    );
    await expect(m.fitDataset(data, { epochs: 1, verbose: 0, validationData: [tf.ones([2, 5, 2]), y] })).rejects.toThrow(/^fitDataset: validationData: x must have shape \[null, 5, 3\]/);
    await expect(m.fitDataset(x as never, { epochs: 1 })).rejects.toThrow(RecurrentConfigError);
    expect(m.optimizer.iterations).toBe(0);
    tf.dispose([x, y]);
    m.dispose();
  });
});
