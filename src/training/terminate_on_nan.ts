/**
 * Keras's `TerminateOnNaN`: stops `fit` at the first batch whose loss is NaN
 * or infinite. Without it, `fit` on data holding a NaN (or with a learning
 * rate that diverges) carries on: every later step turns more weights into
 * NaN while the logs say `loss NaN`.
 *
 * As in Keras, training stops after the batch that produced the bad loss, so
 * that batch's update has been applied (weights may already be NaN): restore
 * a checkpoint, or use early stopping that keeps the best weights.
 */
import { tf } from '../tf';
import { logNumber } from './progbar';

/** Where a {@link TerminateOnNaN} stopped `fit`. */
export interface NaNStop {
  epoch: number;
  batch: number;
  loss: number;
}

/**
 * A `fit` callback that stops training at the first non-finite loss and says
 * so in one line on stderr. `stopped` tells where (null if it never fired).
 */
export class TerminateOnNaN extends tf.Callback {
  stopped: NaNStop | null = null;
  private epoch = 0;

  /** A new fit starts afresh (the same callback may serve several fits). */
  override async onTrainBegin(): Promise<void> {
    this.stopped = null;
  }

  /** Remembers the epoch, for the message. */
  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  /** Stops training when the batch's loss is NaN or infinite. */
  override async onBatchEnd(batch: number, logs?: tf.Logs): Promise<void> {
    const loss = logNumber((logs as Record<string, unknown> | undefined)?.loss);
    if (loss === undefined || Number.isFinite(loss) || this.stopped) return;
    this.stopped = { epoch: this.epoch, batch, loss };
    this.model.stopTraining = true;
    console.error(`terminateOnNaN: epoch ${this.epoch + 1}, batch ${batch}: loss is ${loss}; training stopped`);
  }
}

/**
 * Keras's `keras.callbacks.TerminateOnNaN()`, for `fit`'s `callbacks`.
 *
 * @example
 * ```ts
 * import { tf, Sequential, LSTM, Dense, terminateOnNaN } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new LSTM({ units: 4, inputShape: [5, 3] }), new Dense({ units: 1 })] });
 * model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
 * const stop = terminateOnNaN();
 * await model.fit(tf.fill([8, 5, 3], NaN), tf.zeros([8, 1]), { epochs: 3, callbacks: [stop], verbose: 0 });
 * stop.stopped; // { epoch: 0, batch: 0, loss: NaN }
 * ```
 */
export function terminateOnNaN(): TerminateOnNaN {
  return new TerminateOnNaN();
}
