/**
 * tfjs's model format camelCases string values on load ('hard_sigmoid' →
 * 'hardSigmoid'); our layers read their activation names back as ours, so a
 * saved model with hard_sigmoid computes Keras 3's hard_sigmoid after a load.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Dense, GRU, Sequential, fileIO, loadModel, resetNames } from '../../src';

test('a Dense and a GRU with hard_sigmoid save and load back to the same predictions', async () => {
  resetNames();
  const m = new Sequential();
  m.add(new GRU({ units: 3, recurrentActivation: 'hard_sigmoid', returnSequences: false, inputShape: [4, 2] }));
  m.add(new Dense({ units: 2, activation: 'hard_sigmoid' }));
  const x = tf.randomNormal([2, 4, 2], 0, 2, 'float32', 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'act-'));
  await m.save(fileIO(dir));
  const back = await loadModel(dir);
  expect(back.layers[1].getConfig().activation).toBe('hard_sigmoid');
  const a = m.predict(x) as tf.Tensor;
  const b = back.predict(x) as tf.Tensor;
  expect(b.arraySync()).toEqual(a.arraySync());
  tf.dispose([x, a, b]);
  m.dispose();
  back.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});
