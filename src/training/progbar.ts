/**
 * Keras's `fit` progress, for `verbose: 1` and `2` (tfjs prints nothing in
 * pure JS, and a bar of its own only with tfjs-node):
 *
 *   Epoch 1/5
 *   64/64 [==============================] - 2s 31ms/step - loss: 0.6931 - accuracy: 0.5000 - val_loss: 0.6920 - val_accuracy: 0.5100
 *
 * verbose 1 in a terminal redraws the bar after each batch, with the epoch's
 * running means; piped (not a TTY), and with verbose 2, it writes one line
 * per epoch: `64/64 - 2s - loss: … - 31ms/step`. Output goes to stdout, as
 * Keras's does: the user asked for it with `verbose`.
 */
import { tf } from '../tf';
import { OutStream, standardOutput } from '../terminal';

/** Options of {@link ProgbarLogger}. */
export interface ProgbarArgs {
  /** 1: a bar per epoch (one line when not a terminal); 2: one line per epoch. Default 1. */
  verbose?: 1 | 2;
  /** Where to write (default: standard output in Node, the console in a browser); text is written as it is, no newline added. */
  stream?: OutStream;
  /** Log keys not to print (Sequential hides tfjs's `acc` where Keras's `accuracy` is shown). */
  hide?: string[];
}

const WIDTH = 30;

/** A value of fit's logs as a number: tfjs gives numbers, or scalars it has not read yet. */
export const logNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : v instanceof tf.Tensor ? v.dataSync()[0] : undefined);
const fmt = (v: number) => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4));
const secs = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms)}ms`);

/**
 * A `fit` callback that prints Keras's progress. `Sequential.fit` adds one
 * for `verbose` 1 and 2 (the default is 1, as in Keras); pass your own to a
 * `tf.LayersModel`'s `fit` with `verbose: 0`.
 *
 * @example
 * ```ts
 * import { tf, ProgbarLogger } from 'tfjs-recurrent';
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
 * await model.fit(tf.ones([8, 2]), tf.ones([8, 1]), { epochs: 2, verbose: 0, callbacks: [new ProgbarLogger({ verbose: 2 })] });
 * ```
 */
export class ProgbarLogger extends tf.Callback {
  private readonly verbose: 1 | 2;
  private readonly out: NonNullable<ProgbarArgs['stream']>;
  private readonly hide: Set<string>;
  private epochStart = 0;
  private seen = 0;
  private sums: Record<string, number> = {};
  private steps = 0;
  private batches = 0;

  constructor(args: ProgbarArgs = {}) {
    super();
    this.verbose = args.verbose ?? 1;
    this.out = args.stream ?? standardOutput();
    this.hide = new Set(['batch', 'size', ...(args.hide ?? [])]);
  }

  private get live(): boolean {
    return this.verbose === 1 && this.out.isTTY === true;
  }

  /** Prints `Epoch k/N`, as Keras does. */
  override async onEpochBegin(epoch: number): Promise<void> {
    const p = this.params as { epochs?: number; samples?: number; steps?: number | null; batchSize?: number };
    this.steps = p.steps ?? Math.ceil((p.samples ?? 0) / (p.batchSize ?? 32));
    this.epochStart = Date.now();
    [this.seen, this.sums, this.batches] = [0, {}, 0];
    this.out.write(`Epoch ${epoch + 1}/${p.epochs}\n`);
  }

  /** Redraws the bar with the running means of the batch metrics. */
  override async onBatchEnd(batch: number, logs?: tf.Logs): Promise<void> {
    this.batches = batch + 1;
    if (!this.live) return;
    const size = logNumber(logs?.size) ?? 1;
    this.seen += size;
    for (const [k, v] of Object.entries(logs ?? {})) {
      if (this.hide.has(k)) continue;
      const x = logNumber(v);
      if (x !== undefined) this.sums[k] = (this.sums[k] ?? 0) + x * size;
    }
    const means = Object.entries(this.sums).map(([k, s]) => ` - ${k}: ${fmt(s / this.seen)}`).join('');
    const done = this.steps > 0 ? Math.min(1, this.batches / this.steps) : 0;
    const filled = Math.floor(done * WIDTH);
    const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (done < 1 ? '>' : '=') : '') + '.'.repeat(WIDTH - filled);
    const eta = done > 0 && done < 1 ? ` - ETA: ${secs(((Date.now() - this.epochStart) / done) * (1 - done))}` : '';
    this.out.write(`\r${String(this.batches).padStart(String(this.steps).length)}/${this.steps} [${bar}]${eta}${means}\x1b[K`);
  }

  /** Ends the epoch's line with its time and metrics. */
  override async onEpochEnd(_epoch: number, logs?: tf.Logs): Promise<void> {
    const ms = Date.now() - this.epochStart;
    const per = `${secs(ms / Math.max(1, this.batches))}/step`;
    const shown = Object.entries(logs ?? {}).filter(([k]) => !this.hide.has(k));
    const ordered = [...shown.filter(([k]) => !k.startsWith('val_')), ...shown.filter(([k]) => k.startsWith('val_'))]; // as Keras: loss, metrics, then val_
    const metrics = ordered.map(([k, v]) => ` - ${k}: ${fmt(logNumber(v) ?? NaN)}`).join('');
    const count = `${this.batches}/${this.steps || this.batches}`;
    this.out.write(
      this.verbose === 2
        ? `${count} - ${secs(ms)} - ${per}${metrics}\n`
        : `${this.live ? '\r' : ''}${count} [${'='.repeat(WIDTH)}] - ${secs(ms)} ${per}${metrics}${this.live ? '\x1b[K' : ''}\n`,
    );
  }
}
