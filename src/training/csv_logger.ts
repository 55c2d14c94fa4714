/**
 * Keras 3's `CSVLogger` (keras/src/callbacks/csv_logger.py): one row per
 * epoch, written as Keras writes it, byte for byte:
 *
 *   epoch,accuracy,loss,val_accuracy,val_loss\r\n
 *   0,0.5,0.6931471824645996,0.5,0.6925...\r\n
 *
 * - Columns: `epoch` (counted from 0, as Keras writes it), then the keys of
 *   the first epoch's logs, sorted. When none of them starts with `val_`,
 *   Keras adds a `val_` column for each (written `NA`), and so does this; a
 *   key missing from a later epoch is written `NA`.
 * - Values as Python writes a float (`repr`: `1e-05`, `1.0`, `nan`); the
 *   Excel dialect of Python's csv module: `\r\n` line ends, a field holding
 *   the separator, a quote or a line break quoted.
 * - `append: false` (default) empties the file when fit starts; `append:
 *   true` adds to it, with the header only if the file is empty or missing.
 * - Each row is written with one write call and flushed to disk before the
 *   next epoch starts, with the file closed in between: a crash leaves the
 *   rows of the epochs that ended, each whole.
 */
import * as fs from 'fs';
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { checkOptions, boolean } from './callback_args';
import { logNumber } from './progbar';
import { visibleLogKeys } from './logs';
import { fromFileUrl } from '../model/io';
import { pyRepr } from './py_format';

/** Options of {@link CSVLogger}. */
export interface CSVLoggerArgs {
  /** One character between fields. Default ','. */
  separator?: string;
  /** Add to an existing file instead of replacing it. Default false. */
  append?: boolean;
}

/**
 * Writes each epoch's logs as a row of a CSV file, as Keras's CSVLogger does.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'fs';
 * import { tf, Sequential, SimpleRNN, Dense, CSVLogger } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new SimpleRNN({ units: 4, inputShape: [5, 3] }), new Dense({ units: 1 })] });
 * model.compile({ optimizer: 'sgd', loss: 'mse' });
 * await model.fit(tf.ones([8, 5, 3]), tf.ones([8, 1]), { epochs: 3, verbose: 0, callbacks: [new CSVLogger('training.csv')] });
 * console.log(readFileSync('training.csv', 'utf8')); // epoch,loss,val_loss / 0,0.98...,NA / 1,... / 2,...
 * ```
 */
export class CSVLogger extends tf.Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  /** The columns after `epoch`, fixed at the first epoch of a fit. */
  private keys: string[] | null = null;
  private writeHeader = true;

  constructor(filename: string, args: CSVLoggerArgs = {}) {
    super();
    const who = 'CSVLogger';
    if (typeof filename !== 'string' || filename.length === 0) {
      throw new RecurrentConfigError(`${who}: filename must be a non-empty path, got ${fmtValue(filename)}`);
    }
    const a = checkOptions(who, args, ['separator', 'append'], "{ separator: ';', append: true }");
    const sep = a.separator === undefined ? ',' : a.separator;
    if (typeof sep !== 'string' || [...sep].length !== 1 || sep === '"' || sep === '\r' || sep === '\n') {
      throw new RecurrentConfigError(`${who}: separator must be one character other than a quote or a line break (as Python's csv needs), got ${fmtValue(sep)}`);
    }
    this.filename = fromFileUrl(filename);
    this.separator = sep;
    this.append = boolean(who, 'append', a.append, false);
  }

  /** Empties the file (or, appending, checks whether it has a header) and forgets the columns. */
  override async onTrainBegin(): Promise<void> {
    if (this.append) {
      // Keras writes the header when readline() finds nothing: an empty or missing file.
      this.writeHeader = (fs.statSync(this.filename, { throwIfNoEntry: false })?.size ?? 0) === 0;
    } else {
      fs.writeFileSync(this.filename, '');
      this.writeHeader = true;
    }
    this.keys = null;
  }

  /** Keras's `on_epoch_end`: called by fit after each epoch with its logs. */
  override async onEpochEnd(epoch: number, logs?: tf.Logs): Promise<void> {
    if (this.keys == null) {
      const keys = visibleLogKeys(logs).sort();
      if (keys.length > 0 && !keys.some((k) => k.startsWith('val_'))) keys.push(...keys.map((k) => `val_${k}`));
      this.keys = keys;
    }
    const value = (k: string) => {
      const v = logNumber((logs as Record<string, unknown> | undefined)?.[k]);
      return v === undefined ? 'NA' : pyRepr(v);
    };
    const row = (fields: string[]) => fields.map((f) => this.quote(f)).join(this.separator) + '\r\n';
    let text = row([String(epoch), ...this.keys.map(value)]);
    if (this.writeHeader) text = row(['epoch', ...this.keys]) + text;
    this.writeHeader = false;
    appendDurably(this.filename, text);
  }

  /** A field as Python's csv (QUOTE_MINIMAL) writes it. */
  private quote(field: string): string {
    return field.includes(this.separator) || /["\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
  }
}

/** Appends `text` with one write, flushes it to disk and closes the file. */
function appendDurably(file: string, text: string): void {
  const fd = fs.openSync(file, 'a');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
