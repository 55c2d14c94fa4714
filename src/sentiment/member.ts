/**
 * Training one model of the ensemble: one fit call per epoch on a seeded
 * order with word dropout, the learning rate of the epoch's schedule, early
 * stopping on validation loss, and the best epoch's weights restored.
 */
import { tf } from '../tf';
import { terminateOnNaN } from '../training/terminate_on_nan';
import { RecurrentConfigError } from '../errors';
import { SentimentOptions } from './options';
import { idsTensor, wordDropout } from './encode';
import { rng, shuffle } from './split';
import { f3 } from './metrics';
import { EpochLog } from './plot';
import { isScheduledAdam } from './adam';
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
 * best weights. One fit call per epoch, on a seeded permutation of the
 * training part (tfjs's own shuffle draws from Math.random), with word
 * dropout applied afresh to that epoch's copy of the training ids.
 */
export async function trainMember(
  model: tf.LayersModel,
  opts: SentimentOptions,
  d: MemberData,
  log: (line: string) => void,
): Promise<Omit<MemberReport, 'dir' | 'seed'>> {
  // Adam reads its learning rate at every step, so a new value holds from the next step on;
  // its moments carry on from epoch to epoch.
  const adam = model.optimizer;
  if (!isScheduledAdam(adam)) {
    throw new RecurrentConfigError(`trainMember: the model must be compiled with a ScheduledAdam (as buildClassifier does), got ${adam?.getClassName() ?? 'no optimizer'}`);
  }
  const n = d.sTr.length;
  const history: EpochLog[] = [];
  const secondsPerEpoch: number[] = [];
  let best = { loss: Infinity, epoch: 0, weights: null as tf.Tensor[] | null };
  let since = 0;
  const batches = Math.ceil(n / opts.batchSize);
  const useBar = opts.progress ?? Boolean(process.stdout.isTTY);
  let bar: EpochBar | null = null;
  let tEpoch = 0;
  const order = rng(opts.seed + 7);
  const dropWords = rng(opts.seed + 11);
  const callbacks: tf.CustomCallbackArgs = {
    onEpochBegin: async (epoch) => {
      tEpoch = Date.now();
      if (useBar) {
        bar = startEpochBar(`epoch ${String(epoch + 1).padStart(2)}/${opts.epochs} [{bar}] {value}/{total} | loss {loss} | acc {acc}`, batches);
      }
    },
    onBatchEnd: async (batch, logs) => {
      bar?.update(batch + 1, { loss: f3(logs?.loss ?? NaN), acc: f3(logs?.acc ?? NaN) });
    },
    onEpochEnd: async (epoch, logs) => {
      bar?.stop();
      const secs = (Date.now() - tEpoch) / 1000;
      secondsPerEpoch.push(secs);
      const h: EpochLog = { epoch: epoch + 1, loss: logs!.loss, acc: logs!.acc, val_loss: logs!.val_loss, val_acc: logs!.val_acc };
      history.push(h);
      let mark = '';
      if (h.val_loss < best.loss - 1e-4) {
        tf.dispose(best.weights ?? []);
        best = { loss: h.val_loss, epoch: epoch + 1, weights: model.getWeights().map((w) => w.clone()) };
        since = 0;
        mark = ' *';
      } else if (++since >= opts.patience) {
        model.stopTraining = true;
        mark = ` (no improvement for ${opts.patience} epochs: stopping)`;
      }
      log(`epoch ${String(epoch + 1).padStart(2)}/${opts.epochs} ${secs.toFixed(1)}s  loss ${f3(h.loss)} acc ${f3(h.acc)}  val_loss ${f3(h.val_loss)} val_acc ${f3(h.val_acc)}${mark}`);
    },
  };
  const learningRates: number[] = [];
  // Keras's TerminateOnNaN: a diverging run stops (the best epoch's weights are restored below).
  const nan = terminateOnNaN();
  for (let e = 0; e < opts.epochs && !model.stopTraining && nan.stopped == null; e++) {
    adam.setLearningRate(epochLearningRate(opts, e));
    learningRates.push(adam.getLearningRate());
    const idx = shuffle([...Array(n).keys()], order);
    const rows = wordDropout(idx.map((i) => d.sTr[i]) as Array<Array<number | number[]>>, opts.wordDropout, dropWords, d.oovId);
    const perm = tf.tensor1d(idx, 'int32');
    const [xE, yE] = [idsTensor(rows as number[][] | number[][][], opts), tf.gather(d.yTr, perm)];
    try {
      await model.fit(xE, yE, { initialEpoch: e, epochs: e + 1, batchSize: opts.batchSize, validationData: [d.xVa, d.yVa], shuffle: false, verbose: 0, callbacks: [new tf.CustomCallback(callbacks), nan] });
    } finally {
      (bar as EpochBar | null)?.stop(); // a fit that throws mid-epoch leaves no bar (nor hidden cursor) behind
      tf.dispose([perm, xE, yE]);
    }
  }
  if (best.weights) {
    model.setWeights(best.weights);
    tf.dispose(best.weights);
    log(`restored the weights of epoch ${best.epoch} (best validation loss ${f3(best.loss)})`);
  }
  return { secondsPerEpoch, epochsRun: history.length, bestEpoch: best.epoch, history, learningRates };
}
