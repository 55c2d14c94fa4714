/**
 * RNN of our cells against real Keras 3 (test/fixtures/cells.json, made by
 * test/reference/make_cells.py): RNN(LSTMCell), RNN(GRUCell) in both forms,
 * RNN(SimpleRNNCell), stacks of cells and Bidirectional(RNN(...)), with seeded
 * weights: outputs and every final state (unmasked; masked with padding in
 * front, holes and padding behind; from an initial state), the gradients of
 * sum(output ⊙ R), the weight names, parameter counts and the summary. 1e-5.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Bidirectional, Functional, GRUCell, LSTMCell, RNN, RecurrentCell, SimpleRNNCell, printSummary, resetNames, saveKeras } from '../../src';
import { kernelModule } from '../../src/kernels/module';
import { kernelCalls } from '../../src/kernels/sequence';
import { onEachBackend } from '../helpers/backends';
import { expectClose } from '../helpers/close';
import { kerasWeightsLayout } from '../helpers/keras_file';
import { scratchDir } from '../helpers/scratch';

type Nested = number | Nested[];
interface CellSpec { class: 'LSTMCell' | 'GRUCell' | 'SimpleRNNCell'; config: Record<string, unknown> }
interface Call { mask: number[][] | null; initialState: Nested[] | null; outputs: Nested[]; grads?: { R: Nested; dx: Nested; dweights: Nested[] } }
interface Case {
  name: string;
  description: string;
  cells: CellSpec[];
  rnn: Record<string, unknown>;
  bidirectional: { mergeMode: 'concat' | 'sum' | 'mul' | 'ave' } | null;
  x: Nested;
  weights: Nested[];
  weightPaths: string[];
  savedPaths: Array<[string, number[]]>;
  countParams: number;
  summary: { rows: Array<{ name: string; class: string; params: number }>; text: string };
  nStates: number;
  calls: Call[];
}
const CELLS_FIXTURE: { reference: string; cases: Case[] } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'cells.json'), 'utf8'));

const TOL = 1e-5;
const CELL_CLASSES = { LSTMCell, GRUCell, SimpleRNNCell } as const;

/** The case's model, as Keras's: Input [T, D] floats → its one layer, holding Keras's weights. */
function buildCellsCase(c: Case): { model: Functional; layer: RNN | Bidirectional<RNN> } {
  resetNames();
  const X = c.x as number[][][];
  const [T, D] = [X[0].length, X[0][0].length];
  const cells = c.cells.map((s) => new CELL_CLASSES[s.class](s.config as never) as RecurrentCell);
  const rnn = new RNN({ cell: cells.length > 1 ? cells : cells[0], ...c.rnn });
  const layer = c.bidirectional ? new Bidirectional({ layer: rnn, mergeMode: c.bidirectional.mergeMode }) : rnn;
  const input = tf.input({ shape: [T, D], name: 'input_layer' });
  const model = new Functional({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor | tf.SymbolicTensor[], name: 'functional' });
  model.setWeights(c.weights.map((w) => tf.tensor(w as number[])));
  return { model, layer };
}

function callLayer(layer: RNN | Bidirectional<RNN>, x: tf.Tensor, call: Call): tf.Tensor[] {
  const kwargs: Record<string, unknown> = {};
  if (call.mask) kwargs.mask = tf.tensor2d(call.mask, undefined, 'bool');
  if (call.initialState) kwargs.initialState = call.initialState.map((s) => tf.tensor(s as number[]));
  const out = layer.apply(x, kwargs) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

const what = (call: Call) => (call.initialState ? 'masked, from an initial state' : call.mask ? 'masked' : 'unmasked');

onEachBackend(() => {
  const dir = scratchDir('cells-keras-');
  describe.each(CELLS_FIXTURE.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    test('outputs and final states equal Keras 3\'s, unmasked, masked (padding in front, holes, padding behind) and from an initial state', () => {
      const { model, layer } = buildCellsCase(c);
      for (const call of c.calls) {
        tf.tidy(() => {
          const outs = callLayer(layer, tf.tensor(c.x as number[]), call);
          expect(outs.length).toBe(call.outputs.length);
          expect(outs.length).toBe(1 + c.nStates);
          outs.forEach((o, i) => expectClose(o, call.outputs[i], TOL, `${c.name} (${what(call)}) output ${i}`));
        });
      }
      model.dispose();
    });

    test('the gradients of sum(output ⊙ R) equal Keras 3\'s, for the input and every weight (masked call)', () => {
      const { model, layer } = buildCellsCase(c);
      const call = c.calls.find((k) => k.grads)!;
      const { R, dx, dweights } = call.grads!;
      const x = tf.tensor(c.x as number[]);
      const r = tf.tensor(R as number[]);
      const loss = (xx: tf.Tensor) => tf.sum(tf.mul(callLayer(layer, xx, call)[0], r)) as tf.Scalar;
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(() => loss(x), vars);
      vars.forEach((v, i) => expectClose(grads[v.name], dweights[i], TOL, `${c.name} d${model.weights[i].originalName}`));
      const gx = tf.grad((xx: tf.Tensor) => loss(xx))(x);
      expectClose(gx, dx, TOL, `${c.name} dx`);
      tf.dispose([x, r, gx, ...Object.values(grads)]);
      model.dispose();
    });

    test('weights are named as Keras 3 names them (its paths), and the parameter counts are Keras\'s', () => {
      const { model } = buildCellsCase(c);
      expect(model.weights.map((w) => w.originalName)).toEqual(c.weightPaths);
      expect(model.countParams()).toBe(c.countParams);
      expect(model.layers.map((l) => ({ name: l.name, class: l.getClassName().replace(/^.*>/, ''), params: l.countParams() }))).toEqual(c.summary.rows);
      model.dispose();
    });

    test("saveKeras puts the weights where Keras 3's own model.save puts them (model.weights.h5's datasets and shapes)", async () => {
      const { model } = buildCellsCase(c);
      const file = path.join(dir(), `${c.name}.keras`);
      await saveKeras(model, file);
      expect(await kerasWeightsLayout(file)).toEqual([...c.savedPaths].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
      model.dispose();
    });

    test("summary({ style: 'keras3' }) prints Keras 3's table", () => {
      const { model } = buildCellsCase(c);
      const saved = process.env.COLUMNS;
      process.env.COLUMNS = '80';
      const lines: string[] = [];
      try {
        printSummary(model, { style: 'keras3', printFn: (l: unknown) => lines.push(String(l)) });
      } finally {
        if (saved === undefined) delete process.env.COLUMNS;
        else process.env.COLUMNS = saved;
      }
      expect(lines.join('\n').trimEnd()).toBe(c.summary.text.trimEnd());
      model.dispose();
    });
  });

  test('RNN of our cells runs in the kernels, where they are built: one forward call per cell', () => {
    if (!kernelModule()) return;
    for (const c of CELLS_FIXTURE.cases) {
      const { model, layer } = buildCellsCase(c);
      const before = kernelCalls.forward;
      tf.tidy(() => callLayer(layer, tf.tensor(c.x as number[]), c.calls[1]));
      expect(kernelCalls.forward - before).toBe(c.cells.length * (c.bidirectional ? 2 : 1));
      model.dispose();
    }
  });
});
