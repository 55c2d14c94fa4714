/**
 * A frozen Sequential (trainable = false), alone or nested in a functional
 * model, stays frozen through a save and a load, as in Keras: tfjs's
 * Sequential config drops `trainable`, ours keeps it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Dense, Functional, Sequential, fileIO, loadModel, resetNames } from '../../src';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'frozen-'));

test('a frozen Sequential nested in a functional model is frozen after a reload', async () => {
  resetNames();
  const inner = new Sequential({ name: 'encoder' });
  inner.add(new Dense({ units: 2, inputShape: [3] }));
  inner.trainable = false;
  const x = tf.input({ shape: [3] });
  const model = new Functional({ inputs: x, outputs: new Dense({ units: 1 }).apply(inner.apply(x) as tf.SymbolicTensor) as tf.SymbolicTensor });
  expect(model.trainableWeights).toHaveLength(2);
  const dir = tmp();
  await model.save(fileIO(dir));
  const back = await loadModel(dir);
  expect(back.layers[1].trainable).toBe(false);
  expect(back.trainableWeights).toHaveLength(2);
  model.dispose();
  back.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a frozen Sequential is frozen after a reload; a trainable one writes no trainable key', async () => {
  resetNames();
  const model = new Sequential();
  model.add(new Dense({ units: 2, inputShape: [3] }));
  expect(model.getConfig()).not.toHaveProperty('trainable');
  model.trainable = false;
  const dir = tmp();
  await model.save(fileIO(dir));
  const back = await loadModel(dir);
  expect(back.trainable).toBe(false);
  expect(back.trainableWeights).toHaveLength(0);
  model.dispose();
  back.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});
