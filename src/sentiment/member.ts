/**
 * Training one model of the ensemble: one fitDataset call over all epochs,
 * each epoch on a seeded order with word dropout, with the package's public
 * callbacks: LearningRateScheduler for the epoch's rate, EarlyStopping on
 * validation loss that restores the best epoch's weights, TerminateOnNaN.
 */
import { tf } from '../tf';
import { terminateOnNaN } from '../training/terminate_on_nan';
import { EarlyStopping } from '../training/early_stopping';
import { LearningRateScheduler } from '../training/learning_rate_scheduler';
import { SentimentOptions } from './options';
import { idsTensor, wordDropout } from './encode';
import { rng, shuffle } from './split';
import { f3 } from './metrics';
import { EpochLog } from './plot';
import { EpochBar, startEpochBar } from './epoch_bar';

/** One model of an ensemble: its folder in the run folder, its seed and its training. */
export interface MemberReport {
  dir: string;
  seed: number;
  secondsPerEpoch: number[];
  epochsRun: number;
  bestEpoch: number;
  history: EpochLog[];
  /** The Adam learning rate of each epoch run. */
  learningRates: number[];
}

/** The learning rate of epoch e (0-based): learningRate · learningRateDecay^e. */
export const epochLearningRate = (o: Pick<SentimentOptions, 'learningRate' | 'learningRateDecay'>, e: number) => o.learningRate * o.learningRateDecay ** e;

/** What a member trains and validates on: the training rows (ids, not yet a tensor: word dropout changes them each epoch), labels, and the validation part. */
export interface MemberData {
  /** The training part's ids, as `encodeTexts` gives them. */
  sTr: number[][] | number[][][];
  yTr: tf.Tensor2D;
  xVa: tf.Tensor;
  yVa: tf.Tensor2D;
  /** The id word dropout puts in place of a word. */
  oovId: number;
}

/**
 * Trains one model with early stopping on validation loss and restores its
 * best weights, in one `fitDataset` call whose dataset makes each epoch's
 * batches: a seeded permutation of the training part (tfjs's own shuffle
 * draws from Math.random), with word dropout applied afresh to that epoch's
 * copy of the training ids, cut in batches in order. The optimizer (one over
 * all epochs: its moments carry on) takes the epoch's rate from
 * {@link epochLearningRate}.
 */
export async function trainMember(
  model: tf.LayersModel,
  opts: SentimentOptions,
  d: MemberData,
  log: (line: string) => void,
): Promise<Omit<MemberReport, 'dir' | 'seed'>> {
  const n = d.sTr.length;
  const history: EpochLog[] = [];
  const secondsPerEpoch: number[] = [];
  const learningRates: number[] = [];
  const batches = Math.ceil(n / opts.batchSize);
  const useBar = opts.progress ?? Boolean(process.stdout.isTTY);
  let bar: EpochBar | null = null;
  let tEpoch = 0;
  const order = rng(opts.seed + 7);
  const dropWords = rng(opts.seed + 11);
  // The epoch's ids and labels, freed when the next epoch makes its own, and at the end.
  let held: tf.Tensor[] = [];
  const epochs = tf.data.generator(function* () {
    tf.dispose(held);
    const idx = shuffle([...Array(n).keys()], order);
    const rows = wordDropout(idx.map((i) => d.sTr[i]) as Array<Array<number | number[]>>, opts.wordDropout, dropWords, d.oovId);
    const perm = tf.tensor1d(idx, 'int32');
    held = [idsTensor(rows as number[][] | number[][][], opts), tf.gather(d.yTr, perm)];
    perm.dispose();
    const [xE, yE] = held;
    for (let b = 0; b < n; b += opts.batchSize) {
      const size = Math.min(opts.batchSize, n - b);
      yield { xs: xE.slice(b, size), ys: yE.slice(b, size) }; //   fitDataset frees each batch after its step
    }
  });
  const accuracy = (logs: tf.Logs | undefined, prefix = '') => logs?.[`${prefix}accuracy`] ?? logs?.[`${prefix}acc`] ?? NaN;
  // The rate of each epoch, set before its first step: α_e = α₀ · decay^e.
  const schedule = new LearningRateScheduler((epoch) => {
    learningRates.push(epochLearningRate(opts, epoch));
    return epochLearningRate(opts, epoch);
  });
  const stop = new EarlyStopping({ monitor: 'val_loss', minDelta: 1e-4, patience: opts.patience, restoreBestWeights: true });
  // After `stop` in the list: its verdict on the epoch is known when the epoch's line is written.
  const progress = new tf.CustomCallback({
    onEpochBegin: async (epoch) => {
      tEpoch = Date.now();
      if (useBar) {
        bar = startEpochBar(`epoch ${String(epoch + 1).padStart(2)}/${opts.epochs} [{bar}] {value}/{total} | loss {loss} | acc {acc}`, batches);
      }
    },
    onBatchEnd: async (batch, logs) => {
      bar?.update(batch + 1, { loss: f3(logs?.loss ?? NaN), acc: f3(accuracy(logs)) });
    },
    onEpochEnd: async (epoch, logs) => {
      bar?.stop();
      const secs = (Date.now() - tEpoch) / 1000;
      secondsPerEpoch.push(secs);
      const h: EpochLog = { epoch: epoch + 1, loss: logs!.loss, acc: accuracy(logs), val_loss: logs!.val_loss, val_acc: accuracy(logs, 'val_') };
      history.push(h);
      const mark = stop.stoppedEpoch === epoch && epoch > 0 ? ` (no improvement for ${opts.patience} epochs: stopping)` : stop.bestEpoch === epoch && stop.best !== null ? ' *' : '';
      log(`epoch ${String(epoch + 1).padStart(2)}/${opts.epochs} ${secs.toFixed(1)}s  loss ${f3(h.loss)} acc ${f3(h.acc)}  val_loss ${f3(h.val_loss)} val_acc ${f3(h.val_acc)}${mark}`);
    },
  });
  try {
    await model.fitDataset(epochs, {
      epochs: opts.epochs, validationData: [d.xVa, d.yVa], validationBatchSize: opts.batchSize, verbose: 0,
      // Keras's TerminateOnNaN: a diverging run stops (and EarlyStopping still restores the best epoch).
      callbacks: [schedule, stop, progress, terminateOnNaN()],
    });
  } finally {
    (bar as EpochBar | null)?.stop(); // a fit that throws mid-epoch leaves no bar (nor hidden cursor) behind
    tf.dispose(held);
  }
  const bestEpoch = stop.best === null ? 0 : stop.bestEpoch + 1;
  if (bestEpoch > 0) log(`restored the weights of epoch ${bestEpoch} (best validation loss ${f3(stop.best as number)})`);
  return { secondsPerEpoch, epochsRun: history.length, bestEpoch, history, learningRates };
}
