/**
 * What Sequential and Functional add to tfjs's compile and to a saved
 * model's reload, written once: Keras's loss, metric and optimizer names,
 * each metric logged under the name it was given, and those names kept
 * through a save and a load (tfjs's `loadTrainingConfig` camelCases them
 * before it compiles).
 */
import { tf } from '../tf';
import { compileWithKerasNames, withSavedMetricNames } from '../training/keras_names';
import { AUCMetric } from '../training/auc';

export class KerasCompile {
  /** [tfjs's log key, the metric's name as given to compile], where they differ (fit logs both). */
  metricAliases: Array<[string, string]> = [];
  /** The compiled metrics that keep state across batches (AUC), which fit, evaluate and trainOnBatch reset. */
  statefulMetrics: AUCMetric[] = [];
  /** The metric names of the training config being loaded, while `loadTrainingConfig` compiles. */
  private savedMetrics: tf.io.TrainingConfig['metrics'] | undefined;

  /**
   * Compiles through `compile` (tfjs's) with Keras's names; returns whether
   * the optimizer was made here from its name (then the model owns it).
   */
  compile(args: tf.ModelCompileArgs, compile: (args: tf.ModelCompileArgs) => void, lossFunctions: () => tf.LayersModel['lossFunctions'], outputNames: string[] = []): boolean {
    const named = withSavedMetricNames(args, this.savedMetrics);
    const { aliases, ownsOptimizer, stateful } = compileWithKerasNames(named, compile, lossFunctions, outputNames);
    this.metricAliases = aliases;
    this.statefulMetrics = stateful;
    return ownsOptimizer;
  }

  /** Clears the state of the metrics that keep it: the training counts, the evaluation counts, or both. */
  resetMetrics(which?: 'train' | 'test'): void {
    for (const m of this.statefulMetrics) m.reset(which);
  }

  /** Runs tfjs's `loadTrainingConfig` (`load`) with the saved metric names at hand for the compile it makes. */
  loadTrainingConfig(config: tf.io.TrainingConfig, load: () => void): void {
    this.savedMetrics = config.metrics;
    try {
      load();
    } finally {
      this.savedMetrics = undefined;
    }
  }
}
