/**
 * LSTM beside RNN(LSTMCell), step for step: the two models hold the same
 * weights and take their steps in turns (a training step, or a prediction),
 * so that both see the same load of the machine; prints the median of each.
 * They run the same code (an LSTM is an RNN of the LSTMCell it makes), so the
 * figures should agree; `npm run bench`'s rows of the two, measured one after
 * the other, move with the machine's load.
 *
 *   tsc -p tsconfig.bench.json && node build/bench/cell_pair.js [--backends cpu,wasm] [--steps 300]
 */
import { benchArgs } from './args';
import { tf, setBackend, Sequential, Dense, LSTM, RNN, LSTMCell } from '../src';

const B = 32, T = 100, D = 32;

async function pair(train: boolean, H: number, steps: number): Promise<[number, number]> {
  const make = (layer: tf.layers.Layer) => {
    const m = new Sequential({ layers: train ? [layer, new Dense({ units: 1, activation: 'sigmoid' })] : [layer] });
    if (train) m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    return m;
  };
  const a = make(new LSTM({ units: H, inputShape: [T, D] }));
  const b = make(new RNN({ cell: new LSTMCell({ units: H }), inputShape: [T, D] }));
  b.setWeights(a.getWeights());
  const x = tf.randomNormal([B, T, D]);
  const y = tf.randomUniform([B, 1], 0, 2, 'int32').toFloat();
  const step = async (m: Sequential) => {
    if (train) await m.trainOnBatch(x, y);
    else { const p = m.predict(x) as tf.Tensor; await p.data(); p.dispose(); }
  };
  for (let i = 0; i < 100; i++) { await step(a); await step(b); } //   warm-up of both
  const [ta, tb]: number[][] = [[], []];
  for (let i = 0; i < steps; i++) {
    let t = performance.now(); await step(a); ta.push(performance.now() - t);
    t = performance.now(); await step(b); tb.push(performance.now() - t);
  }
  tf.dispose([x, y]);
  a.dispose();
  b.dispose();
  const median = (v: number[]) => v.sort((p, q) => p - q)[v.length >> 1];
  return [median(ta), median(tb)];
}

(async () => {
  const { backends, opt } = await benchArgs();
  const steps = Number(opt('--steps') ?? 300);
  console.log(`${new Date().toISOString()}, ${steps} steps of each in turns, medians`);
  console.log('| backend | workload | LSTM ms/step | RNN(LSTMCell) ms/step |');
  console.log('|---|---|---:|---:|');
  for (const backend of backends) {
    await setBackend(backend, { verbose: false });
    for (const [train, H, what] of [[true, 32, 'train LSTM(32)+Dense(1) on [32, 100, 32]'], [false, 128, 'inference LSTM(128) on [32, 100, 32]']] as const) {
      const [a, b] = await pair(train, H, steps);
      console.log(`| ${backend} | ${what} | ${a.toFixed(2)} | ${b.toFixed(2)} |`);
    }
  }
})();
