/**
 * Bad input gets a clear error naming the layer, the argument, what was
 * expected and what was received, thrown before any tensor work.
 */
import { tf } from '../src/tf';
import {
  SimpleRNN, LSTM, GRU, Bidirectional, Embedding, Dense, Dropout, Sequential, GlobalMaxPooling1D,
  Tokenizer, padSequences, withGradientClipping, loadModel,
  RecurrentConfigError, RecurrentInputError, setBackend, resetNames,
} from '../src';

const built = <T extends tf.layers.Layer>(layer: T, shape: Array<number | null>): T => {
  layer.build(shape);
  return layer;
};

const CASES: Array<[string, () => unknown, RegExp, typeof RecurrentConfigError | typeof RecurrentInputError]> = [
  ['LSTM on a rank-2 input', () => new LSTM({ units: 4 }).apply(tf.zeros([32, 10])), /^LSTM expects input of rank 3 \[batch, time, features\], got shape \[32, 10\]/, RecurrentInputError],
  ['GRU on a rank-4 symbolic input', () => new GRU({ units: 4 }).apply(tf.input({ shape: [3, 4, 5] })), /^GRU expects input of rank 3 \[batch, time, features\], got shape \[null, 3, 4, 5\]/, RecurrentInputError],
  ['a layer name with a slash', () => new Dense({ units: 2, name: 'b/forward_lstm' }), /^Dense: name must be a non-empty string of letters, digits, '_', '\.' and '-' starting with a letter or digit \(no '\/', which separates weight names\), got 'b\/forward_lstm'$/, RecurrentConfigError],
  ['a layer name with a space', () => new LSTM({ units: 2, name: 'my lstm' }), /^LSTM: name must be .*got 'my lstm'$/, RecurrentConfigError],
  ['a layer name with an emoji', () => new GRU({ units: 2, name: 'gru\u{1F600}' }), /^GRU: name must be .*got 'gru\u{1F600}'$/u, RecurrentConfigError],
  ['an empty layer name', () => new Embedding({ inputDim: 3, outputDim: 2, name: '' }), /^Embedding: name must be .*got ''$/, RecurrentConfigError],
  ['a Bidirectional name with a slash', () => new Bidirectional({ layer: new LSTM({ units: 2 }), name: 'a/b' }), /^Bidirectional: name must be .*got 'a\/b'$/, RecurrentConfigError],
  ['units 0', () => new LSTM({ units: 0 }), /^LSTM: units must be a positive integer, got 0$/, RecurrentConfigError],
  ['units 2.5', () => new SimpleRNN({ units: 2.5 }), /^SimpleRNN: units must be a positive integer, got 2\.5$/, RecurrentConfigError],
  ['units as a string', () => new GRU({ units: '8' as unknown as number }), /^GRU: units must be a positive integer, got '8'$/, RecurrentConfigError],
  ['no options', () => new (LSTM as unknown as new () => LSTM)(), /^LSTM: expects an options object such as \{ units: 32 \}, got undefined$/, RecurrentConfigError],
  ['an unknown activation', () => new LSTM({ units: 2, activation: 'hardSigmoid' }), /^LSTM: activation must be one of 'linear', 'tanh', 'sigmoid'.*got 'hardSigmoid'$/, RecurrentConfigError],
  ['an unknown recurrentActivation', () => new GRU({ units: 2, recurrentActivation: 'sigmod' }), /^GRU: recurrentActivation must be one of .*got 'sigmod'$/, RecurrentConfigError],
  ['an unknown initializer', () => new SimpleRNN({ units: 2, kernelInitializer: 'glorot' }), /^SimpleRNN: kernelInitializer must be an initializer name .*got 'glorot'$/, RecurrentConfigError],
  ['dropout 1.5', () => new LSTM({ units: 2, dropout: 1.5 }), /^LSTM: dropout must be a number in \[0, 1\), got 1\.5$/, RecurrentConfigError],
  ['recurrentDropout NaN', () => new GRU({ units: 2, recurrentDropout: NaN }), /^GRU: recurrentDropout must be a number in \[0, 1\), got NaN$/, RecurrentConfigError],
  ['returnSequences "yes"', () => new LSTM({ units: 2, returnSequences: 'yes' as unknown as boolean }), /^LSTM: returnSequences must be a boolean, got 'yes'$/, RecurrentConfigError],
  ['an unknown mergeMode', () => new Bidirectional({ layer: new LSTM({ units: 2 }), mergeMode: 'max' as never }), /^Bidirectional: mergeMode must be one of 'concat', 'sum', 'mul', 'ave' or null, got 'max'$/, RecurrentConfigError],
  ['Bidirectional around a Dense', () => new Bidirectional({ layer: new Dense({ units: 2 }) as never }), /^Bidirectional: layer must be a SimpleRNN, LSTM, GRU or RNN of tfjs-recurrent, got Dense$/, RecurrentConfigError],
  ['a backwardLayer going the same way', () => new Bidirectional({ layer: new LSTM({ units: 2 }), backwardLayer: new LSTM({ units: 2 }) }), /^Bidirectional: backwardLayer must have goBackwards opposite to layer's \(true\), got false$/, RecurrentConfigError],
  ['setWeights with a transposed recurrent kernel', () => built(new LSTM({ units: 6 }), [null, 4, 5]).setWeights([tf.zeros([5, 24]), tf.zeros([24, 6]), tf.zeros([24])]), /setWeights: recurrentKernel must have shape \[6, 24\], got \[24, 6\]$/, RecurrentInputError],
  ['setWeights with too few arrays', () => built(new GRU({ units: 2 }), [null, 4, 3]).setWeights([tf.zeros([3, 6])]), /setWeights expects 3 arrays \[kernel, recurrentKernel, bias\], got 1$/, RecurrentInputError],
  ['setWeights with a GRU bias in the wrong mode', () => built(new GRU({ units: 2 }), [null, 4, 3]).setWeights([tf.zeros([3, 6]), tf.zeros([2, 6]), tf.zeros([6])]), /setWeights: bias must have shape \[2, 6\], got \[6\]$/, RecurrentInputError],
  ['setWeights on an Embedding of another size', () => new Embedding({ inputDim: 10, outputDim: 3 }).setWeights([tf.zeros([3, 10])]), /^Embedding \(layer 'embedding'\): setWeights: embeddings must have shape \[10, 3\], got \[3, 10\]$/, RecurrentInputError],
  ['input features different from the build', () => { const l = built(new SimpleRNN({ units: 2 }), [null, 4, 3]); return l.apply(tf.zeros([1, 4, 5])); }, /^SimpleRNN was built for 3 input features, got shape \[1, 4, 5\]/, RecurrentInputError],
  ['an initial state of the wrong count', () => new LSTM({ units: 3 }).apply(tf.zeros([2, 4, 5]), { initialState: [tf.zeros([2, 3])] }), /initialState must be a list of 2 tensor\(s\) \[h, c\] of shape \[batch, 3\], got 1$/, RecurrentInputError],
  ['an initial state of the wrong shape', () => new GRU({ units: 3 }).apply(tf.zeros([2, 4, 5]), { initialState: [tf.zeros([2, 4])] }), /initialState\[0\] must have shape \[2, 3\], got shape \[2, 4\]$/, RecurrentInputError],
  ['a Bidirectional initial state of the wrong count', () => new Bidirectional({ layer: new LSTM({ units: 3 }) }).apply(tf.zeros([2, 4, 5]), { initialState: [tf.zeros([2, 3]), tf.zeros([2, 3])] }), /^Bidirectional \(layer 'bidirectional'\): initialState must be 4 tensors \(forward states, then backward states\), got 2$/, RecurrentInputError],
  ['a Bidirectional initial state holding a number', () => new Bidirectional({ layer: new GRU({ units: 3 }) }).apply(tf.zeros([2, 4, 5]), { initialState: [tf.zeros([2, 3]), 0 as never] }), /^Bidirectional \(layer 'bidirectional'\): initialState must hold tensors \[batch, 3\], got \['Tensor', 'number'\]$/, RecurrentInputError],
  ['a mask of the wrong shape', () => new LSTM({ units: 3 }).apply(tf.zeros([2, 4, 5]), { mask: tf.ones([2, 5], 'bool') }), /^LSTM expects a mask of shape \[batch, time\] = \[2, 4\], got shape \[2, 5\]/, RecurrentInputError],
  ['stateful without a batch size', () => new Sequential({ layers: [new LSTM({ units: 3, stateful: true, inputShape: [4, 5] })] }), /LSTM \(layer 'lstm'\): stateful requires a fixed batch size: give batchInputShape \(e\.g\. \[32, 10, 5\]\) or batchSize, got batch dimension null$/, RecurrentConfigError],
  ['resetStates on a layer that is not stateful', () => new GRU({ units: 2 }).resetStates(), /resetStates needs a stateful layer; construct it with stateful: true$/, RecurrentConfigError],
  ['Embedding with outputDim -1', () => new Embedding({ inputDim: 10, outputDim: -1 }), /^Embedding: outputDim must be a positive integer, got -1$/, RecurrentConfigError],
  ['Dense with units Infinity', () => new Dense({ units: Infinity }), /^Dense: units must be a positive integer, got Infinity$/, RecurrentConfigError],
  ['Dropout without a rate', () => new Dropout({} as never), /^Dropout: rate must be a number in \[0, 1\), got undefined$/, RecurrentConfigError],
  ['a first layer without an input shape', () => new Sequential().add(new LSTM({ units: 2 })), /^Sequential\.add: the first layer needs an input shape/, RecurrentConfigError],
  ['adding something that is not a layer', () => new Sequential().add({} as never), /^Sequential\.add: layer must be a Layer/, RecurrentConfigError],
  ['summary of an empty model', () => new Sequential().summary(), /^summary: model 'sequential' has no layers yet/, RecurrentConfigError],
  ['summary with a bad lineLength', () => new Sequential({ layers: [new Dense({ units: 1, inputShape: [2] })] }).summary(-1), /^summary: lineLength must be a positive integer, got -1$/, RecurrentConfigError],
  ['a misspelt option', () => new LSTM({ units: 2, returnSequence: true } as never), /^LSTM: unknown option 'returnSequence' \(did you mean 'returnSequences'\?\); known options: /, RecurrentConfigError],
  ['an Embedding id past inputDim', () => new Embedding({ inputDim: 5, outputDim: 2 }).apply(tf.tensor2d([[1, 5]], [1, 2], 'int32')), /^Embedding expects ids in \[0, inputDim\) = \[0, 5\), got 5 \(layer 'embedding'\)$/, RecurrentInputError],
  ['a negative Embedding id', () => new Embedding({ inputDim: 5, outputDim: 2 }).apply(tf.tensor2d([[-1, 2]], [1, 2], 'int32')), /^Embedding expects ids in \[0, inputDim\) = \[0, 5\), got -1/, RecurrentInputError],
  ['a backwardLayer of another size', () => new Bidirectional({ layer: new LSTM({ units: 3 }), backwardLayer: new LSTM({ units: 5, goBackwards: true }) }), /^Bidirectional: backwardLayer must have the same units and state as layer \(LSTM with 3 units\), got LSTM with 5 units$/, RecurrentConfigError],
  ['a Bidirectional on a rank-2 input', () => new Bidirectional({ layer: new GRU({ units: 2 }) }).apply(tf.zeros([3, 4])), /^Bidirectional expects input of rank 3 \[batch, time, features\], got shape \[3, 4\] \(layer 'bidirectional'\)$/, RecurrentInputError],
  ['a sequence of zero steps', () => new SimpleRNN({ units: 2 }).apply(tf.zeros([2, 0, 3])), /^SimpleRNN expects at least one sequence of at least one time step, got shape \[2, 0, 3\]/, RecurrentInputError],
  ['a string input', () => new SimpleRNN({ units: 2 }).apply(tf.tensor([[['a']]])), /^SimpleRNN expects a numeric input, got dtype string/, RecurrentInputError],
  ['Dense on a rank-1 input', () => new Dense({ units: 2 }).apply(tf.zeros([3])), /^Dense expects input of rank >= 2 \[batch, \.\.\., features\] with known features, got shape \[3\]/, RecurrentInputError],
  ['GlobalMaxPooling1D on a rank-2 input', () => new GlobalMaxPooling1D().apply(tf.zeros([3, 4])), /^GlobalMaxPooling1D expects input of rank 3/, RecurrentInputError],
  ['Dropout with seed 1.5', () => new Dropout({ rate: 0.1, seed: 1.5 }), /^Dropout: seed must be an integer, got 1\.5$/, RecurrentConfigError],
  ['LSTM with seed "x"', () => new LSTM({ units: 2, seed: 'x' as never }), /^LSTM: seed must be an integer, got 'x'$/, RecurrentConfigError],
  ['Tokenizer with numWords -3', () => new Tokenizer({ numWords: -3 }), /^Tokenizer: numWords must be a positive integer or null, got -3$/, RecurrentConfigError],
  ['Tokenizer fitted on a string', () => new Tokenizer().fitOnTexts('abc' as never), /^Tokenizer\.fitOnTexts: texts must be an array of strings, got 'abc'$/, RecurrentInputError],
  ['padSequences on an empty batch', () => padSequences([]), /^padSequences: sequences must hold at least one sequence, got an empty batch \[\]$/, RecurrentInputError],
  ['padSequences on a ragged batch with a non-array row', () => padSequences([[1, 2], 3 as never]), /^padSequences: sequences\[1\] must be an array of finite numbers, got 3$/, RecurrentInputError],
  ['padSequences with truncating "middle"', () => padSequences([[1]], { truncating: 'middle' as never }), /^padSequences: truncating must be 'pre' or 'post', got 'middle'$/, RecurrentConfigError],
  ['withGradientClipping with clipvalue 0', () => withGradientClipping(tf.train.sgd(0.1), { clipvalue: 0 }), /^withGradientClipping: clipvalue must be a positive number, got 0$/, RecurrentConfigError],
];

describe('bad input gets a clear error', () => {
  beforeEach(() => resetNames());

  test.each(CASES)('%s', (_name, fn, re, Cls) => {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Cls);
    expect((err as Error).message).toMatch(re);
  });

  describe('Sequential data', () => {
    const model = () => {
      const m = new Sequential({ layers: [new Embedding({ inputDim: 10, outputDim: 2, inputLength: 4 }), new LSTM({ units: 2 }), new Dense({ units: 1 })] });
      m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      return m;
    };
    test.each([
      ['predict on a rank-1 x', (m: Sequential) => m.predict(tf.zeros([4])), /^predict: x must have shape \[null, 4\], got \[4\] \(model 'sequential'\)$/],
      ['predict on a ragged plain array (a regular one is taken, as Keras takes a list)', (m: Sequential) => m.predict([[1, 2, 3, 4], [1]] as never), /^predict \(model 'sequential'\): expects a Tensor or a nested array of numbers, got a ragged array$/],
      ['predict on a plain array of the wrong width', (m: Sequential) => m.predict([[1, 2, 3]]), /^predict: x must have shape \[null, 4\], got \[1, 3\] \(model 'sequential'\)$/],
      ['evaluate with y of another width', (m: Sequential) => m.evaluate(tf.zeros([2, 4]), tf.zeros([2, 3])), /^evaluate: y must have shape \[null, 1\], got \[2, 3\]/],
    ])('%s', (_n, fn, re) => {
      const m = model();
      expect(() => fn(m)).toThrow(RecurrentInputError);
      expect(() => fn(m)).toThrow(re);
    });
    test('fit with x and y of different lengths', async () => {
      await expect(model().fit(tf.zeros([3, 4]), tf.zeros([2, 1]))).rejects.toThrow(/^fit: x and y must hold the same number of examples, got 3 and 2/);
    });
  });

  test('loading a folder without a model', async () => {
    await expect(loadModel('/nonexistent/model')).rejects.toThrow(/^loadModel: no model\.json in \/nonexistent\/model$/);
  });

  test('an unknown backend name', async () => {
    await expect(setBackend('gpu')).rejects.toThrow(/^setBackend: name must be one of 'cpu', 'wasm', 'tensorflow', 'auto', got 'gpu'$/);
  });

  test('a failed setWeights changes nothing', () => {
    const lstm = built(new LSTM({ units: 2 }), [null, 3, 4]);
    const before = lstm.getWeights().map((w) => w.arraySync());
    expect(() => lstm.setWeights([tf.ones([4, 8]), tf.ones([2, 8]), tf.ones([9])])).toThrow(RecurrentInputError);
    expect(lstm.getWeights().map((w) => w.arraySync())).toEqual(before);
  });

  test('errors are thrown before any tensor work', () => {
    const lstm = built(new LSTM({ units: 3 }), [null, 4, 5]);
    const x = tf.zeros([2, 4, 6]);
    const n0 = tf.memory().numTensors;
    expect(() => lstm.apply(x)).toThrow(RecurrentInputError);
    expect(tf.memory().numTensors).toBe(n0);
  });
});
