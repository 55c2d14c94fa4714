/** A metric keeps the name it was compiled with after a save and a load, as in Keras. */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Sequential, Dense, loadModel, setBackend } from '../../src';
import { withSavedMetricNames } from '../../src/training/keras_names';
import { scratchDir } from '../helpers/scratch';

const scratch = scratchDir('tfjs-recurrent-metric-names-');
beforeAll(() => setBackend('cpu'));

async function reloaded(metrics: string[], name: string): Promise<string[]> {
  const m = new Sequential({ layers: [new Dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
  m.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics });
  const dir = path.join(scratch(), name);
  await m.save(`file://${dir}`, { includeOptimizer: true } as never);
  // tfjs saves metric names in snake_case, as Keras does.
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).trainingConfig.metrics).toEqual(metrics.map((n) => n.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()));
  m.dispose();
  const back = await loadModel(dir);
  const [x, y] = [tf.zeros([2, 2]), tf.tensor2d([[0], [1]])];
  const h = await back.fit(x, y, { epochs: 1, verbose: 0, validationData: [x, y] });
  tf.dispose([x, y]);
  back.dispose();
  return Object.keys(h.history);
}

test("sparse_categorical_accuracy comes back under that name, in the History and its val_ twin", async () => {
  const keys = await reloaded(['sparse_categorical_accuracy', 'accuracy'], 'snake');
  expect(keys).toEqual(expect.arrayContaining(['sparse_categorical_accuracy', 'val_sparse_categorical_accuracy', 'accuracy', 'val_accuracy']));
});

test("a metric compiled under tfjs's camelCase name is still logged under it (tfjs's own key) after a reload", async () => {
  const keys = await reloaded(['sparseCategoricalAccuracy'], 'camel');
  expect(keys).toEqual(expect.arrayContaining(['sparseCategoricalAccuracy', 'val_sparseCategoricalAccuracy']));
});

test('withSavedMetricNames puts the saved names in place of the camelCased ones, and leaves other configs alone', () => {
  const args = { optimizer: 'adam', loss: 'meanSquaredError', metrics: ['sparseCategoricalAccuracy'] };
  expect(withSavedMetricNames(args, ['sparse_categorical_accuracy']).metrics).toEqual(['sparse_categorical_accuracy']);
  expect(withSavedMetricNames(args, undefined)).toBe(args);
});

test('a functional model keeps its metric names after a reload too', async () => {
  const { Functional } = await import('../../src');
  const input = tf.input({ shape: [2] });
  const m = new Functional({ inputs: input, outputs: new Dense({ units: 1, activation: 'sigmoid' }).apply(input) as tf.SymbolicTensor });
  m.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['sparse_categorical_accuracy'] });
  const dir = path.join(scratch(), 'functional');
  await m.save(`file://${dir}`, { includeOptimizer: true } as never);
  m.dispose();
  const back = await loadModel(dir);
  expect(back).toBeInstanceOf(Functional);
  const [x, y] = [tf.zeros([2, 2]), tf.tensor2d([[0], [1]])];
  const h = await back.fit(x, y, { epochs: 1, verbose: 0, validationData: [x, y] });
  expect(Object.keys(h.history)).toEqual(expect.arrayContaining(['sparse_categorical_accuracy', 'val_sparse_categorical_accuracy']));
  tf.dispose([x, y]);
  back.dispose();
});
