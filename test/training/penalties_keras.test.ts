/**
 * Regularizers and constraints give Keras 3's numbers (test/fixtures/penalties.json,
 * from real Keras 3 by test/reference/make_penalties.py): evaluate's loss with
 * each kind of regularizer, at one batch and in batches of 3 (the activity
 * penalty divided by each batch's size); fit's loss and the weights after one
 * or two optimizer steps, with regularizers and with each constraint, on SGD
 * (tfjs's), Adam, Nadam and AdamW, through each path of the recurrent layers
 * (the kernels, the hand-written backward, autodiff); trainOnBatch and
 * fitDataset take the same step; a layer alone has Keras's penalties (one
 * activity penalty per output); each regularizer and constraint computes
 * Keras's value. No tensor is left behind.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../src/tf';
import {
  Adam, AdamW, Bidirectional, Dense, Embedding, GRU, GRUCell, LSTM, LSTMCell, Nadam, RNN, Sequential, SimpleRNN, SimpleRNNCell, TimeDistributed,
} from '../../src';
import { resolveRegularizer } from '../../src/regularizers';
import { resolveConstraint } from '../../src/constraints';
import { regularizerOf, takeActivityLosses, withActivityLosses } from '../../src/layers/penalties';
import { onEachBackend } from '../helpers/backends';
import { expectNear } from '../helpers/keras_training';

type Nested = number | Nested[];
type Spec = { class: string; layer?: Spec; cells?: Spec[]; [option: string]: unknown };
interface ModelCase {
  name: string; input: number[]; inputDtype?: 'int32'; layers: Spec[]; loss: string; batchSize: number;
  optimizer: { class: 'SGD' | 'Adam' | 'Nadam' | 'AdamW'; learningRate: number; weightDecay?: number; epsilon?: number };
  x: Nested; y: Nested; weights: Nested[][]; penalty: number; evaluate4: number; evaluate3: number; fitLoss: number; after: Nested[][];
}
interface LayerCase { name: string; input: number[]; spec: Spec; x: Nested; weights: Nested[]; losses: number[] }
interface Fixture {
  reference: string;
  models: ModelCase[];
  layers: LayerCase[];
  formulas: {
    x: Nested;
    regularizers: Array<{ spec: unknown; value: number; className: string; config: Record<string, unknown> }>;
    constraints: Array<{ spec: unknown; value: Nested; className: string; config: Record<string, unknown> }>;
  };
}

const FIXTURE: Fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'penalties.json'), 'utf8'));

/** One of our layers from the fixture's spec: our option names, the regularizers and constraints as the fixture gives them. */
function ourLayer(spec: Spec, first: object = {}): tf.layers.Layer {
  const { class: cls, layer, cells, ...args } = spec;
  const a = { ...args, ...first } as never;
  switch (cls) {
    case 'LSTM': return new LSTM(a);
    case 'GRU': return new GRU(a);
    case 'SimpleRNN': return new SimpleRNN(a);
    case 'Dense': return new Dense(a);
    case 'Embedding': return new Embedding(a);
    case 'LSTMCell': return new LSTMCell(a);
    case 'GRUCell': return new GRUCell(a);
    case 'SimpleRNNCell': return new SimpleRNNCell(a);
    case 'Bidirectional': return new Bidirectional({ ...(a as object), layer: ourLayer(layer!) as LSTM });
    case 'TimeDistributed': return new TimeDistributed({ ...(a as object), layer: ourLayer(layer!) });
    case 'RNN': return new RNN({ ...(a as object), cell: cells!.map((c) => ourLayer(c) as LSTMCell) });
    default: throw new Error(`no layer ${cls}`);
  }
}

function ourModel(c: ModelCase): Sequential {
  const model = new Sequential();
  c.layers.forEach((l, i) => model.add(ourLayer(l, i === 0 ? { inputShape: c.input } : {})));
  model.layers.forEach((layer, i) => {
    const ws = c.weights[i].map((w) => tf.tensor(w as number[]));
    layer.setWeights(ws);
    tf.dispose(ws);
  });
  return model;
}

function optimizer(o: ModelCase['optimizer']): tf.Optimizer {
  switch (o.class) {
    case 'SGD': return tf.train.sgd(o.learningRate);
    case 'Adam': return new Adam(o.learningRate, 0.9, 0.999, o.epsilon); // ε tiny: Keras's and tfjs's Adam then agree
    case 'Nadam': return new Nadam(o.learningRate);
    case 'AdamW': return new AdamW(o.learningRate, o.weightDecay);
  }
}

type Path = 'kernels' | 'bptt' | 'autodiff';
/** Every recurrent layer of the model (a Bidirectional's two too) on one path. */
function onPath(model: tf.LayersModel, p: Path): void {
  const rnns = model.layers.flatMap((l) => (l instanceof Bidirectional ? [l.forwardLayer, l.backwardLayer] : l instanceof RNN ? [l] : []));
  for (const r of rnns) {
    r.useKernels = p === 'kernels';
    r.useAutodiff = p === 'autodiff';
  }
}

const data = (c: ModelCase) => [tf.tensor(c.x as number[], undefined, c.inputDtype ?? 'float32'), tf.tensor(c.y as number[])];
const weightsOf = (m: tf.LayersModel) => m.layers.map((l) => l.getWeights().map((w) => w.arraySync() as Nested));

onEachBackend(() => {
  describe('evaluate', () => {
    test.each(FIXTURE.models.map((c) => [c.name, c] as const))("%s: Keras 3's loss, penalties included, in one batch and in batches of 3", (_n, c) => {
      const model = ourModel(c);
      model.compile({ optimizer: 'sgd', loss: c.loss });
      const [x, y] = data(c);
      tf.dispose(model.evaluate(x, y, { batchSize: 4 })); // warm-up: the kernels' buffers
      const before = tf.memory().numTensors;
      const l4 = model.evaluate(x, y, { batchSize: 4 }) as tf.Scalar;
      const l3 = model.evaluate(x, y, { batchSize: 3 }) as tf.Scalar;
      expectNear(l4.dataSync()[0], c.evaluate4, 1e-5, 1e-6, 'loss');
      expectNear(l3.dataSync()[0], c.evaluate3, 1e-5, 1e-6, 'loss in batches of 3');
      tf.dispose([l4, l3]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, y]);
      model.dispose();
    });

    test('without its penalties the same model evaluates lower by what Keras adds', () => {
      const c = FIXTURE.models.find((m) => m.name === 'activity')!;
      const plain = ourModel({ ...c, layers: c.layers.map(({ activityRegularizer, ...l }) => (void activityRegularizer, l as Spec)) });
      plain.compile({ optimizer: 'sgd', loss: c.loss });
      const [x, y] = data(c);
      const l = plain.evaluate(x, y, { batchSize: 4 }) as tf.Scalar;
      expectNear(c.evaluate4 - l.dataSync()[0], c.penalty, 1e-4, 1e-6, 'penalty');
      expect(c.penalty).toBeGreaterThan(0.1);
      tf.dispose([l, x, y]);
      plain.dispose();
    });
  });

  describe('fit', () => {
    const cases = FIXTURE.models.flatMap((c) => (['kernels', 'bptt', 'autodiff'] as Path[]).map((p) => [c.name, p, c] as const));
    test.each(cases)("%s (%s): Keras 3's loss and weights after the epoch's steps", async (_n, p, c) => {
      const model = ourModel(c);
      onPath(model, p);
      model.compile({ optimizer: optimizer(c.optimizer), loss: c.loss });
      const [x, y] = data(c);
      const h = await model.fit(x, y, { batchSize: c.batchSize, epochs: 1, shuffle: false, verbose: 0 });
      expectNear(h.history.loss[0] as number, c.fitLoss, 1e-5, 1e-6, 'loss');
      const tol = c.optimizer.class === 'SGD' ? 1e-5 : 1e-4;
      weightsOf(model).forEach((ws, i) => ws.forEach((w, j) => expectNear(w, c.after[i][j], tol, 1e-6, `layer ${i} weight ${j}`)));
      tf.dispose([x, y]);
      model.dispose();
    });

    test.each(['lstm_kernel_l2', 'bidirectional_time_distributed', 'constraints_adamw'])('%s: trainOnBatch and fitDataset take the step fit takes', async (name) => {
      const c = FIXTURE.models.find((m) => m.name === name)!;
      expect(c.batchSize).toBe(4); // one step over the whole batch
      for (const how of ['trainOnBatch', 'fitDataset'] as const) {
        const model = ourModel(c);
        model.compile({ optimizer: optimizer(c.optimizer), loss: c.loss });
        const [x, y] = data(c);
        if (how === 'trainOnBatch') {
          expectNear((await model.trainOnBatch(x, y)) as number, c.fitLoss, 1e-5, 1e-6, 'trainOnBatch loss');
        } else {
          const h = await model.fitDataset(tf.data.array([{ xs: x, ys: y }]), { epochs: 1, verbose: 0 });
          expectNear(h.history.loss[0] as number, c.fitLoss, 1e-5, 1e-6, 'fitDataset loss');
        }
        weightsOf(model).forEach((ws, i) => ws.forEach((w, j) => expectNear(w, c.after[i][j], 1e-4, 1e-6, `${how}: layer ${i} weight ${j}`)));
        tf.dispose([x, y]);
        model.dispose();
      }
    });

    test('a training step with penalties and constraints leaves no tensor behind', async () => {
      const c = FIXTURE.models.find((m) => m.name === 'constraints_nadam')!;
      const model = ourModel(c);
      model.compile({ optimizer: optimizer(c.optimizer), loss: c.loss });
      const [x, y] = data(c);
      await model.fit(x, y, { batchSize: 4, epochs: 1, verbose: 0 }); // the optimizer makes its state
      const before = tf.memory().numTensors;
      await model.fit(x, y, { batchSize: 2, epochs: 2, verbose: 0 });
      await model.trainOnBatch(x, y);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, y]);
      model.dispose();
    });
  });
});

onEachBackend(() => {
  test.each(FIXTURE.layers.map((c) => [c.name, c] as const))("%s alone: Keras 3's layer.losses (each weight's penalty, each output's activity penalty)", (_n, c) => {
    const layer = ourLayer(c.spec);
    const x = tf.tensor(c.x as number[]);
    tf.dispose(layer.apply(x) as tf.Tensor | tf.Tensor[]);
    const ws = c.weights.map((w) => tf.tensor(w as number[]));
    layer.setWeights(ws);
    const activity = withActivityLosses(() => {
      tf.dispose(layer.apply(x) as tf.Tensor | tf.Tensor[]);
      return takeActivityLosses().map((t) => t.dataSync()[0]);
    });
    const weight = layer.trainableWeights.flatMap((v) => {
      const r = regularizerOf(v);
      return r ? [tf.tidy(() => r.apply(v.read()).dataSync()[0])] : [];
    });
    const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
    expectNear(sorted([...activity, ...weight]), sorted(c.losses), 1e-5, 1e-6, 'losses');
    tf.dispose([x, ...ws]);
    layer.dispose();
  });

  describe("Keras 3's formulas", () => {
    test.each(FIXTURE.formulas.regularizers.map((r) => [JSON.stringify(r.spec), r] as const))('regularizer %s', (_n, r) => {
      const reg = resolveRegularizer('test', 'kernelRegularizer', r.spec)!;
      expect(reg.getClassName()).toBe(r.className);
      const x = tf.tensor(FIXTURE.formulas.x as number[]);
      const v = reg.apply(x);
      expectNear(v.dataSync()[0], r.value, 1e-6, 1e-7, 'penalty');
      tf.dispose([x, v]);
    });

    test.each(FIXTURE.formulas.constraints.map((c) => [JSON.stringify(c.spec), c] as const))('constraint %s', (_n, c) => {
      const con = resolveConstraint('test', 'kernelConstraint', c.spec)!;
      expect(con.getClassName()).toBe(c.className);
      const x = tf.tensor(FIXTURE.formulas.x as number[]);
      const v = con.apply(x);
      expectNear(v.arraySync() as Nested, c.value, 1e-6, 1e-7, 'constrained');
      tf.dispose([x, v]);
    });
  });
});
