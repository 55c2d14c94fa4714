/**
 * The models of the saveKeras fixtures (issue 17), shared by
 * make_keras_export.py (through node and the built dist/) and
 * test/interop/export_keras.test.ts (through src/): `cases(lib)` builds each
 * with seeded weights from a plain PRNG (the same on every backend), and gives
 * its input.
 */
'use strict';

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every weight of the model, biases too, uniform in [-0.6, 0.6). */
function seedWeights(lib, model, seed) {
  const next = prng(seed);
  for (const layer of model.layers) {
    const ws = layer.getWeights().map((w) => lib.tf.tensor(Float32Array.from({ length: w.size }, () => next() * 1.2 - 0.6), w.shape));
    layer.setWeights(ws);
    lib.tf.dispose(ws);
  }
  return model;
}

/** Padding in front (as the demo pads), behind, in holes, none, and only padding. */
const IDS = [
  [0, 0, 0, 4, 12, 7, 3],
  [5, 9, 2, 0, 0, 0, 0],
  [0, 8, 0, 11, 0, 6, 1],
  [3, 14, 15, 9, 2, 6, 19],
  [0, 0, 0, 0, 0, 0, 0],
];

/**
 * Subword bags [5, 7, 25] of ids < 50 for a vocabulary of 20 and 30 buckets, one text per row of IDS: a word
 * w becomes [w, its n-gram buckets (20 + ...), 0, ...] with 0 to 24 n-grams; an empty step, an all-padding
 * text, a bag of only n-grams (an unknown word), and a bag with one id repeated.
 */
const BAGS = (() => {
  const next = prng(7);
  return IDS.map((row, b) => row.map((w, t) => {
    const bag = new Array(25).fill(0);
    if (w === 0) return bag;
    const onlyNgrams = b === 2 && t === 1;
    const n = Math.max(onlyNgrams ? 1 : 0, Math.floor(next() * 25));
    for (let k = 1; k <= n && k < 25; k++) bag[k] = 20 + Math.floor(next() * 30);
    bag[0] = onlyNgrams ? 0 : w;
    if (b === 3 && t === 2) bag.fill(w, 0, 4); //              one id four times
    return bag;
  }));
})();

/** Float sequences [4, 6, 3] with padding rows of 0: in front, behind, in holes, and a sequence of padding only. */
function padded(seed) {
  const x = floats(seed, 4, 6, 3);
  const pad = [[0, 1], [4, 5], [1, 3], [0, 1, 2, 3, 4, 5]];
  pad.forEach((ts, b) => ts.forEach((t) => x[b][t].fill(0)));
  return x;
}

function floats(seed, B, T, D) {
  const next = prng(seed);
  return Array.from({ length: B }, () => Array.from({ length: T }, () => Array.from({ length: D }, () => next() * 2 - 1)));
}

/**
 * `demo` is the sentiment app's `{ buildClassifier, DEFAULTS }` (src/sentiment/model.ts and options.ts, or
 * their build in dist/): the demo's own models, built by its own code.
 */
function cases(lib, demo) {
  const { tf, Sequential, Functional, Masking, TimeDistributed, Embedding, EmbeddingBag, Bidirectional, LSTM, GRU, SimpleRNN, Dense, Dropout, GlobalAveragePooling1D, GlobalMaxPooling1D } = lib;
  const { RNN, GRUCell, SimpleRNNCell, regularizers, constraints } = lib;
  return [
    {
      name: 'seq_emb_bilstm_sum_gru',
      description: 'Sequential: Embedding(20, 5, mask_zero) → Bidirectional(LSTM(4, return_sequences), sum) → GRU(3) → Dense(1, sigmoid); masked ids',
      inputDtype: 'int32',
      input: IDS,
      build() {
        const m = new Sequential({ name: 'seq_emb' });
        m.add(new Embedding({ inputDim: 20, outputDim: 5, maskZero: true, inputShape: [7] }));
        m.add(new Bidirectional({ layer: new LSTM({ units: 4, returnSequences: true }), mergeMode: 'sum' }));
        m.add(new GRU({ units: 3 }));
        m.add(new Dense({ units: 1, activation: 'sigmoid' }));
        return seedWeights(lib, m, 1);
      },
    },
    {
      name: 'seq_float_gru_before_rnn_back',
      description: 'Sequential on floats [3, 6, 4]: GRU(5, reset_after=False, hard_sigmoid gates, return_sequences) → SimpleRNN(3, relu, go_backwards, return_sequences) → GlobalMaxPooling1D → Dropout → Dense(3, softmax)',
      inputDtype: 'float32',
      input: floats(2, 3, 6, 4),
      build() {
        const m = new Sequential({ name: 'seq_float' });
        m.add(new GRU({ units: 5, resetAfter: false, recurrentActivation: 'hard_sigmoid', returnSequences: true, inputShape: [null, 4] }));
        m.add(new SimpleRNN({ units: 3, activation: 'relu', goBackwards: true, returnSequences: true }));
        m.add(new GlobalMaxPooling1D());
        m.add(new Dropout({ rate: 0.3 }));
        m.add(new Dense({ units: 3, activation: 'softmax' }));
        return seedWeights(lib, m, 2);
      },
    },
    {
      name: 'func_sentiment_demo',
      description: "Functional, the sentiment demo's model (--no-subwords): ids → Embedding(20, 6, mask_zero) → [Bidirectional(LSTM(4)), GlobalAveragePooling1D] → Concatenate → Dropout → Dense(1, sigmoid)",
      inputDtype: 'int32',
      // Not the row of padding only: Keras's GlobalAveragePooling1D divides 0 by 0 there (NaN), ours gives 0.
      input: IDS.slice(0, 4),
      build() {
        const x = tf.input({ shape: [7], dtype: 'int32', name: 'ids' });
        const e = new Embedding({ inputDim: 20, outputDim: 6, maskZero: true }).apply(x);
        const r = new Bidirectional({ layer: new LSTM({ units: 4, dropout: 0.5 }) }).apply(e);
        const a = new GlobalAveragePooling1D().apply(e);
        const c = tf.layers.concatenate({ name: 'concatenate' }).apply([r, a]);
        const y = new Dense({ units: 1, activation: 'sigmoid' }).apply(new Dropout({ rate: 0.5 }).apply(c));
        return seedWeights(lib, new Functional({ inputs: x, outputs: y, name: 'sentiment' }), 3);
      },
    },
    {
      name: 'seq_bag_gru',
      description: 'Sequential on subword bags [7, 25]: EmbeddingBag(50, 4, mask_zero) → GRU(3) → Dense(2, softmax), written as a functional model; empty steps, an all-padding text',
      inputDtype: 'int32',
      input: BAGS,
      build() {
        const m = new Sequential({ name: 'seq_bag' });
        m.add(new EmbeddingBag({ inputDim: 50, outputDim: 4, maskZero: true, inputShape: [7, 25] }));
        m.add(new GRU({ units: 3 }));
        m.add(new Dense({ units: 2, activation: 'softmax' }));
        return seedWeights(lib, m, 8);
      },
    },
    {
      name: 'func_sentiment_default',
      description: "Functional, the sentiment demo's default model: subword bags [7, 25] → EmbeddingBag(50, 32, mask_zero) → [Bidirectional(LSTM(16)), its masked mean over time] → Concatenate → Dropout → Dense(1, sigmoid); empty steps, an all-padding text, a bag of n-grams only",
      inputDtype: 'int32',
      input: BAGS,
      build() {
        return seedWeights(lib, demo.buildClassifier({ ...demo.DEFAULTS, out: '', maxlen: 7, subwordBuckets: 30 }, 20), 6);
      },
    },
    {
      name: 'func_sentiment_wide',
      description: "Functional, the demo's --wide --no-subwords model: Embedding(20, 32, mask_zero) → [Bidirectional(LSTM(16)), GlobalAveragePooling1D] → Concatenate → Dropout → Dense(1) plus WordCountLogit(20, scale 10) → Add → sigmoid",
      inputDtype: 'int32',
      // Not the row of padding only: Keras's GlobalAveragePooling1D over an Embedding's mask divides 0 by 0 there.
      input: IDS.slice(0, 4),
      build() {
        return seedWeights(lib, demo.buildClassifier({ ...demo.DEFAULTS, out: '', maxlen: 7, subwords: false, wide: true, wideLearningRate: 0.03 }, 20), 7);
      },
    },
    {
      name: 'seq_masking_lstm_tagger',
      description: 'Sequential on padded floats [6, 3]: Masking(0) → LSTM(4, return_sequences) → TimeDistributed(Dense(2, softmax)); padding rows in front, behind, in holes, a sequence of padding only',
      inputDtype: 'float32',
      input: padded(9),
      build() {
        const m = new Sequential({ name: 'tagger' });
        m.add(new Masking({ maskValue: 0, inputShape: [6, 3] }));
        m.add(new LSTM({ units: 4, returnSequences: true }));
        m.add(new TimeDistributed({ layer: new Dense({ units: 2, activation: 'softmax' }) }));
        return seedWeights(lib, m, 9);
      },
    },
    {
      name: 'func_masking_bigru_pool',
      description: 'Functional on padded floats [6, 3]: Masking(-1) → TimeDistributed(Dense(5, tanh)) (the mask goes on) → Bidirectional(GRU(3)); the masked mean over time of the input → Concatenate → Dense(1); not the sequence of padding only (Keras divides 0 by 0 there)',
      inputDtype: 'float32',
      input: padded(10).slice(0, 3).map((s) => s.map((r) => (r.every((v) => v === 0) ? r.map(() => -1) : r))),
      build() {
        const x = tf.input({ shape: [6, 3], name: 'series' });
        const m = new Masking({ maskValue: -1 }).apply(x);
        const t = new TimeDistributed({ layer: new Dense({ units: 5, activation: 'tanh' }) }).apply(m);
        const r = new Bidirectional({ layer: new GRU({ units: 3 }) }).apply(t);
        const a = new GlobalAveragePooling1D().apply(m);
        const c = tf.layers.concatenate({ name: 'concatenate' }).apply([r, a]);
        return seedWeights(lib, new Functional({ inputs: x, outputs: new Dense({ units: 1 }).apply(c), name: 'masked' }), 10);
      },
    },
    {
      name: 'func_two_heads_merges',
      description: 'Functional, three outputs: Embedding(20, 5, mask_zero) → LSTM(4, return_sequences) → [Bidirectional(GRU(3), ave) → Dense(2)], [Bidirectional(SimpleRNN(3), mul) → Dense(1)], [Bidirectional(LSTM(2, return_sequences), concat)]',
      inputDtype: 'int32',
      input: IDS,
      build() {
        const x = tf.input({ shape: [7], dtype: 'int32', name: 'ids' });
        const e = new Embedding({ inputDim: 20, outputDim: 5, maskZero: true }).apply(x);
        const s = new LSTM({ units: 4, returnSequences: true }).apply(e);
        const a = new Dense({ units: 2 }).apply(new Bidirectional({ layer: new GRU({ units: 3 }), mergeMode: 'ave' }).apply(s));
        const b = new Dense({ units: 1, activation: 'tanh' }).apply(new Bidirectional({ layer: new SimpleRNN({ units: 3 }), mergeMode: 'mul' }).apply(s));
        const c = new Bidirectional({ layer: new LSTM({ units: 2, returnSequences: true }) }).apply(s);
        return seedWeights(lib, new Functional({ inputs: x, outputs: [a, b, c], name: 'two_heads' }), 4);
      },
    },
    {
      name: 'func_states_bi_null',
      description: 'Functional, four outputs: Embedding(20, 5, mask_zero) → LSTM(4, return_sequences, return_state) → its h and c, and Bidirectional(GRU(3, return_sequences), merge_mode=None) of its sequence → both directions',
      inputDtype: 'int32',
      input: IDS,
      build() {
        const x = tf.input({ shape: [7], dtype: 'int32', name: 'ids' });
        const e = new Embedding({ inputDim: 20, outputDim: 5, maskZero: true }).apply(x);
        const [y, h, c] = new LSTM({ units: 4, returnSequences: true, returnState: true }).apply(e);
        const both = new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true }), mergeMode: null }).apply(y);
        return seedWeights(lib, new Functional({ inputs: x, outputs: [h, c, ...both], name: 'states' }), 5);
      },
    },
    {
      name: 'seq_penalties_ids',
      description: "Sequential with every kind of regularizer and constraint: Embedding(20, 5, mask_zero; embeddings L2, MaxNorm(axis 1), activity L1) → Bidirectional(LSTM(4, return_sequences; kernel L1L2, recurrent UnitNorm, bias NonNeg, activity L2), sum; its own activity L1) → RNN([GRUCell(3; recurrent L2, kernel MinMaxNorm), SimpleRNNCell(3; bias 'l1')]; activity L2) → Dense(1, sigmoid; kernel 'l2', bias 'max_norm', activity L1L2)",
      inputDtype: 'int32',
      input: IDS,
      penalties: true,
      build() {
        const m = new Sequential({ name: 'seq_penalties' });
        m.add(new Embedding({
          inputDim: 20, outputDim: 5, maskZero: true, inputShape: [7],
          embeddingsRegularizer: regularizers.l2(0.01), embeddingsConstraint: constraints.maxNorm({ maxValue: 1, axis: 1 }), activityRegularizer: regularizers.l1(0.001),
        }));
        m.add(new Bidirectional({
          layer: new LSTM({
            units: 4, returnSequences: true, kernelRegularizer: regularizers.l1l2(0.01, 0.02), recurrentConstraint: constraints.unitNorm(),
            biasConstraint: constraints.nonNeg(), activityRegularizer: regularizers.l2(0.003),
          }),
          mergeMode: 'sum', activityRegularizer: regularizers.l1(0.002),
        }));
        m.add(new RNN({
          cell: [
            new GRUCell({ units: 3, recurrentRegularizer: regularizers.l2(0.01), kernelConstraint: constraints.minMaxNorm({ minValue: 0.5, maxValue: 1.5, rate: 0.5 }) }),
            new SimpleRNNCell({ units: 3, biasRegularizer: 'l1' }),
          ],
          activityRegularizer: regularizers.l2(0.001),
        }));
        m.add(new Dense({ units: 1, activation: 'sigmoid', kernelRegularizer: 'l2', biasConstraint: 'max_norm', activityRegularizer: regularizers.l1l2(0.01, 0) }));
        return seedWeights(lib, m, 11);
      },
    },
    {
      name: 'seq_penalties_bags',
      description: "Sequential on subword bags [7, 25]: EmbeddingBag(50, 4, mask_zero; embeddings L2 and NonNeg, activity L1) → TimeDistributed(Dense(3; kernel L1, bias UnitNorm); activity L2) → GRU(2; kernel MaxNorm, activity L2) → Dense(1), written as a functional model",
      inputDtype: 'int32',
      input: BAGS,
      penalties: true,
      build() {
        const m = new Sequential({ name: 'seq_penalties_bag' });
        m.add(new EmbeddingBag({
          inputDim: 50, outputDim: 4, maskZero: true, inputShape: [7, 25],
          embeddingsRegularizer: regularizers.l2(0.02), embeddingsConstraint: 'non_neg', activityRegularizer: regularizers.l1(0.01),
        }));
        m.add(new TimeDistributed({ layer: new Dense({ units: 3, kernelRegularizer: regularizers.l1(0.01), biasConstraint: 'unit_norm' }), activityRegularizer: regularizers.l2(0.02) }));
        m.add(new GRU({ units: 2, kernelConstraint: constraints.maxNorm(), activityRegularizer: regularizers.l2(0.01) }));
        m.add(new Dense({ units: 1 }));
        return seedWeights(lib, m, 12);
      },
    },
  ];
}

module.exports = { BAGS, cases, seedWeights, prng, IDS };
