/**
 * `tfjs-recurrent export --to web RUN OUT`: what a web page needs to score
 * texts as `predict` does, as static files any server can host.
 *
 *   OUT/run.json               which models (the ensemble's order: p is their mean), and the run's settings
 *   OUT/preprocessing.json     the tokenizer and the encoding (src/sentiment/preprocessing.ts)
 *   OUT/<member>/model.json    tfjs's own format: `tf.loadLayersModel('…/model/model.json')` reads it
 *   OUT/<member>/weights.bin   once the page has imported this package (which registers its layers)
 *
 * The checks and the order of the writes are export.ts's; this module makes the bytes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../tf';
import { FileFormat } from '../interop/write_file';

/** A member's files in OUT/<member>/. */
export const WEB_MODEL_FILE = 'model.json';
export const WEB_WEIGHTS_FILE = 'weights.bin';

/** The file that lists the exported models, in OUT. */
export const WEB_RUN_FILE = 'run.json';

/** The value of run.json's `format` field. */
export const WEB_RUN_FORMAT = 'tfjs-recurrent-web-run';

/** What run.json holds. */
export interface WebRun {
  /** What the file is: 'tfjs-recurrent-web-run'. */
  format: typeof WEB_RUN_FORMAT;
  /** 1: the layout described here. */
  version: 1;
  /** Each model's model.json, relative to run.json; P(positive) is the mean of their outputs, as `predict` takes it. */
  models: string[];
  /** The preprocessing file, relative to run.json. */
  preprocessing: string;
  /** The run's settings that say what the models are (null where report.json does not hold them). */
  config: { cell: string | null; pooling: string | null; units: number | null; ensemble: number };
  /** The test accuracy of the run's ensemble, where every member is exported (null otherwise). */
  testAccuracy: number | null;
  /** The data the run trained on, as its report names it. */
  data: string | null;
}

/** A model.json of tfjs's: an object. */
export const MODEL_JSON_FILE: FileFormat = { name: "a tfjs model.json", looksOurs: (head) => head[0] === 0x7b };
/** Weights are any bytes: a file there is replaced only with --force (export.ts checks it first). */
export const WEIGHTS_FILE: FileFormat = { name: 'a weights file', looksOurs: () => false };
/** run.json: an object. */
export const RUN_FILE: FileFormat = { name: 'a run.json', looksOurs: (head) => head[0] === 0x7b };

/**
 * A model as tfjs's own files: model.json (topology, weights manifest naming
 * `weights.bin`) and the weights' bytes, as `tf.loadLayersModel` reads them over http.
 */
export async function tfjsFiles(model: tf.LayersModel): Promise<{ json: Buffer; weights: Buffer }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const a = saved!;
  const data = a.weightData == null ? [] : Array.isArray(a.weightData) ? a.weightData : [a.weightData];
  const json = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy ?? null,
    weightsManifest: [{ paths: [WEB_WEIGHTS_FILE], weights: a.weightSpecs ?? [] }],
  };
  return { json: Buffer.from(JSON.stringify(json)), weights: Buffer.from(tf.io.concatenateArrayBuffers(data)) };
}

/** A field of report.json, where it has the type asked for. */
function pick<T>(v: unknown, is: (v: unknown) => boolean): T | null {
  return is(v) ? (v as T) : null;
}

/**
 * run.json's content for the models `members` (folder names) of the run
 * folder `run`: its settings read from report.json where they are there.
 */
export function webRun(run: string, members: string[], preprocessing: string): WebRun {
  let report: { config?: Record<string, unknown>; model?: { test?: { accuracy?: unknown } }; data?: { source?: unknown }; members?: unknown[] } = {};
  try {
    report = JSON.parse(fs.readFileSync(path.join(run, 'report.json'), 'utf8').replace(/^\uFEFF/, '')) ?? {};
  } catch {
    // export.ts has read it already (readReport); a field missing here is null
  }
  const c = report.config ?? {};
  const str = (v: unknown) => typeof v === 'string';
  const all = Array.isArray(report.members) ? report.members.length === members.length : members.length === 1;
  return {
    format: WEB_RUN_FORMAT,
    version: 1,
    models: members.map((m) => `${m}/${WEB_MODEL_FILE}`),
    preprocessing,
    config: {
      cell: pick<string>(c.cell, str),
      pooling: pick<string>(c.pooling, str),
      units: pick<number>(c.units, Number.isSafeInteger),
      ensemble: members.length,
    },
    testAccuracy: all ? pick<number>(report.model?.test?.accuracy, Number.isFinite) : null,
    data: pick<string>(report.data?.source, str),
  };
}

/** run.json's text. */
export const webRunText = (r: WebRun) => `${JSON.stringify(r, null, 2)}\n`;
