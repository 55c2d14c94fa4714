/**
 * Save and load: the config JSON, every weight and the predictions are
 * identical after a round trip through tfjs's model format.
 */
import { tf } from '../../src/tf';
import { Sequential, Embedding, SimpleRNN, LSTM, GRU, Bidirectional, Dense, Dropout, resetNames } from '../../src';
import { onEachBackend } from '../helpers/backends';

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

onEachBackend(() => {
  beforeEach(() => resetNames());

  test('Embedding(maskZero) + Bidirectional(GRU) + LSTM + Dense: config, weights and predictions survive save and load', async () => {
    const model = new Sequential();
    model.add(new Embedding({ inputDim: 50, outputDim: 8, maskZero: true }));
    model.add(new Bidirectional({ layer: new GRU({ units: 6, returnSequences: true }), mergeMode: 'ave' }));
    model.add(new LSTM({ units: 5, unitForgetBias: false, recurrentActivation: 'tanh', goBackwards: true }));
    model.add(new Dropout({ rate: 0.1 }));
    model.add(new Dense({ units: 1, activation: 'sigmoid' }));
    const x = tf.tensor2d([[0, 0, 3, 14, 9], [5, 49, 1, 2, 0]], [2, 5], 'int32');
    const before = (model.predict(x) as tf.Tensor).arraySync();

    const loaded = await roundTrip(model);
    expect(loaded).toBeInstanceOf(Sequential);
    expect(loaded.toJSON(null, false)).toEqual(model.toJSON(null, false));
    expect(loaded.getWeights().map((w) => w.arraySync())).toEqual(model.getWeights().map((w) => w.arraySync()));
    expect((loaded.predict(x) as tf.Tensor).arraySync()).toEqual(before);
    const lines: string[] = [];
    (loaded as Sequential).summary(undefined, undefined, (l) => lines.push(String(l)));
    expect(lines[4]).toBe('embedding (Embedding)        (None, None, 8)           400'.padEnd(65));
  });

  test('a SimpleRNN with a custom initializer and GRU(resetAfter false) round-trip their configs', async () => {
    const model = new Sequential();
    model.add(new SimpleRNN({ units: 3, inputShape: [4, 2], returnSequences: true, kernelInitializer: { className: 'RandomNormal', config: { mean: 0, stddev: 0.3, seed: 1 } } }));
    model.add(new GRU({ units: 2, resetAfter: false, kernelInitializer: tf.initializers.varianceScaling({ scale: 2, mode: 'fanAvg', distribution: 'uniform' }) }));
    const loaded = await roundTrip(model);
    expect(loaded.toJSON(null, false)).toEqual(model.toJSON(null, false));
    const x = tf.randomNormal([3, 4, 2]);
    expect((loaded.predict(x) as tf.Tensor).arraySync()).toEqual((model.predict(x) as tf.Tensor).arraySync());
  });
});
