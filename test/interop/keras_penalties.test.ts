/**
 * loadKerasModel reads the regularizers and constraints of .keras files
 * real Keras 3 saved (test/fixtures/penalties/, by test/reference/make_penalties.py,
 * with their seeded weights before training): each layer gets them as its
 * options (a Bidirectional's wrapped layer, a TimeDistributed's, an RNN's
 * cells too), and the loaded model evaluates and trains as Keras did: the
 * same loss with the penalties and the same weights after fit, constraints
 * applied. An activity regularizer on a cell is refused, naming where it belongs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { tf } from '../../src/tf';
import { loadKerasModel, resetNames } from '../../src';
import { resolveConstraint } from '../../src/constraints';
import { resolveRegularizer } from '../../src/regularizers';
import { onEachBackend } from '../helpers/backends';
import { expectNear } from '../helpers/keras_training';
import { scratchDir } from '../helpers/scratch';

type Nested = number | Nested[];
type Spec = { class: string; layer?: Spec; cells?: Spec[]; [option: string]: unknown };
interface ModelCase {
  name: string; inputDtype?: 'int32'; layers: Spec[]; loss: string; batchSize: number; optimizer: { class: string; learningRate: number };
  x: Nested; y: Nested; evaluate4: number; fitLoss: number; after: Nested[][];
}
const FIXTURE: { models: ModelCase[] } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'penalties.json'), 'utf8'));
const FILES = path.join(__dirname, '..', 'fixtures', 'penalties');
const SAVED = fs.readdirSync(FILES).filter((f) => f.endsWith('.keras')).map((f) => f.replace(/\.keras$/, ''));

/** A penalty's config with its numbers at float32 precision (Keras writes L1's factor as the float32 it holds: 0.05 → 0.05000000074505806). */
function canonical(p: tf.serialization.Serializable | null): unknown {
  if (p == null) return null;
  const round = (v: unknown): unknown => (typeof v === 'number' ? Math.fround(v) : Array.isArray(v) ? v.map(round) : v);
  return { className: p.getClassName(), config: Object.fromEntries(Object.entries(p.getConfig()).map(([k, v]) => [k, round(v)])) };
}

/** Each `...Regularizer` / `...Constraint` option of a spec and of its wrapped layer or cells, with the config our layer has for it. */
function expectPenalties(spec: Spec, config: Record<string, unknown>, where: string): void {
  for (const [k, v] of Object.entries(spec)) {
    if (!k.endsWith('Regularizer') && !k.endsWith('Constraint')) continue;
    const resolve = k.endsWith('Regularizer') ? resolveRegularizer : resolveConstraint;
    expect([where, k, canonical(resolve('test', k, config[k]))]).toEqual([where, k, canonical(resolve('test', k, v))]);
  }
  if (spec.layer) expectPenalties(spec.layer, (config.layer as { config: Record<string, unknown> }).config, `${where} > layer`);
  if (spec.cells) {
    const cells = ((config.cell as { config: { cells: Array<{ config: Record<string, unknown> }> } }).config.cells);
    spec.cells.forEach((c, i) => expectPenalties(c, cells[i].config, `${where} > cell ${i}`));
  }
}

test('the fixture holds Keras files with regularizers and constraints of every kind', () => {
  expect(SAVED.sort()).toEqual(['activity', 'bidirectional_time_distributed', 'constraints_sgd', 'rnn_of_cells']);
});

onEachBackend(() => {
  const dir = scratchDir('keras-penalties-');
  beforeEach(() => resetNames());

  test.each(SAVED)("%s.keras: each layer has Keras's regularizers and constraints, and the model evaluates and trains as Keras did", async (name) => {
    const c = FIXTURE.models.find((m) => m.name === name)!;
    const warnings: string[] = [];
    const model = await loadKerasModel(path.join(FILES, `${name}.keras`), { onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    c.layers.forEach((spec, i) => expectPenalties(spec, model.layers[i].getConfig() as Record<string, unknown>, `layer ${i}`));
    expect(c.optimizer.class).toBe('SGD');
    model.compile({ optimizer: tf.train.sgd(c.optimizer.learningRate), loss: c.loss });
    const [x, y] = [tf.tensor(c.x as number[], undefined, c.inputDtype ?? 'float32'), tf.tensor(c.y as number[])];
    const l = model.evaluate(x, y, { batchSize: 4 }) as tf.Scalar;
    expectNear(l.dataSync()[0], c.evaluate4, 1e-5, 1e-6, 'loss');
    const h = await model.fit(x, y, { batchSize: c.batchSize, epochs: 1, shuffle: false, verbose: 0 });
    expectNear(h.history.loss[0] as number, c.fitLoss, 1e-5, 1e-6, 'fit loss');
    model.layers.forEach((layer, i) => layer.getWeights().forEach((w, j) => expectNear(w.arraySync() as Nested, c.after[i][j], 1e-5, 1e-6, `layer ${i} weight ${j}`)));
    tf.dispose([x, y, l]);
    model.dispose();
  });

  test("an activity regularizer on a cell is refused, naming the RNN layer it belongs on", async () => {
    const zip = unzipSync(fs.readFileSync(path.join(FILES, 'rnn_of_cells.keras')));
    const config = JSON.parse(strFromU8(zip['config.json']));
    const rnn = config.config.layers.find((l: { class_name: string }) => l.class_name === 'RNN');
    rnn.config.cell.config.cells[1].config.activity_regularizer = { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null };
    const file = path.join(dir(), 'cell_activity.keras');
    fs.writeFileSync(file, zipSync({ ...zip, 'config.json': strToU8(JSON.stringify(config)) }));
    await expect(loadKerasModel(file)).rejects.toThrow(/^loadKerasModel: layer 'gru_cell' \(GRUCell\): GRUCell: activityRegularizer goes on the RNN that runs the cell/);
  });
});
