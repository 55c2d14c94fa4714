/**
 * loadKerasModel of Keras 3 models holding RNNs of cells (test/fixtures/cells/,
 * saved by real Keras 3 through test/reference/make_cells.py as `.keras` and
 * legacy `.h5` files): RNN(LSTMCell); behind Masking a stack of a GRUCell and
 * an LSTMCell, Bidirectional(RNN(SimpleRNNCell)) and RNN(GRUCell(resetAfter
 * false)); Bidirectional of a stack; predicting Keras's outputs to 1e-5. The
 * layers and cells come back as ours, their weights named as Keras names them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../src/tf';
import { unzipSync } from 'fflate';
import { Bidirectional, GRUCell, LSTMCell, RNN, StackedRNNCells, loadKerasModel, resetNames, saveKeras } from '../../src';
import { kerasWeightsLayout } from '../helpers/keras_file';
import { onEachBackend } from '../helpers/backends';
import { maxAbsDiff } from '../helpers/close';
import { scratchDir } from '../helpers/scratch';

interface FileCase {
  name: string;
  description: string;
  input: number[][][];
  output: number[][];
  weightPaths: string[];
  /** What real Keras 3 predicted from this package's saveKeras file of the model (make_cells.py). */
  exported: { output: number[][]; classes: string[]; maxAbsDiff: number };
}
const FILES: FileCase[] = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'cells.json'), 'utf8')).files;
const DIR = path.join(__dirname, '..', 'fixtures', 'cells');

onEachBackend(() => {
  const dir = scratchDir('keras-cells-');
  beforeEach(() => resetNames());

  test.each(FILES.map((c) => [c.name, c] as const))(
    "%s: saveKeras writes it back as Keras saved it (the weights file's layout), and it loads back with the same outputs",
    async (_name, c) => {
      const model = await loadKerasModel(path.join(DIR, c.name, 'model.keras'));
      const file = path.join(dir(), `${c.name}.keras`);
      await saveKeras(model, file);
      expect(await kerasWeightsLayout(file)).toEqual(await kerasWeightsLayout(path.join(DIR, c.name, 'model.keras')));
      const again = await loadKerasModel(file);
      const x = tf.tensor3d(c.input);
      const [y, y2] = [model.predict(x) as tf.Tensor, again.predict(x) as tf.Tensor];
      expect(y2.arraySync()).toEqual(y.arraySync());
      const config = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(fs.readFileSync(file)))['config.json']));
      const classes = JSON.stringify(config).match(/"class_name":"(RNN|StackedRNNCells|LSTMCell|GRUCell|SimpleRNNCell)"/g);
      expect(classes?.length).toBeGreaterThan(0);
      // Real Keras 3 loaded the file saveKeras wrote of this model (make_cells.py), as RNNs of cells, and predicted Keras's outputs.
      expect(c.exported.classes.filter((k) => k === 'RNN' || k === 'Bidirectional').length).toBeGreaterThan(0);
      expect(maxAbsDiff(c.exported.output, y.arraySync() as number[][])).toBeLessThan(1e-5);
      tf.dispose([x, y, y2]);
      model.dispose();
      again.dispose();
    },
  );

  test.each(FILES.flatMap((c) => [[c.name, 'model.keras', c], [c.name, 'model.h5', c]] as Array<[string, string, FileCase]>))(
    '%s/%s loads and predicts what Keras 3 predicts',
    async (_name, file, c) => {
      const model = await loadKerasModel(path.join(DIR, c.name, file));
      const x = tf.tensor3d(c.input);
      const y = model.predict(x) as tf.Tensor;
      expect(maxAbsDiff(y.arraySync() as number[][], c.output)).toBeLessThan(1e-5);
      // A functional model's weights are named as Keras's paths; a Sequential's after the model's name.
      expect(model.weights.map((w) => w.originalName)).toEqual(c.weightPaths.map((p) => p.replace(/^seq_[a-z_]+\//, '')));
      tf.dispose([x, y]);
      model.dispose();
    },
  );

  test('the layers come back as ours: RNN of our cells, a StackedRNNCells, Bidirectional of an RNN', async () => {
    const model = await loadKerasModel(path.join(DIR, 'seq_cells_masked', 'model.keras'));
    const [stack, bi, last] = model.layers.filter((l) => l instanceof RNN || l instanceof Bidirectional) as [RNN, Bidirectional<RNN>, RNN];
    expect(stack.cell).toBeInstanceOf(StackedRNNCells);
    expect((stack.cell as StackedRNNCells).cells.map((c) => c.constructor)).toEqual([GRUCell, LSTMCell]);
    expect(stack.returnSequences).toBe(true);
    expect(bi.forwardLayer).toBeInstanceOf(RNN);
    expect(bi.forwardLayer.returnSequences).toBe(true);
    expect((last.cell as GRUCell).resetAfter).toBe(false);
    model.dispose();
  });
});
