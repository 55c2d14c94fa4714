/**
 * Keras's names in `compile` and in the logs of `fit`: `loss:
 * 'binary_crossentropy'`, `metrics: ['accuracy']`, `optimizer: 'RMSprop'`
 * are taken as tfjs's `binaryCrossentropy`, `accuracy`, `rmsprop`; an unknown
 * name is a RecurrentConfigError with "did you mean". In the logs and the
 * History, each metric also appears under the name it was given (`accuracy`,
 * `val_accuracy`, as Keras 2.3+ and 3 say), beside tfjs's own key (`acc`),
 * which tfjs code such as EarlyStopping({ monitor: 'val_acc' }) may read.
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { nearest } from '../did_you_mean';
import { ProgbarLogger } from './progbar';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { Nadam } from './nadam';
import { fuseLosses } from './losses';
import { AUCMetric, auc, isStatefulMetric } from './auc';
import { hideLogKeys } from './logs';

/** tfjs's name for each Keras name (snake_case, short aliases), keyed as written in Keras. */
const LOSSES: Record<string, string> = {
  mean_squared_error: 'meanSquaredError', mse: 'meanSquaredError', mean_absolute_error: 'meanAbsoluteError', mae: 'meanAbsoluteError',
  mean_absolute_percentage_error: 'meanAbsolutePercentageError', mape: 'meanAbsolutePercentageError',
  mean_squared_logarithmic_error: 'meanSquaredLogarithmicError', msle: 'meanSquaredLogarithmicError',
  squared_hinge: 'squaredHinge', hinge: 'hinge', categorical_hinge: 'categoricalHinge', logcosh: 'logcosh', log_cosh: 'logcosh',
  categorical_crossentropy: 'categoricalCrossentropy', sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  binary_crossentropy: 'binaryCrossentropy', kullback_leibler_divergence: 'kullbackLeiblerDivergence', kl_divergence: 'kullbackLeiblerDivergence',
  kld: 'kullbackLeiblerDivergence', poisson: 'poisson', cosine_proximity: 'cosineProximity', cosine_similarity: 'cosineProximity',
};
/** Metrics: the strings tfjs's compile knows, else tf.metrics' functions (tfjs takes no string for them). */
const METRICS: Record<string, string | tf.serialization.ConfigDictValue | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor)> = {
  accuracy: 'accuracy', acc: 'acc', binary_accuracy: 'binaryAccuracy', categorical_accuracy: 'categoricalAccuracy',
  sparse_categorical_accuracy: tf.metrics.sparseCategoricalAccuracy, precision: 'precision', recall: tf.metrics.recall,
  mean_squared_error: 'mse', mse: 'mse', mean_absolute_error: 'mae', mae: 'mae', mean_absolute_percentage_error: 'mape', mape: 'mape',
  cosine_proximity: tf.metrics.cosineProximity, binary_crossentropy: tf.metrics.binaryCrossentropy,
  categorical_crossentropy: 'categoricalCrossentropy', sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  crossentropy: 'ce', ce: 'ce', auc: 'tfjs-recurrent:auc',
};
/** Stands in METRICS for a metric made afresh for each compile and output (it keeps state): Keras's AUC. */
const MAKE_AUC = 'tfjs-recurrent:auc';
const OPTIMIZERS = ['sgd', 'adam', 'adamax', 'adagrad', 'adadelta', 'rmsprop', 'nadam', 'adamw'];
/** The optimizers made here from their name, with Keras's defaults (the others are tfjs's). */
const OURS: Record<string, () => tf.Optimizer> = { adam: () => new Adam(), nadam: () => new Nadam(), adamw: () => new AdamW() };

/** `name` in the table, written in Keras's snake_case or tfjs's camelCase (`binaryCrossentropy` = `binary_crossentropy`). */
function lookup(what: string, name: unknown, table: Record<string, unknown>): unknown {
  if (typeof name !== 'string') return name; // a function or an object: tfjs's to judge
  const key = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  if (Object.prototype.hasOwnProperty.call(table, key)) return table[key];
  const known = Object.keys(table);
  const near = nearest(key, known);
  throw new RecurrentConfigError(
    `compile: unknown ${what} ${fmtValue(name)}${near.length ? ` (did you mean '${near[0]}'?)` : ''}; known: ${known.join(', ')} (or their camelCase forms)`,
  );
}

/** The key tfjs logs a metric under: `acc` for accuracy, `ce` for crossentropy, a function's name, else the string itself. */
const tfjsKey = (m: unknown) => (typeof m === 'function' ? m.name : m === 'accuracy' || m === 'acc' ? 'acc' : m === 'crossentropy' || m === 'ce' ? 'ce' : String(m));

/** compile's arguments with Keras's names mapped to tfjs's, and the log keys to add: [tfjs key, name as given]. */
export function kerasCompileArgs(
  args: tf.ModelCompileArgs,
  outputNames: string[] = [],
): { args: tf.ModelCompileArgs; aliases: Array<[string, string]>; ownsOptimizer: boolean; stateful: AUCMetric[] } {
  if (args == null || typeof args !== 'object') throw new RecurrentConfigError(`compile: expects { optimizer, loss, metrics? }, got ${fmtValue(args)}`);
  let optimizer = args.optimizer;
  if (typeof optimizer === 'string') {
    const key = optimizer.replace(/_/g, '').toLowerCase();
    if (!OPTIMIZERS.includes(key)) {
      const near = nearest(key, OPTIMIZERS);
      throw new RecurrentConfigError(`compile: unknown optimizer ${fmtValue(optimizer)}${near.length ? ` (did you mean '${near[0]}'?)` : ''}; known: ${OPTIMIZERS.join(', ')}, or a tf.train optimizer`);
    }
    optimizer = key;
  }
  const loss = Array.isArray(args.loss) ? args.loss.map((l) => lookup('loss', l, LOSSES)) : lookup('loss', args.loss, LOSSES);
  const metricOf = (m: unknown) => {
    const v = lookup('metric', m, METRICS);
    return v === MAKE_AUC ? auc() : v;
  };
  const byOutput = args.metrics != null && typeof args.metrics === 'object' && !Array.isArray(args.metrics);
  const given = args.metrics == null || byOutput ? [] : Array.isArray(args.metrics) ? args.metrics : [args.metrics];
  const metrics = given.map(metricOf);
  const aliases = given.flatMap((m, i) => {
    if (typeof m !== 'string') return [];
    const t = tfjsKey(metrics[i]);
    return t === m ? [] : [[t, m] as [string, string]];
  });
  // A metric with state serves one output: on a model of several, each output gets its own (as Keras makes one per output).
  const perOutput = (list: unknown[]) =>
    Object.fromEntries(outputNames.map((name, o) => [name, list.map((m) => (o > 0 && isStatefulMetric(m) ? auc(m.config) : m))]));
  const mapped = byOutput
    ? Object.fromEntries(Object.entries(args.metrics as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? v.map(metricOf) : metricOf(v)]))
    : outputNames.length > 1 && metrics.some(isStatefulMetric)
      ? perOutput(metrics)
      : Array.isArray(args.metrics) ? metrics : metrics[0];
  // 'adam' is our Adam (tfjs's, with a fused step on cpu), 'nadam' and 'adamw' Keras 3's; made last: nothing above
  // may throw after it holds variables.
  const ownsOptimizer = typeof optimizer === 'string' && Object.prototype.hasOwnProperty.call(OURS, optimizer);
  const out = { ...args, optimizer: ownsOptimizer ? OURS[optimizer as string]() : optimizer, loss } as tf.ModelCompileArgs;
  if (args.metrics != null) out.metrics = mapped as tf.ModelCompileArgs['metrics'];
  const stateful = [mapped].flat().flatMap((m) => (m != null && typeof m === 'object' ? Object.values(m).flat() : [m])).filter(isStatefulMetric);
  return { args: out, aliases, ownsOptimizer, stateful };
}

/**
 * A model's compile with Keras's names: `compile` (tfjs's own) runs on the
 * mapped arguments; an optimizer made here from its name is disposed if it
 * throws. Then the losses we have one op for replace tfjs's in the model's
 * `lossFunctions` (./losses.ts). Returns the metric aliases and whether the model owns the optimizer.
 */
export function compileWithKerasNames(
  args: tf.ModelCompileArgs,
  compile: (tfjsArgs: tf.ModelCompileArgs) => void,
  lossFunctions: () => Array<(yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor>,
  outputNames: string[] = [],
): { aliases: Array<[string, string]>; ownsOptimizer: boolean; stateful: AUCMetric[] } {
  const { args: tfjsArgs, aliases, ownsOptimizer, stateful } = kerasCompileArgs(args, outputNames);
  try {
    compile(tfjsArgs);
  } catch (e) {
    if (ownsOptimizer) (tfjsArgs.optimizer as tf.Optimizer).dispose();
    throw e;
  }
  fuseLosses(tfjsArgs.loss, lossFunctions());
  return { aliases, ownsOptimizer, stateful };
}

/**
 * compile's arguments from a saved training config with the metric names as
 * saved: tfjs's `loadTrainingConfig` camelCases them (`sparseCategoricalAccuracy`)
 * before it compiles, so the logs of a reloaded model would lose the name
 * the model was compiled with (`sparse_categorical_accuracy`), which Keras keeps.
 */
export function withSavedMetricNames(args: tf.ModelCompileArgs, saved: tf.io.TrainingConfig['metrics'] | undefined): tf.ModelCompileArgs {
  if (saved == null) return args;
  const names = Array.isArray(saved) ? saved : Object.values(saved);
  if (!names.every((n) => typeof n === 'string')) return args;
  return { ...args, metrics: saved as tf.ModelCompileArgs['metrics'] };
}

/** A `fit` callback, first in line, that adds each metric under its given name to the batch and epoch logs (`val_` ones too). */
export class MetricAliases extends tf.Callback {
  constructor(private readonly aliases: Array<[string, string]>) {
    super();
  }

  private add(logs?: tf.Logs): void {
    if (logs == null) return;
    for (const [t, k] of this.aliases) {
      for (const p of ['', 'val_']) if (p + t in logs && !(p + k in logs)) logs[p + k] = logs[p + t];
    }
    // tfjs's keys stay for tfjs code, hidden from the callbacks that list the logs (CSVLogger).
    hideLogKeys(logs, this.aliases.flatMap(([t, k]) => ['', 'val_'].filter((p) => p + k in logs).map((p) => p + t)));
  }

  override async onBatchEnd(_batch: number, logs?: tf.Logs): Promise<void> {
    this.add(logs);
  }

  override async onEpochEnd(_epoch: number, logs?: tf.Logs): Promise<void> {
    this.add(logs);
  }
}

/** A `fit` callback, first in line, that starts each epoch with fresh metric state (Keras's `reset_metrics()`): the AUC of the epoch's data only. */
class ResetMetrics extends tf.Callback {
  constructor(private readonly metrics: AUCMetric[]) {
    super();
  }

  override async onEpochBegin(): Promise<void> {
    for (const m of this.metrics) m.reset();
  }
}

/**
 * fit's arguments as Keras runs them: metrics with state reset at each
 * epoch's start, the metric aliases, then Keras's
 * progress for `verbose` 1 (the default) and 2, then the user's callbacks
 * (plain `{ onEpochEnd, ... }` objects wrapped as tfjs does); tfjs's own
 * progress off (tfjs-node would print a second bar).
 */
export function kerasFitArgs(args: tf.ModelFitArgs, aliases: Array<[string, string]>, stateful: AUCMetric[] = []): tf.ModelFitArgs {
  const verbose = args.verbose ?? 1;
  const user = args.callbacks == null ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks];
  const callbacks = [
    ...(stateful.length > 0 ? [new ResetMetrics(stateful)] : []),
    ...(aliases.length > 0 ? [new MetricAliases(aliases)] : []),
    ...(verbose > 0 ? [new ProgbarLogger({ verbose: verbose >= 2 ? 2 : 1, hide: aliases.flatMap(([t]) => [t, `val_${t}`]) })] : []),
    ...user.map((c) => (typeof (c as { setParams?: unknown }).setParams === 'function' ? c : new tf.CustomCallback(c as tf.CustomCallbackArgs, args.yieldEvery))),
  ] as tf.Callback[];
  return { ...args, verbose: 0, callbacks };
}
