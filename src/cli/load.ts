/** Loading a model for the command line: one saved by this package, or one converted from Keras. */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../tf';
import { loadKerasModel, kerasModelFromArtifacts } from '../interop/keras/load';
import { fileIO, modelLocation } from '../model/io';
import { buildFromArtifacts } from '../model/load_budget';
import { NS } from '../layers/base';
import { RecurrentInputError } from '../errors';

/**
 * A model saved by this package (any layer class it registers: EmbeddingBag,
 * WordCountLogit, ...) through tfjs's registry, as `loadModel` does; one
 * converted from Keras through `loadKerasModel`. `who` starts the errors.
 */
export async function loadAnyModel(model: string, who: string): Promise<tf.LayersModel> {
  const keras = /^https?:\/\//.test(model) || (/\.(keras|h5|hdf5)$/i.test(model) && fs.statSync(model, { throwIfNoEntry: false })?.isFile());
  if (keras) return loadKerasModel(model, { onWarning: (w) => console.error(`warning: ${w}`) });
  const { dir, modelFile } = modelLocation(model);
  const where = path.join(dir, modelFile);
  if (!fs.existsSync(where)) throw new RecurrentInputError(`${who}: no model at ${model} (looked for ${where})`);
  const artifacts = await fileIO(model).load!();
  const topology = (artifacts.modelTopology ?? {}) as { model_config?: unknown; config?: { layers?: Array<{ class_name?: unknown }> } };
  const layers = (topology.model_config as typeof topology | undefined)?.config?.layers ?? topology.config?.layers ?? [];
  const ours = layers.some((l) => typeof l?.class_name === 'string' && l.class_name.startsWith(NS));
  if (ours) return buildFromArtifacts(artifacts, `loadModel: ${model}`); // as loadModel builds, from the files read once
  return kerasModelFromArtifacts(artifacts, { onWarning: (w) => console.error(`warning: ${w}`) });
}
