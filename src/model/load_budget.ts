/**
 * Building a model from an untrusted file: its config says how big each
 * layer is, its weight files say how many bytes there are. While a loader
 * builds the model (synchronously, inside {@link withWeightBudget}), every
 * weight any layer creates (this package's and tfjs's own: `addWeight` of
 * tf.layers.Layer is wrapped for the duration) is charged against the bytes
 * the files really hold, before it is allocated; and none of this package's
 * layers draws random initial values (the file's values replace them all). So
 * a 1 KB model.json that declares an LSTM of 2,048 units, or a tfjs Dense of
 * 20,000 × 5,000, is refused at once, naming the weight.
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtShape } from '../errors';

interface Budget {
  left: number;
  total: number;
  where: string;
  /** The weights made so far, disposed if the build fails. */
  made: Array<{ dispose(): void }>;
}

let current: Budget | null = null;

/**
 * Runs the synchronous `build` with `bytes` of weights allowed in all. The
 * weights it makes are pushed onto `made` (so a caller can dispose them if a
 * later step fails); if `build` throws they are disposed here.
 */
export function withWeightBudget<T>(bytes: number, where: string, build: () => T, made: Array<{ dispose(): void }> = []): T {
  const outer = current;
  const budget: Budget = { left: bytes, total: bytes, where, made };
  const proto = tf.layers.Layer.prototype as unknown as { addWeight: (...a: unknown[]) => tf.LayerVariable };
  const addWeight = proto.addWeight;
  proto.addWeight = function (this: tf.layers.Layer, ...args: unknown[]): tf.LayerVariable {
    const [name, shape, dtype] = args as [string, Array<number | null>, string | undefined];
    charge(budget, `${this.name}/${name}`, shape, dtype === 'bool' ? 1 : 4);
    const w = addWeight.apply(this, args);
    budget.made.push(w);
    return w;
  };
  current = budget;
  try {
    return build();
  } catch (e) {
    disposeAll(made); // a refused build keeps nothing
    throw e;
  } finally {
    proto.addWeight = addWeight;
    current = outer;
  }
}

function disposeAll(made: Array<{ dispose(): void }>): void {
  for (const w of made.splice(0)) {
    try {
      w.dispose();
    } catch {
      // already disposed
    }
  }
}

/** Charges one new weight (called before it is allocated); throws when the files cannot hold it. */
function charge(budget: Budget, name: string, shape: ReadonlyArray<number | null>, bytesPerElement: number): void {
  const n = shape.reduce<number>((a, d) => a * (d ?? 0), 1) * bytesPerElement;
  if (n > budget.left) {
    throw new RecurrentInputError(
      `${budget.where}: ${name}: the config makes it ${fmtShape(shape)} = ${n} bytes, but the weight files hold ${budget.total} bytes in all (${budget.left} not yet used): the config does not match the weights`,
    );
  }
  budget.left -= n;
}

/** Whether a loader is building now: initial values would be overwritten, so none is drawn. */
export function buildingFromFile(): boolean {
  return current != null;
}

/**
 * A tfjs LayersModel from loaded artifacts, as `tf.loadLayersModel` makes it
 * (architecture, training config, metadata, weights, optimizer state), but
 * built under the weight budget of the artifacts' own bytes.
 */
export async function buildFromArtifacts(artifacts: tf.io.ModelArtifacts, where: string): Promise<tf.LayersModel> {
  const specs = artifacts.weightSpecs ?? [];
  const data = artifacts.weightData == null ? new ArrayBuffer(0) : tf.io.concatenateArrayBuffers(Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]);
  let pending: Promise<tf.LayersModel> | null = null;
  const made: Array<{ dispose(): void }> = [];
  // modelFromJSON without weights builds the model synchronously, inside the budget's window
  // (its errors come back as a rejected promise, so `made` is disposed below).
  withWeightBudget(data.byteLength, where, () => {
    pending = tf.models.modelFromJSON({ modelTopology: artifacts.modelTopology } as tf.io.ModelJSON);
  }, made);
  let model: tf.LayersModel;
  try {
    model = await pending!;
  } catch (e) {
    disposeAll(made);
    throw asOurs(e, `${where}: the model config cannot be built`);
  }
  if (artifacts.trainingConfig != null) model.loadTrainingConfig(artifacts.trainingConfig as Parameters<tf.LayersModel['loadTrainingConfig']>[0]);
  if (artifacts.userDefinedMetadata != null) model.setUserDefinedMetadata(artifacts.userDefinedMetadata);
  const optimizerNames = new Set(specs.filter((s) => s.group === 'optimizer').map((s) => s.name));
  let named: tf.NamedTensorMap = {};
  try {
    named = tf.io.decodeWeights(data, specs);
    const modelWeights: tf.NamedTensorMap = {};
    for (const [name, t] of Object.entries(named)) if (!optimizerNames.has(name)) modelWeights[name] = t;
    for (const w of model.weights) {
      const t = modelWeights[w.originalName];
      if (t != null && (t.shape.length !== w.shape.length || t.shape.some((d, i) => d !== w.shape[i]))) {
        throw new RecurrentInputError(`${where}: weight ${w.originalName} is ${fmtShape(t.shape)} in the file, but the model makes it ${fmtShape(w.shape)}`);
      }
    }
    model.loadWeights(modelWeights, true);
    if (model.optimizer != null && optimizerNames.size > 0) {
      await model.optimizer.setWeights(specs.filter((s) => optimizerNames.has(s.name)).map((s) => ({ name: s.name, tensor: named[s.name] })));
    }
  } catch (e) {
    model.dispose(); // a refused load keeps nothing
    throw asOurs(e, `${where}: the weights do not fit the model`);
  } finally {
    tf.dispose(Object.values(named));
  }
  return model;
}

/** tfjs's own errors (unknown class, shape mismatch) as ours: named, and bounded in length. */
export function asOurs(e: unknown, what: string): Error {
  if (e instanceof RecurrentInputError || e instanceof RecurrentConfigError) return e;
  return new RecurrentInputError(`${what}: ${(e as Error)?.message ?? String(e)}`);
}
