/**
 * summary({ style: 'keras3' }) against Keras 3's own model.summary() text
 * (test/fixtures/keras3_summary.json, made by test/reference/make_keras3_summary.py
 * from the models of test/reference/summary_cases.json).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as lib from '../../src';
import { tf, Sequential, Functional, RecurrentConfigError, printSummary } from '../../src';
import { main } from '../../src/cli/main';
import { scratchDir } from '../helpers/scratch';
import { consoleWidth, printKeras3Summary, readableBytes, terminalColumns } from '../../src/model/summary_keras3';

type Args = { [k: string]: unknown };
interface LayerSpec { class: string; name: string; args: Args; trainable?: boolean }
interface SeqSpec { kind: 'sequential'; name: string; input: { shape: Array<number | null>; dtype: 'int32' | 'float32' }; layers: LayerSpec[] }
interface Call { layer?: LayerSpec; model?: ModelSpec; shared?: string; inputs: string | string[]; outputs: string[]; trainable?: boolean }
interface FuncSpec { kind: 'functional'; name: string; inputs: Array<{ name: string; shape: Array<number | null>; dtype: 'int32' | 'float32' }>; calls: Call[]; outputs: string[] }
type ModelSpec = SeqSpec | FuncSpec;
interface Variant { options: Args; columns: number | null; compile?: { optimizer: string; momentum?: number }; train?: { optimizer: string; momentum?: number }; text: string }

const CASES: Array<{ name: string; description: string; model: ModelSpec }> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../reference/summary_cases.json'), 'utf8'),
).cases;
const FIXTURE: { keras: string; cases: Array<{ name: string; variants: Variant[] }>; files: Array<{ file: string; options: Args; text: string }> } = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../fixtures/keras3_summary.json'), 'utf8'),
);

/** A layer of the description, from this package (tf.layers for the merge layers). */
function makeLayer(spec: LayerSpec, first?: SeqSpec['input']): tf.layers.Layer {
  const args: Args = { ...spec.args, name: spec.name };
  if (spec.args.layer) args.layer = makeLayer(spec.args.layer as LayerSpec);
  if (first) Object.assign(args, { inputShape: first.shape, ...(first.dtype === 'int32' ? { dtype: 'int32' } : {}) });
  if (spec.class === 'Concatenate') return tf.layers.concatenate(args);
  if (spec.class === 'Add') return tf.layers.add(args);
  const Ctor = (lib as unknown as { [name: string]: new (a: Args) => tf.layers.Layer })[spec.class];
  return new Ctor(args);
}

function makeModel(spec: ModelSpec): Sequential | Functional {
  if (spec.kind === 'sequential') {
    const m = new Sequential({ name: spec.name });
    spec.layers.forEach((l, i) => m.add(makeLayer(l, i === 0 ? spec.input : undefined)));
    spec.layers.forEach((l, i) => l.trainable === false && (m.layers[i].trainable = false));
    return m;
  }
  const tensors = new Map<string, tf.SymbolicTensor>(spec.inputs.map((i) => [i.name, tf.input({ shape: i.shape, dtype: i.dtype, name: i.name })]));
  const inputs = [...tensors.values()];
  const made = new Map<string, tf.layers.Layer>();
  const frozen: tf.layers.Layer[] = [];
  for (const call of spec.calls) {
    const op = call.model ? makeModel(call.model) : call.shared ? made.get(call.shared)! : makeLayer(call.layer!);
    made.set(op.name, op);
    if (call.trainable === false || call.layer?.trainable === false) frozen.push(op);
    const x = Array.isArray(call.inputs) ? call.inputs.map((t) => tensors.get(t)!) : tensors.get(call.inputs)!;
    const y = op.apply(x) as tf.SymbolicTensor | tf.SymbolicTensor[];
    (Array.isArray(y) ? y : [y]).forEach((t, i) => tensors.set(call.outputs[i], t));
  }
  const outputs = spec.outputs.map((t) => tensors.get(t)!);
  const model = new Functional({ inputs, outputs, name: spec.name });
  for (const op of frozen) op.trainable = false;
  return model;
}

function compile(model: tf.LayersModel, how: { optimizer: string; momentum?: number }): void {
  const optimizer = how.momentum ? tf.train.momentum(0.01, how.momentum) : how.optimizer;
  model.compile({ optimizer, loss: 'meanSquaredError' });
}

/** One step on zeros, as the fixture script trains (any open length 3, batch 2). */
async function train(model: tf.LayersModel, how: { optimizer: string; momentum?: number }): Promise<void> {
  compile(model, how);
  const zeros = (shape: Array<number | null>, dtype: 'int32' | 'float32') => tf.zeros([2, ...shape.slice(1).map((d) => d ?? 3)], dtype);
  const x = model.inputs.map((t) => zeros(t.shape, t.dtype as 'int32' | 'float32'));
  const y = model.outputs.map((t) => zeros(t.shape, 'float32'));
  await model.fit(x.length > 1 ? x : x[0], y.length > 1 ? y : y[0], { batchSize: 2, epochs: 1, verbose: 0 });
  tf.dispose([...x, ...y]);
}

/** What summary(options) prints with COLUMNS set as Keras's capture had it (unset: as wide as no terminal, 80). */
function capture(model: tf.LayersModel, options: Args, columns: number | null): string {
  const saved = process.env.COLUMNS;
  process.env.COLUMNS = String(columns ?? 80);
  try {
    const lines: string[] = [];
    printSummary(model, { style: 'keras3', ...options, printFn: (l: unknown) => lines.push(String(l)) });
    return lines.map((l) => `${l}\n`).join('');
  } finally {
    if (saved === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = saved;
  }
}

describe(`summary({ style: 'keras3' }) prints what Keras ${FIXTURE.keras} prints`, () => {
  for (const c of CASES) {
    const variants = FIXTURE.cases.find((f) => f.name === c.name)!.variants;
    test.each(variants.map((v, i) => [i, JSON.stringify({ ...v.options, COLUMNS: v.columns ?? undefined, ...(v.train ? { train: v.train } : {}), ...(v.compile ? { compile: v.compile } : {}) }), v] as const))(
      `${c.name} (${c.description}) #%i %s`,
      async (_i, _label, v) => {
        const model = makeModel(c.model);
        if (v.compile) compile(model, v.compile);
        if (v.train) await train(model, v.train);
        expect(capture(model, v.options, v.columns)).toBe(v.text);
        model.dispose();
      },
    );
  }
});

describe('what decides the width, as in Keras 3', () => {
  const tty = (columns: number) => ({ isTTY: true, columns });
  const pipe = { isTTY: false };

  test("the default width is capped by shutil's terminal size: COLUMNS, else standard output's terminal, else 80", () => {
    expect(terminalColumns({ env: { COLUMNS: '120' }, streams: [pipe, tty(50), pipe] })).toBe(120);
    expect(terminalColumns({ env: { COLUMNS: '0' }, streams: [pipe, tty(50), pipe] })).toBe(50);
    expect(terminalColumns({ env: {}, streams: [tty(70), pipe, tty(90)] })).toBe(80); // only standard output counts
    expect(terminalColumns({ env: {}, streams: [undefined, undefined, undefined] })).toBe(80);
  });

  test("rich's console is as wide as COLUMNS, else the first terminal among the standard streams, else 80", () => {
    expect(consoleWidth({ env: { COLUMNS: '61' }, streams: [pipe, tty(50), pipe] })).toBe(61);
    expect(consoleWidth({ env: { COLUMNS: ' 61' }, streams: [pipe, pipe, tty(90)] })).toBe(90); // not all digits: ignored
    expect(consoleWidth({ env: {}, streams: [pipe, pipe, tty(90)] })).toBe(90);
    expect(consoleWidth({ env: {}, streams: [pipe, pipe, pipe] })).toBe(80);
  });

  test('with no lineLength, a terminal of 60 columns makes the table 56 wide and 40 columns a terminal of 14 a narrow-column error names the width', () => {
    const model = makeModel(CASES[0].model);
    const lines: string[] = [];
    const t = { env: {}, streams: [pipe, tty(60), pipe] };
    printKeras3Summary(model, { printFn: (l) => lines.push(String(l)), expandNested: false, showTrainable: false }, t);
    expect(lines[1]).toHaveLength(56);
    const narrow = { env: {}, streams: [pipe, tty(14), pipe] };
    expect(() => printKeras3Summary(model, { printFn: () => undefined, expandNested: false, showTrainable: false }, narrow)).toThrow(
      /^summary: the terminal's 14 columns \(lineLength 10 by default\) leaves column 'Param #' 2 characters wide with positions \[0.45, 0.8, 1\]; each column needs at least 4/,
    );
    model.dispose();
  });
});

describe('parameter sizes as Keras 3 writes them', () => {
  test('B, KB, MB with two decimals, halves to even as Python formats', () => {
    expect(readableBytes(0)).toBe('0.00 B');
    expect(readableBytes(1020)).toBe('1020.00 B');
    expect(readableBytes(1024)).toBe('1.00 KB');
    expect(readableBytes(1152)).toBe('1.12 KB'); //  1.125: Python '{:.2f}' gives 1.12, toFixed would give 1.13
    expect(readableBytes(1168)).toBe('1.14 KB'); //  1.140625
    expect(readableBytes(4 * 322080)).toBe('1.23 MB');
    expect(readableBytes(4 * 2 ** 40)).toBe('4.00 TB');
  });
});

describe('summary options are checked', () => {
  let model: tf.LayersModel;
  beforeAll(() => (model = makeModel(CASES[0].model)));
  afterAll(() => model.dispose());
  const call = (...args: unknown[]) => () => (printSummary as (m: tf.LayersModel, ...a: unknown[]) => void)(model, ...args);

  test.each([
    [{ style: 'keras4' }, /^summary: style must be 'keras2' or 'keras3', got 'keras4'$/],
    [{ style: 'keras3', expand_nested: true }, /^summary: unknown option 'expand_nested' \(did you mean 'expandNested'\?\); known: style, lineLength/],
    [{ style: 'keras3', lineLength: 0 }, /^summary: lineLength must be a positive integer, got 0$/],
    [{ style: 'keras3', lineLength: 70.5 }, /^summary: lineLength must be a positive integer, got 70.5$/],
    [{ style: 'keras3', positions: [30, 60, 76] }, /^summary: positions must be 3 increasing fractions of lineLength in \(0, 1\], one per column without Trainable, got \[30, 60, 76\]$/],
    [{ style: 'keras3', positions: [0.5, 1] }, /^summary: positions must be 3 .* got \[0.5, 1\]$/],
    [{ style: 'keras3', positions: [0.6, 0.5, 1] }, /^summary: positions must be 3 increasing fractions .* got \[0.6, 0.5, 1\]$/],
    [{ style: 'keras3', positions: [0.45, 0.48, 1] }, /^summary: the terminal's 80 columns \(lineLength 76 by default\) leaves column 'Output Shape' 2 characters wide with positions \[0.45, 0.48, 1\]; each column needs at least 4/],
    [{ style: 'keras3', lineLength: 12 }, /^summary: lineLength 12 leaves column 'Param #' 3 characters wide with positions \[0.45, 0.8, 1\]/],
    [{ style: 'keras3', showTrainable: 'yes' }, /^summary: showTrainable must be true or false, got 'yes'$/],
    [{ expandNested: true }, /^summary: expandNested needs style: 'keras3' .*, got style 'keras2'$/],
    [{ showTrainable: true }, /^summary: showTrainable needs style: 'keras3'/],
    [{ layerRange: ['embedding', 'simple_rnn'] }, /^summary: layerRange needs style: 'keras3', got style 'keras2'$/],
    [{ style: 'keras3', layerRange: ['embedding'] }, /^summary: layerRange must be two layer names \(or patterns\) \[first, last\], got \['embedding'\]$/],
    [{ style: 'keras3', layerRange: ['dense', 'simple_rnn'] }, /^summary: layerRange \['dense', 'simple_rnn'\] must match layer names of model 'sequential' \(embedding, simple_rnn\), got no match for 'dense'$/],
    [{ style: 'keras3', layerRange: ['(', 'simple_rnn'] }, /^summary: layerRange must hold layer names or regular expressions, got '\(' \(/],
    [{ style: 'keras3', printFn: 'log' }, /^summary: printFn must be a function, got 'log'$/],
    ['keras3', /^summary: expects an options object such as \{ style: 'keras3' \}, or \(lineLength, positions, printFn\), got 'keras3'$/],
  ])('%j', (options, message) => {
    const saved = process.env.COLUMNS;
    process.env.COLUMNS = '80';
    try {
      expect(call(options)).toThrow(RecurrentConfigError);
      expect(call(options)).toThrow(message);
    } finally {
      if (saved === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = saved;
    }
  });

  test('an options object and positional arguments together are refused', () => {
    expect(call({ style: 'keras3' }, [0.5, 0.8, 1])).toThrow(/^summary: takes one options object or \(lineLength, positions, printFn\), got an options object and \[\[0.5, 0.8, 1\]\]$/);
  });

  test("tfjs's positional form and an options object without style print tf.keras 2's table", () => {
    const positional: string[] = [];
    const options: string[] = [];
    call(undefined, undefined, (l: unknown) => positional.push(String(l)))();
    call({ printFn: (l: unknown) => options.push(String(l)) })();
    expect(positional[1]).toBe('_'.repeat(65));
    expect(positional).toContain('Total params: 322,080');
    expect(options).toEqual(positional);
  });
});

describe('tfjs-recurrent summary --style keras3', () => {
  const scratch = scratchDir('tfjs-recurrent-summary3-');

  /** What `tfjs-recurrent summary ...args` prints on stdout and stderr, with COLUMNS at 80 (no terminal). */
  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((l) => void out.push(`${String(l)}\n`));
    const error = jest.spyOn(console, 'error').mockImplementation((l) => void err.push(`${String(l)}\n`));
    const saved = process.env.COLUMNS;
    process.env.COLUMNS = '80';
    try {
      const code = await main(['summary', ...args]);
      return { code, out: out.join(''), err: err.join('') };
    } finally {
      log.mockRestore();
      error.mockRestore();
      if (saved === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = saved;
    }
  }

  test.each([
    ['lesson_lstm', 0, []],
    ['two_inputs', 1, ['--show-trainable']],
    ['long_names', 1, ['--line-length', '40']],
    ['nested_chain', 2, ['--expand-nested', '--show-trainable']],
  ] as const)('a saved %s prints what Keras 3 prints for the model (variant #%i)', async (name, variant, flags) => {
    const c = CASES.find((x) => x.name === name)!;
    const model = makeModel(c.model);
    const dir = path.join(scratch(), name);
    await model.save(`file://${dir}`);
    model.dispose();
    const r = await cli(dir, '--style', 'keras3', ...flags);
    expect(r).toEqual({ code: 0, out: FIXTURE.cases.find((f) => f.name === name)!.variants[variant].text, err: '' });
  });

  test.each(FIXTURE.files.map((f) => [f.file, JSON.stringify(f.options), f] as const))("Keras 3's own %s prints what Keras 3 prints for it, %s", async (_f, _o, f) => {
    const r = await cli(path.join(__dirname, '../..', f.file), '--style', 'keras3', ...(f.options.showTrainable ? ['--show-trainable'] : []));
    expect(r).toEqual({ code: 0, out: f.text, err: '' });
  });

  test('--show-trainable and --expand-nested need --style keras3', async () => {
    const r = await cli(path.join(scratch(), 'lesson_lstm'), '--expand-nested');
    expect(r).toEqual({ code: 1, out: '', err: 'error: summary: --expand-nested needs --style keras3, got --style keras2\n' });
  });
});

describe("a model's summary() takes the options", () => {
  test.each(['lesson_lstm', 'nested_branches'])('%s: model.summary(options) prints what printSummary(model, options) prints', (name) => {
    const c = CASES.find((x) => x.name === name)!;
    const model = makeModel(c.model);
    const variant = FIXTURE.cases.find((f) => f.name === name)!.variants[1];
    const lines: string[] = [];
    const saved = process.env.COLUMNS;
    process.env.COLUMNS = '80';
    try {
      model.summary({ style: 'keras3', ...variant.options, printFn: (l: unknown) => lines.push(`${String(l)}\n`) } as lib.SummaryOptions);
    } finally {
      if (saved === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = saved;
    }
    expect(lines.join('')).toBe(variant.text);
    expect(() => model.summary({ style: 'keras3', showTrainable: 1 } as unknown as lib.SummaryOptions)).toThrow(/^summary: showTrainable must be true or false, got 1$/);
    model.dispose();
  });
});

test("the guide's Keras 3 summary is what this package prints (and Keras 3 does)", () => {
  const guide = fs.readFileSync(path.join(__dirname, '../../docs/guide.md'), 'utf8');
  const section = guide.slice(guide.indexOf('### Summaries'));
  const block = /```\n(Model: [\s\S]*?)```/.exec(section)![1];
  const variant = FIXTURE.cases.find((f) => f.name === 'lesson_simple_rnn')!.variants[1];
  expect(variant.options).toEqual({ showTrainable: true });
  expect(block).toBe(variant.text);
});
