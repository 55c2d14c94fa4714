/**
 * The sentiment network: word vectors (or subword bags) → a recurrent layer
 * → [pooling] → [beside the mean word vector] → Dropout → Dense → p, compiled
 * with binary cross-entropy and an Adam whose rate a schedule can change.
 */
import { tf } from '../tf';
import { Sequential } from '../model/sequential';
import { Functional } from '../model/functional';
import { Embedding } from '../layers/embedding';
import { EmbeddingBag } from '../layers/embedding_bag';
import { LSTM } from '../layers/lstm';
import { GRU } from '../layers/gru';
import { SimpleRNN } from '../layers/simple_rnn';
import { Bidirectional } from '../layers/bidirectional';
import { Dense } from '../layers/dense';
import { Dropout } from '../layers/dropout';
import { GlobalAveragePooling1D, GlobalMaxPooling1D } from '../layers/pooling';
import { RecurrentLayer } from '../layers/rnn';
import { SentimentOptions, checkCombination } from './options';
import { inputShape } from './encode';
import { WordCountLogit } from './wide';
import { ScheduledAdam } from './adam';

/** Seeded initializers, so a run is repeatable for a given --seed. */
const seeded = (className: string, seed: number, config: Record<string, unknown> = {}) => ({ className, config: { ...config, seed } });

/** The recurrent layer of `o.cell`, seeded; the `bi` cells wrap it in Bidirectional. It returns sequences for a pooling. */
function recurrent(o: SentimentOptions): tf.layers.Layer {
  let k = 0;
  const make = (returnSequences = false): RecurrentLayer => {
    k += 10;
    const args = {
      units: o.units,
      returnSequences,
      // Input dropout inside the recurrent layer: one mask per sequence, so
      // whole word-vector features are dropped at every step.
      dropout: o.dropout,
      seed: o.seed + k,
      kernelInitializer: seeded('GlorotUniform', o.seed + k + 1),
      recurrentInitializer: seeded('Orthogonal', o.seed + k + 2, { gain: 1 }),
    };
    if (o.cell === 'lstm' || o.cell === 'bilstm') return new LSTM(args);
    if (o.cell === 'gru' || o.cell === 'bigru') return new GRU(args);
    return new SimpleRNN(args);
  };
  const seqs = o.pooling !== 'last';
  return o.cell.startsWith('bi') ? new Bidirectional({ layer: make(seqs) }) : make(seqs);
}

/**
 * The classifier: Embedding(maskZero) → recurrent layer (with input dropout) → [pooling over time]
 * → Dropout → Dense(1, sigmoid). With `averageEmbeddings`, the mean of the word vectors over the
 * real words is concatenated to the recurrent features before the Dropout (a functional model).
 * With `wide`, the Dense layer gives a logit, to which the bag-of-words logit of
 * `WordCountLogit` is added before the sigmoid: p = σ(z_rnn + Σ_t m_t w[ids_t]).
 * With `subwords`, an EmbeddingBag over [maxlen, 25] bags (`subwordBags`) stands for the
 * Embedding: each word's vector is the mean of its own row and its character n-grams' rows.
 */
export function buildClassifier(o: SentimentOptions, vocabularySize: number): tf.LayersModel {
  checkCombination(o);
  const embeddingArgs = { outputDim: o.embeddingDim, maskZero: true, embeddingsInitializer: seeded('RandomUniform', o.seed, { minval: -0.05, maxval: 0.05 }) };
  // With subwords, each step is a bag [word id, V + n-gram buckets...] whose vectors are averaged.
  const embedding = o.subwords
    ? new EmbeddingBag({ inputDim: vocabularySize + o.subwordBuckets, ...embeddingArgs })
    : new Embedding({ inputDim: vocabularySize, ...embeddingArgs });
  const pooling = o.pooling === 'max' ? [new GlobalMaxPooling1D()] : o.pooling === 'avg' ? [new GlobalAveragePooling1D()] : [];
  const head = [
    new Dropout({ rate: o.dropout, seed: o.seed + 3 }),
    new Dense({ units: 1, activation: o.wide ? 'linear' : 'sigmoid', kernelInitializer: seeded('GlorotUniform', o.seed + 4) }),
  ];
  let model: tf.LayersModel;
  if (!o.averageEmbeddings && !o.wide) {
    const seq = new Sequential({ name: 'sentiment' });
    [embedding, recurrent(o), ...pooling, ...head].forEach((l) => seq.add(l));
    model = seq;
  } else {
    const ids = tf.input({ shape: inputShape(o), dtype: 'int32', name: 'ids' });
    const e = embedding.apply(ids) as tf.SymbolicTensor; //                        [B, T, E] (+ mask)
    let c = [recurrent(o), ...pooling].reduce((x, l) => l.apply(x) as tf.SymbolicTensor, e); // [B, H] or [B, 2H]
    if (o.averageEmbeddings) {
      const a = new GlobalAveragePooling1D().apply(e) as tf.SymbolicTensor; //     [B, E]: Σ_t m_t e_t / Σ_t m_t
      c = tf.layers.concatenate({ name: 'concatenate' }).apply([c, a]) as tf.SymbolicTensor; //       [B, H + E]
    }
    let y = head.reduce((x, l) => l.apply(x) as tf.SymbolicTensor, c); //              [B, 1]: p, or the logit z_rnn with wide
    if (o.wide) {
      const s = new WordCountLogit({ inputDim: vocabularySize, l2: o.wideL2, scale: o.wideLearningRate / o.learningRate }).apply(ids) as tf.SymbolicTensor; // [B, 1]: Σ_t m_t w[ids_t]
      const z = tf.layers.add({ name: 'add' }).apply([y, s]) as tf.SymbolicTensor; //                          [B, 1]
      y = tf.layers.activation({ activation: 'sigmoid', name: 'sigmoid' }).apply(z) as tf.SymbolicTensor; //    [B, 1]: p = σ(z)
    }
    model = new Functional({ inputs: ids, outputs: y, name: 'sentiment' });
  }
  model.compile({ optimizer: new ScheduledAdam(o.learningRate), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}
