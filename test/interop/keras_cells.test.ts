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
import { Bidirectional, GRUCell, LSTMCell, RNN, StackedRNNCells, loadKerasModel, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';
import { maxAbsDiff } from '../helpers/close';

interface FileCase { name: string; description: string; input: number[][][]; output: number[][]; weightPaths: string[] }
const FILES: FileCase[] = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'cells.json'), 'utf8')).files;
const DIR = path.join(__dirname, '..', 'fixtures', 'cells');

onEachBackend(() => {
  beforeEach(() => resetNames());

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
