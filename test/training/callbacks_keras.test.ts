/**
 * The callbacks against Keras 3's, on the sequences of logs of
 * test/fixtures/callbacks.json (test/reference/make_callbacks.py): each one
 * driven as Keras's was (on_train_begin, on_epoch_begin, on_epoch_end, on_train_end
 * on a tiny model), with verbose 1, must do what Keras did and print what Keras printed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../src/tf';
import { CSVLogger, EarlyStopping, LearningRateScheduler, ModelCheckpoint, ReduceLROnPlateau } from '../../src';
import { fillTemplate, parseTemplate, pyRepr } from '../../src/training/py_format';

type Num = number | string | null;
interface Fixture {
  earlyStopping: Array<{ name: string; args: Record<string, unknown>; logs: Array<Record<string, Num>>; result: Record<string, Num> & { printed: string } }>;
  reduceLROnPlateau: Array<{ name: string; args: Record<string, unknown>; initialLr: number; values: number[]; result: { logged: number[]; after: number[]; printed: string } }>;
  learningRateScheduler: Array<{ name: string; initialLr: number; logged: number[]; printed: string }>;
  modelCheckpoint: { logs: Array<Record<string, number>>; cases: Array<{ name: string; template: string; args: Record<string, unknown>; saved: string[]; printed: string }> };
  csvLogger: Array<{ name: string; args: Record<string, unknown>; fits: Array<Array<Record<string, Num>>>; file: string }>;
  format: Array<[Num, string, boolean, string]>;
}

const FIXTURE: Fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'callbacks.json'), 'utf8'));
const num = (v: Num): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number));
const logsOf = (l: Record<string, Num>) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, num(v)]));
/** Keras's snake_case arguments in our camelCase. */
const camel = (a: Record<string, unknown>) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));

/** Dense(1) on 2 inputs, compiled with SGD(lr), as the script's tiny model. */
function tiny(lr = 0.1): tf.LayersModel {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
  m.compile({ optimizer: tf.train.sgd(lr), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** Runs `body` with stdout captured; returns what was written. */
async function stdout(body: () => Promise<void>): Promise<string> {
  const out: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    await body();
  } finally {
    spy.mockRestore();
    warn.mockRestore();
  }
  return out.join('');
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('EarlyStopping as Keras 3', () => {
  test.each(FIXTURE.earlyStopping.map((c) => [c.name, c]))('%s', async (_, c) => {
    const m = tiny();
    const cb = new EarlyStopping({ ...camel(c.args), verbose: 1 });
    cb.setModel(m);
    let run = 0;
    const printed = await stdout(async () => {
      await cb.onTrainBegin();
      m.stopTraining = false;
      for (const [epoch, logs] of c.logs.entries()) {
        await cb.onEpochBegin(epoch);
        const marks = m.getWeights().map((w) => tf.fill(w.shape, epoch + 1));
        m.setWeights(marks);
        tf.dispose(marks);
        await cb.onEpochEnd(epoch, logsOf(logs));
        run++;
        if (m.stopTraining) break;
      }
      await cb.onTrainEnd();
    });
    const r = c.result;
    expect({ epochsRun: run, stoppedEpoch: cb.stoppedEpoch, bestEpoch: cb.bestEpoch, wait: cb.wait }).toEqual({
      epochsRun: r.epochsRun, stoppedEpoch: r.stoppedEpoch, bestEpoch: r.bestEpoch, wait: r.wait,
    });
    expect(cb.best).toEqual(num(r.best));
    expect(m.getWeights()[0].dataSync()[0] - 1).toBe(r.weightsOfEpoch);
    expect(printed).toBe(r.printed);
    m.dispose();
  });
});

describe('ReduceLROnPlateau as Keras 3', () => {
  test.each(FIXTURE.reduceLROnPlateau.map((c) => [c.name, c]))('%s', async (_, c) => {
    const m = tiny(c.initialLr);
    const cb = new ReduceLROnPlateau({ ...camel(c.args), verbose: 1 });
    cb.setModel(m);
    const [logged, after]: number[][] = [[], []];
    const printed = await stdout(async () => {
      await cb.onTrainBegin();
      for (const [epoch, v] of c.values.entries()) {
        const logs: tf.Logs = { val_loss: v };
        await cb.onEpochEnd(epoch, logs);
        logged.push(logs.learning_rate);
        after.push(Math.fround((m.optimizer as unknown as { learningRate: number }).learningRate));
      }
    });
    expect(logged).toEqual(c.result.logged);
    expect(after).toEqual(c.result.after);
    expect(printed).toBe(c.result.printed);
    m.dispose();
  });
});

describe('LearningRateScheduler as Keras 3', () => {
  const schedules: Record<string, (epoch: number, lr: number) => number> = {
    'keras docs: constant for 2 epochs, then exp(-0.1)': (epoch, lr) => (epoch < 2 ? lr : lr * Math.exp(-0.1)),
    'step: 0.05 from epoch 3': (epoch) => (epoch < 3 ? 0.1 : 0.05),
  };
  test.each(FIXTURE.learningRateScheduler.map((c) => [c.name, c]))('%s', async (name, c) => {
    const m = tiny(c.initialLr);
    const cb = new LearningRateScheduler(schedules[name as string], 1);
    cb.setModel(m);
    const logged: number[] = [];
    const printed = await stdout(async () => {
      await cb.onTrainBegin();
      for (let epoch = 0; epoch < c.logged.length; epoch++) {
        await cb.onEpochBegin(epoch);
        const logs: tf.Logs = { loss: 1 };
        await cb.onEpochEnd(epoch, logs);
        logged.push(logs.learning_rate);
      }
    });
    expect(logged).toEqual(c.logged);
    expect(printed).toBe(c.printed);
    m.dispose();
  });
});

describe('ModelCheckpoint as Keras 3', () => {
  const cwd = process.cwd();
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-keras-'));
    process.chdir(dir);
  });
  afterAll(() => {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test.each(FIXTURE.modelCheckpoint.cases.map((c) => [c.name, c]))('%s: the same files, the same messages', async (_, c) => {
    const m = tiny();
    const cb = new ModelCheckpoint(c.template, { ...camel(c.args), verbose: 1 });
    cb.setModel(m);
    const before = new Set(fs.readdirSync('.'));
    const printed = await stdout(async () => {
      await cb.onTrainBegin();
      for (const [epoch, logs] of FIXTURE.modelCheckpoint.logs.entries()) {
        await cb.onEpochBegin(epoch);
        if (cb.saveFreq !== 'epoch') for (let batch = 0; batch < 3; batch++) await cb.onBatchEnd(batch, { batch, size: 4, loss: logs.loss + batch / 100 });
        await cb.onEpochEnd(epoch, { ...logs });
      }
      await cb.onTrainEnd();
    });
    expect(printed).toBe(c.printed);
    const made = fs.readdirSync('.').filter((f) => !before.has(f)).sort();
    expect(made).toEqual([...c.saved].sort());
    for (const f of made) expect(fs.existsSync(path.join(f, 'model.json'))).toBe(true);
    m.dispose();
  });
});

describe('CSVLogger as Keras 3', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-keras-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(FIXTURE.csvLogger.map((c, i) => [c.name, c, i]))('%s: the same bytes', async (_, c, i) => {
    const file = path.join(dir, `${i}.csv`);
    const m = tiny();
    for (const fit of c.fits) {
      const cb = new CSVLogger(file, camel(c.args));
      cb.setModel(m);
      await cb.onTrainBegin();
      for (const [epoch, logs] of fit.entries()) await cb.onEpochEnd(epoch, logsOf(logs));
      await cb.onTrainEnd();
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(c.file);
    m.dispose();
  });
});

test("templates format numbers as Python's format() does", () => {
  const wrong: string[] = [];
  for (const [v, spec, isInt, want] of FIXTURE.format) {
    const x = num(v);
    let got: string;
    if (spec === 'repr') got = pyRepr(x);
    else got = fillTemplate(parseTemplate('test', 'template', `{x${spec ? ':' + spec : ''}}`, isInt ? ['x'] : []), { x }, isInt ? ['x'] : []) as string;
    if (got !== want) wrong.push(`format(${v}, '${spec}'): Python ${want}, ours ${got}`);
  }
  expect(wrong).toEqual([]);
  expect(FIXTURE.format.length).toBeGreaterThan(300);
});
