/**
 * Keras 3's `MonitorCallback` (keras/src/callbacks/monitor_callback.py), the
 * base of EarlyStopping, ReduceLROnPlateau and ModelCheckpoint: a logged
 * quantity, whether lower or higher is better, and what counts as an
 * improvement:
 *
 *   mode 'min':  improved ⇔ fround(current − (−minDelta)) < fround(best)
 *   mode 'max':  improved ⇔ fround(current − minDelta)   > fround(best)
 *
 * (`minDelta` is taken as |minDelta|; Keras compares through `ops.less`,
 * that is in float32, hence the fround.) Nothing logged yet (best null)
 * always counts as an improvement, even a NaN.
 *
 * `mode: 'auto'` takes the direction from the name without its `val_`
 * prefix, as Keras 3 takes it from the compiled metric's direction: `loss`
 * and the error and cross-entropy metrics are minimized; the accuracies,
 * `auc`, `precision`, `recall`, F-scores, R², correlations and cosine
 * similarity are maximized. Keras raises for any other name; here that is
 * an error at construction (pass mode 'min' or 'max').
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { oneOf } from '../validate';
import { nonEmptyString } from './callback_args';
import { logValue, visibleLogKeys } from './logs';

/** Whether the monitored quantity should go down ('min') or up ('max'); 'auto' reads it from the name. */
export type MonitorMode = 'auto' | 'min' | 'max';

const MAXIMIZED = [
  'accuracy', 'acc', 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy', 'top_k_categorical_accuracy',
  'sparse_top_k_categorical_accuracy', 'auc', 'precision', 'recall', 'f1_score', 'fbeta_score', 'r2_score', 'pearson_correlation',
  'concordance_correlation', 'cosine_similarity', 'iou', 'mean_iou', 'binary_iou', 'one_hot_iou', 'one_hot_mean_iou',
  'precision_at_recall', 'recall_at_precision', 'sensitivity_at_specificity', 'specificity_at_sensitivity',
];
const MINIMIZED = [
  'loss', 'mean_squared_error', 'mse', 'mean_absolute_error', 'mae', 'mean_absolute_percentage_error', 'mape',
  'mean_squared_logarithmic_error', 'msle', 'root_mean_squared_error', 'log_cosh_error', 'logcosh', 'log_cosh', 'hinge',
  'squared_hinge', 'categorical_hinge', 'kl_divergence', 'kld', 'kullback_leibler_divergence', 'poisson', 'crossentropy', 'ce',
  'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'binary_focal_crossentropy',
  'categorical_focal_crossentropy', 'huber',
];

/** 'min' or 'max' for `monitor` under `mode`; throws, naming `who`, when 'auto' cannot tell. */
export function monitorDirection(who: string, monitor: string, mode: MonitorMode): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  const name = (monitor.startsWith('val_') ? monitor.slice(4) : monitor).replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  if (MINIMIZED.includes(name)) return 'min';
  if (MAXIMIZED.includes(name)) return 'max';
  throw new RecurrentConfigError(
    `${who}: mode 'auto' cannot tell whether monitor ${fmtValue(monitor)} should be minimized or maximized ` +
      `(it knows 'loss' and Keras's metric names, such as 'val_accuracy' or 'auc'); pass mode: 'min' or mode: 'max'`,
  );
}

/** The options every monitoring callback takes. */
export interface MonitorArgs {
  /** The logged quantity to watch (default `'val_loss'`). */
  monitor?: string;
  /** `'min'`, `'max'` or `'auto'` (default): from the name. */
  mode?: MonitorMode;
}

/**
 * A fit callback that watches one logged quantity (Keras's MonitorCallback),
 * the base of EarlyStopping, ReduceLROnPlateau and ModelCheckpoint; extend
 * it for a callback of your own with Keras's `monitor`, `mode` and `minDelta`.
 *
 * @example
 * ```ts
 * import { tf, Sequential, Dense, MonitorCallback } from 'tfjs-recurrent';
 * class CountImprovements extends MonitorCallback {
 *   count = 0;
 *   constructor() {
 *     super('CountImprovements', { monitor: 'loss', minDelta: 1e-3 });
 *   }
 *   override async onEpochEnd(_epoch: number, logs?: tf.Logs): Promise<void> {
 *     const loss = this.monitored(logs, 'nothing counted');
 *     if (loss !== undefined && this.isImprovement(loss, this.best)) [this.best, this.count] = [loss, this.count + 1];
 *   }
 * }
 * const model = new Sequential({ layers: [new Dense({ units: 1, inputShape: [2] })] });
 * model.compile({ optimizer: 'sgd', loss: 'mse' });
 * const counter = new CountImprovements();
 * await model.fit(tf.ones([4, 2]), tf.ones([4, 1]), { epochs: 5, verbose: 0, callbacks: [counter] });
 * console.log(counter.count, counter.best); // epochs whose loss fell by more than 1e-3, the lowest loss
 * ```
 */
export class MonitorCallback extends tf.Callback {
  /** The watched log key. */
  readonly monitor: string;
  /** The mode as given. */
  readonly mode: MonitorMode;
  /** 'min' or 'max', as `mode` resolves for `monitor`. */
  readonly direction: 'min' | 'max';
  /** |minDelta|: a change smaller than this is no improvement. */
  readonly minDelta: number;
  /** The best value seen (null: none yet). */
  best: number | null = null;
  /** Whether the missing-quantity warning was given in this fit. */
  private warned = false;

  /** `who` names the callback in errors and warnings. */
  constructor(protected readonly who: string, args: Record<string, unknown>, minDeltaDefault = 0) {
    super();
    this.monitor = nonEmptyString(who, 'monitor', args.monitor, 'val_loss');
    this.mode = args.mode === undefined ? 'auto' : oneOf(who, 'mode', args.mode, ['auto', 'min', 'max'] as const);
    this.direction = monitorDirection(who, this.monitor, this.mode);
    const δ = args.minDelta === undefined ? minDeltaDefault : args.minDelta;
    if (typeof δ !== 'number' || !Number.isFinite(δ)) throw new RecurrentConfigError(`${who}: minDelta must be a finite number, got ${fmtValue(δ)}`);
    this.minDelta = Math.abs(δ);
  }

  /** Whether `value` improves on `reference`, as Keras's `_is_improvement` (null: nothing to beat). */
  isImprovement(value: number, reference: number | null): boolean {
    if (reference == null) return true;
    const f = Math.fround;
    return this.direction === 'min' ? f(value + this.minDelta) < f(reference) : f(value - this.minDelta) > f(reference);
  }

  /** A new fit: the warning may be given again. */
  protected resetWarning(): void {
    this.warned = false;
  }

  /**
   * The monitored value in `logs`; when it is missing, undefined and, once a
   * fit, a warning on stderr (Keras's `warnings.warn`) that says `consequence`.
   */
  protected monitored(logs: tf.Logs | undefined, consequence: string): number | undefined {
    const v = logValue(logs, this.monitor);
    if (v === undefined && !this.warned) {
      this.warned = true;
      console.warn(`${this.who}: ${consequence}: the logs hold no '${this.monitor}' (available: ${visibleLogKeys(logs).join(', ') || 'none'})`);
    }
    return v;
  }
}
