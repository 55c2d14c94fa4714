/**
 * Building a model from an untrusted file: its config says how big each
 * layer is, its weight files say how many bytes there are. While a loader
 * builds the model (synchronously, inside {@link withWeightBudget}), every
 * weight one of this package's layers creates is charged against the bytes
 * the files really hold, before it is allocated; and no weight is randomly
 * initialised (the file's values replace them all). So a 1 KB model.json that
 * declares an LSTM of 2,048 units is refused at once, naming the weight,
 * instead of allocating and initialising it.
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

/** Runs the synchronous `build` with `bytes` of weights allowed in all. */
export function withWeightBudget<T>(bytes: number, where: string, build: () => T): T {
  const outer = current;
  const budget: Budget = { left: bytes, total: bytes, where, made: [] };
  current = budget;
  try {
    return build();
  } catch (e) {
    for (const w of budget.made) w.dispose(); // a refused build keeps nothing
    throw e;
  } finally {
    current = outer;
  }
}

/** Charges one new weight of a layer (called before it is allocated); throws when the files cannot hold it. */
export function chargeWeight(name: string, shape: ReadonlyArray<number | null>, bytesPerElement = 4): void {
  if (current == null) return;
  const n = shape.reduce<number>((a, d) => a * (d ?? 0), 1) * bytesPerElement;
  if (n > current.left) {
    throw new RecurrentInputError(
      `${current.where}: ${name}: the config makes it ${fmtShape(shape)} = ${n} bytes, but the weight files hold ${current.total} bytes in all (${current.left} not yet used): the config does not match the weights`,
    );
  }
  current.left -= n;
}

/** Records a weight made under the budget, to dispose if the build fails. */
export function madeWeight(w: { dispose(): void }): void {
  current?.made.push(w);
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
  // modelFromJSON without weights builds the model synchronously, inside the budget's window.
  withWeightBudget(data.byteLength, where, () => {
    pending = tf.models.modelFromJSON({ modelTopology: artifacts.modelTopology } as tf.io.ModelJSON);
  });
  let model: tf.LayersModel;
  try {
    model = await pending!;
  } catch (e) {
    // tfjs's own deserialization errors (unknown class, bad config), as ours: named, and bounded in length.
    if (e instanceof RecurrentInputError || e instanceof RecurrentConfigError) throw e;
    throw new RecurrentInputError(`${where}: the model config cannot be built: ${(e as Error)?.message ?? String(e)}`);
  }
  if (artifacts.trainingConfig != null) model.loadTrainingConfig(artifacts.trainingConfig as Parameters<tf.LayersModel['loadTrainingConfig']>[0]);
  if (artifacts.userDefinedMetadata != null) model.setUserDefinedMetadata(artifacts.userDefinedMetadata);
  const named = tf.io.decodeWeights(data, specs);
  const optimizerNames = new Set(specs.filter((s) => s.group === 'optimizer').map((s) => s.name));
  try {
    const modelWeights: tf.NamedTensorMap = {};
    for (const [name, t] of Object.entries(named)) if (!optimizerNames.has(name)) modelWeights[name] = t;
    model.loadWeights(modelWeights, true);
    if (model.optimizer != null && optimizerNames.size > 0) {
      await model.optimizer.setWeights(specs.filter((s) => optimizerNames.has(s.name)).map((s) => ({ name: s.name, tensor: named[s.name] })));
    }
  } finally {
    tf.dispose(Object.values(named));
  }
  return model;
}
