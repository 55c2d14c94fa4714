import { Sequential, Embedding, SimpleRNN, LSTM, GRU, Bidirectional, Dense, resetNames } from '../../src';

/** Captures what summary() prints. */
function capture(model: Sequential, ...args: [number?, number[]?]): string[] {
  const lines: string[] = [];
  model.summary(args[0], args[1], (l) => lines.push(String(l)));
  return lines;
}

// The rows of a tf.keras 2.x Sequential summary are padded with spaces to 65
// characters; the expected texts below are Keras's, column for column.
const R = (s: string) => s.padEnd(65, ' ');
const U = '_'.repeat(65);
const E = '='.repeat(65);
const HEAD = [U, R('Layer (type)                 Output Shape              Param #'), E];
const totals = (t: string) => [`Total params: ${t}`, `Trainable params: ${t}`, 'Non-trainable params: 0', U];

describe('summary() prints what tf.keras 2.x prints', () => {
  beforeEach(() => resetNames());

  test('Embedding(10000, 32) + SimpleRNN(32): 322,080 params', () => {
    const m = new Sequential();
    m.add(new Embedding({ inputDim: 10000, outputDim: 32 }));
    m.add(new SimpleRNN({ units: 32 }));
    expect(capture(m)).toEqual([
      'Model: "sequential"',
      ...HEAD,
      R('embedding (Embedding)        (None, None, 32)          320000'),
      U,
      R('simple_rnn (SimpleRNN)       (None, 32)                2080'),
      E,
      ...totals('322,080'),
    ]);
  });

  test('the same with returnSequences keeps the time axis', () => {
    const m = new Sequential();
    m.add(new Embedding({ inputDim: 10000, outputDim: 32 }));
    m.add(new SimpleRNN({ units: 32, returnSequences: true }));
    expect(capture(m)).toEqual([
      'Model: "sequential"',
      ...HEAD,
      R('embedding (Embedding)        (None, None, 32)          320000'),
      U,
      R('simple_rnn (SimpleRNN)       (None, None, 32)          2080'),
      E,
      ...totals('322,080'),
    ]);
  });

  test('four stacked SimpleRNN(32): 328,320 params, names counted per class', () => {
    const m = new Sequential();
    m.add(new Embedding({ inputDim: 10000, outputDim: 32 }));
    m.add(new SimpleRNN({ units: 32, returnSequences: true }));
    m.add(new SimpleRNN({ units: 32, returnSequences: true }));
    m.add(new SimpleRNN({ units: 32, returnSequences: true }));
    m.add(new SimpleRNN({ units: 32 }));
    expect(capture(m)).toEqual([
      'Model: "sequential"',
      ...HEAD,
      R('embedding (Embedding)        (None, None, 32)          320000'),
      U,
      R('simple_rnn (SimpleRNN)       (None, None, 32)          2080'),
      U,
      R('simple_rnn_1 (SimpleRNN)     (None, None, 32)          2080'),
      U,
      R('simple_rnn_2 (SimpleRNN)     (None, None, 32)          2080'),
      U,
      R('simple_rnn_3 (SimpleRNN)     (None, 32)                2080'),
      E,
      ...totals('328,320'),
    ]);
  });

  test('SimpleRNN(3) with inputShape [2, 10]: 42 params', () => {
    const m = new Sequential();
    m.add(new SimpleRNN({ units: 3, inputShape: [2, 10] }));
    expect(capture(m)).toEqual(['Model: "sequential"', ...HEAD, R('simple_rnn (SimpleRNN)       (None, 3)                 42'), E, ...totals('42')]);
  });

  test('Bidirectional(SimpleRNN(128)) overflows its name column as Keras does: 34,304 params', () => {
    const m = new Sequential();
    m.add(new Bidirectional({ layer: new SimpleRNN({ units: 128, returnSequences: true }), inputShape: [10, 5] }));
    expect(capture(m)).toEqual([
      'Model: "sequential"',
      ...HEAD,
      R('bidirectional (Bidirectional (None, 10, 256)           34304'),
      E,
      ...totals('34,304'),
    ]);
  });

  test.each([
    ['LSTM', () => new LSTM({ units: 32 }), 'lstm (LSTM)                  (None, 32)                8320', '328,320'],
    ['GRU', () => new GRU({ units: 32 }), 'gru (GRU)                    (None, 32)                6336', '326,336'],
    ['GRU resetAfter false', () => new GRU({ units: 32, resetAfter: false }), 'gru (GRU)                    (None, 32)                6240', '326,240'],
  ])('%s(32) after Embedding(10000, 32)', (_n, make, line, total) => {
    const m = new Sequential();
    m.add(new Embedding({ inputDim: 10000, outputDim: 32 }));
    m.add(make());
    expect(capture(m)).toEqual([
      'Model: "sequential"',
      ...HEAD,
      R('embedding (Embedding)        (None, None, 32)          320000'),
      U,
      R(line),
      E,
      ...totals(total),
    ]);
  });

  test('models are named sequential, sequential_1, ...; Dense is dense', () => {
    const a = new Sequential();
    const b = new Sequential();
    b.add(new Dense({ units: 4, inputShape: [3] }));
    expect([a.name, b.name]).toEqual(['sequential', 'sequential_1']);
    expect(capture(b)[4]).toBe(R('dense (Dense)                (None, 4)                 16'));
  });

  test('lineLength and positions change the layout as in Keras', () => {
    const m = new Sequential();
    m.add(new SimpleRNN({ units: 3, inputShape: [2, 10] }));
    const lines = capture(m, 40, [20, 30, 40]);
    expect(lines[1]).toBe('_'.repeat(40));
    // "Output Shape" is cut at column 30 and its last kept character gives way to a space.
    expect(lines[2]).toBe('Layer (type)        Output Sh Param #   ');
    expect(lines[4]).toBe('simple_rnn (SimpleR (None, 3) 42        ');
  });
});
