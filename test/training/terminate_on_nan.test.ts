/**
 * terminateOnNaN stops fit at the first non-finite loss (Keras's
 * TerminateOnNaN); without it fit carries on with NaN weights.
 */
import { tf } from '../../src/tf';
import { Sequential, LSTM, Dense, terminateOnNaN, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

function model(): Sequential {
  resetNames();
  const m = new Sequential({ layers: [new LSTM({ units: 3, inputShape: [4, 2] }), new Dense({ units: 1 })] });
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return m;
}

onEachBackend(() => {
  test('stops at the first batch whose loss is NaN, says where on stderr, and leaks nothing', async () => {
    const x = tf.concat([tf.ones([4, 4, 2]), tf.fill([4, 4, 2], NaN)]); // batches 0 fine, 1 NaN
    const y = tf.zeros([8, 1]);
    const m = model();
    const stop = terminateOnNaN();
    await m.fit(tf.ones([4, 4, 2]), tf.zeros([4, 1]), { epochs: 1, verbose: 0 }); // makes Adam's slots
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const before = tf.memory().numTensors;
    const h = await m.fit(x, y, { epochs: 5, batchSize: 4, shuffle: false, callbacks: [stop], verbose: 0 });
    const said = err.mock.calls.slice();
    err.mockRestore();
    expect(stop.stopped).toEqual({ epoch: 0, batch: 1, loss: NaN });
    expect(said).toEqual([['terminateOnNaN: epoch 1, batch 1: loss is NaN; training stopped']]);
    expect(h.epoch).toEqual([0]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('the same callback serves a second fit afresh', async () => {
    const m = model();
    const stop = terminateOnNaN();
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const nan = tf.fill([4, 4, 2], NaN);
    await m.fit(nan, tf.zeros([4, 1]), { epochs: 3, callbacks: [stop], verbose: 0 });
    const h = await m.fit(nan, tf.zeros([4, 1]), { epochs: 3, callbacks: [stop], verbose: 0 });
    err.mockRestore();
    expect(h.epoch).toEqual([0]);
    expect(stop.stopped).toEqual({ epoch: 0, batch: 0, loss: NaN });
  });

  test('never fires on finite losses', async () => {
    const m = model();
    const stop = terminateOnNaN();
    const h = await m.fit(tf.ones([8, 4, 2]), tf.zeros([8, 1]), { epochs: 3, batchSize: 4, callbacks: [stop], verbose: 0 });
    expect(stop.stopped).toBeNull();
    expect(h.epoch).toEqual([0, 1, 2]);
  });
});
