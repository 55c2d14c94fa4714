/**
 * The training and test steps of our models, as Keras 3's: tfjs's own train
 * function (its forward pass, loss and optimizer step), with the model's
 * regularization penalties in the loss as Keras sums them and each weight
 * constraint applied after the optimizer's step; a test function whose loss
 * holds the penalties too (src/training/penalties.ts). Installed on the
 * LayersModel that trains when Sequential or Functional compiles (a
 * Sequential's is the functional model tfjs's Sequential wraps), so fit,
 * trainOnBatch, fitDataset, evaluate, evaluateDataset and the validation of
 * fit all take them: tfjs makes each of these steps through the model's
 * `makeTrainFunction` and `makeTestFunction`, and its train function asks the
 * model's `calculateLosses` for the penalties.
 */
import { tf } from '../tf';
import { withActivityLosses } from '../layers/penalties';
import { applyConstraints, hasPenalties, modelPenalties } from '../training/penalties';
import { weightedTestFunction } from './weighted_training';

type Fn = (data: tf.Tensor[]) => tf.Scalar[];

/** The step makers of tfjs's LayersModel (public at run time, protected or private in its typings). */
interface Steps {
  calculateLosses(): tf.Scalar[];
  makeTrainFunction(): Fn;
  makeTestFunction(): void;
  testFunction: Fn;
}

const installed = new WeakSet<tf.LayersModel>();

/** Gives `model` Keras 3's steps (once; a recompile keeps them). */
export function installKerasSteps(model: tf.LayersModel): void {
  if (installed.has(model)) return;
  installed.add(model);
  const m = model as unknown as Steps;
  const tfjsTrainFunction = m.makeTrainFunction.bind(model);
  const tfjsTestFunction = m.makeTestFunction.bind(model);
  // Own properties over the class's methods (Functional's makeTestFunction is a read-only one).
  const own = <K extends keyof Steps>(key: K, value: Steps[K]) => Object.defineProperty(model, key, { value, writable: true, configurable: true });
  // tfjs's train function adds these to the mean loss inside the gradient tape, after the forward pass.
  own('calculateLosses', () => modelPenalties(model));
  own('makeTrainFunction', () => {
    const step = tfjsTrainFunction();
    return (data: tf.Tensor[]) => {
      const outs = withActivityLosses(() => step(data)); //  forward, loss + penalties, optimizer step
      applyConstraints(model); //                             w ← c(w)
      return outs;
    };
  });
  own('makeTestFunction', () => {
    if (hasPenalties(model)) m.testFunction = weightedTestFunction(model);
    else tfjsTestFunction();
  });
}
