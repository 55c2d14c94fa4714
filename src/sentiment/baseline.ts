/**
 * The baseline: bag-of-words logistic regression, p = σ(x w + b) over a
 * binary word-presence vector x, trained with Adam on the same split.
 */
import { tf } from '../tf';
import { Dense } from '../layers/dense';
import { Sequential } from '../model/sequential';

/** Rows of ids → [n, V] word-presence matrix (id 0 and ids ≥ V ignored). */
export function bagOfWords(seqs: number[][], V: number): tf.Tensor2D {
  const data = new Float32Array(seqs.length * V);
  seqs.forEach((s, i) => s.forEach((id) => { if (id > 0 && id < V) data[i * V + id] = 1; }));
  return tf.tensor2d(data, [seqs.length, V]);
}

export interface BaselineResult {
  testProbs: Float32Array;
  epochs: number;
}

export async function trainBaseline(
  train: { seqs: number[][]; labels: number[] },
  val: { seqs: number[][]; labels: number[] },
  test: { seqs: number[][] },
  V: number,
  seed = 0,
): Promise<BaselineResult> {
  const model = new Sequential({ name: 'bag_of_words_logreg', layers: [new Dense({ units: 1, activation: 'sigmoid', inputShape: [V], kernelInitializer: { className: 'GlorotUniform', config: { seed } } })] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });
  const [xTr, xVa, xTe] = [bagOfWords(train.seqs, V), bagOfWords(val.seqs, V), bagOfWords(test.seqs, V)];
  const yTr = tf.tensor2d(train.labels, [train.labels.length, 1]);
  const yVa = tf.tensor2d(val.labels, [val.labels.length, 1]);
  // Early stopping on validation loss, keeping the best weights.
  let best = Infinity;
  let bestWeights: tf.Tensor[] | null = null;
  let epochs = 0;
  for (let e = 0, since = 0; e < 100 && since < 5; e++, epochs++) {
    await model.fit(xTr, yTr, { epochs: 1, batchSize: 64, verbose: 0, shuffle: false }); // deterministic: the split is already shuffled
    const loss = (model.evaluate(xVa, yVa) as tf.Scalar);
    const v = loss.dataSync()[0];
    loss.dispose();
    if (v < best - 1e-4) {
      best = v;
      since = 0;
      tf.dispose(bestWeights ?? []);
      bestWeights = model.getWeights().map((w) => w.clone());
    } else since++;
  }
  if (bestWeights) model.setWeights(bestWeights);
  const p = model.predict(xTe) as tf.Tensor;
  const testProbs = p.dataSync() as Float32Array;
  tf.dispose([p, xTr, xVa, xTe, yTr, yVa, ...(bestWeights ?? [])]);
  model.dispose();
  return { testProbs, epochs };
}
