/**
 * loadKerasModel reads this package's own saved models too (snake_case
 * configs, `tfjs-recurrent>` class names), Sequential and functional.
 */
import { tf } from '../../src/tf';
import { Sequential, Functional, Embedding, LSTM, GRU, Bidirectional, Dense, Dropout, kerasModelFromArtifacts, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved!;
}

onEachBackend(() => {
  beforeEach(() => resetNames());

  test('a saved Sequential comes back as a Sequential with the same predictions', async () => {
    const model = new Sequential();
    model.add(new Embedding({ inputDim: 20, outputDim: 4, maskZero: true, inputLength: 6 }));
    model.add(new Bidirectional({ layer: new GRU({ units: 3 }), mergeMode: 'sum' }));
    model.add(new Dropout({ rate: 0.2 }));
    model.add(new Dense({ units: 2, activation: 'softmax' }));
    const x = tf.tensor2d([[0, 0, 3, 14, 9, 1], [5, 19, 1, 2, 7, 4]], [2, 6], 'int32');
    const loaded = kerasModelFromArtifacts(await artifactsOf(model));
    expect(loaded).toBeInstanceOf(Sequential);
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect((loaded.predict(x) as tf.Tensor).arraySync()).toEqual((model.predict(x) as tf.Tensor).arraySync());
  });

  test('a saved functional model comes back as a Functional, branches and all', async () => {
    const ids = tf.input({ shape: [5], dtype: 'int32', name: 'ids' });
    const e = new Embedding({ inputDim: 10, outputDim: 4 }).apply(ids) as tf.SymbolicTensor;
    const a = new LSTM({ units: 3 }).apply(e) as tf.SymbolicTensor;
    const b = new GRU({ units: 3, resetAfter: false }).apply(e) as tf.SymbolicTensor;
    const model = new Functional({ inputs: ids, outputs: [new Dense({ units: 1 }).apply(a) as tf.SymbolicTensor, b] });
    const x = tf.tensor2d([[1, 2, 3, 4, 5]], [1, 5], 'int32');
    const loaded = kerasModelFromArtifacts(await artifactsOf(model));
    expect(loaded).toBeInstanceOf(Functional);
    const want = (model.predict(x) as tf.Tensor[]).map((t) => t.arraySync());
    expect((loaded.predict(x) as tf.Tensor[]).map((t) => t.arraySync())).toEqual(want);
    const lines: string[] = [];
    loaded.summary(undefined, undefined, (l) => lines.push(String(l)));
    expect(lines[2]).toBe('Layer (type)                    Output Shape         Param #     Connected to                     ');
    expect(lines).toContain('lstm (LSTM)                     (None, 3)            96          embedding[0][0]                  ');
  });
});
