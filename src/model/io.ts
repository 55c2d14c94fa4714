/**
 * Saving and loading models as files in Node, on every backend (tfjs gives a
 * `file://` handler only with tfjs-node). A save never destroys the last good
 * model: the weights go to a new file, then `model.json` is replaced by an
 * atomic rename (each file and the folder flushed to disk first), and only
 * then, once no load may still be reading them, are the old weight files
 * removed. A save refuses to replace a file that is no model unless asked.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../tf';
import { RecurrentInputError } from '../errors';
import { routeFileUrls } from './file_router';
import { withDirLock, withReadMark } from './dir_lock';
import { buildFromArtifacts } from './load_budget';
import { checkDepth, checkGroupBytes, checkManifest, visible, weightPathInside } from './untrusted';

const MODEL_JSON = 'model.json';

/** The path of a `file://` URL (`file:///abs/dir` → `/abs/dir`, `file://dir` → `dir`), or the path itself. */
export function fromFileUrl(pathOrUrl: string): string {
  return pathOrUrl.startsWith('file://') ? pathOrUrl.slice('file://'.length) : pathOrUrl;
}

/**
 * Where a model is: a folder (its `model.json`), the path of its JSON file,
 * or either as a `file://` URL with a relative or absolute path. A path that
 * exists as a file, or does not exist and ends in `.json`, is the JSON file.
 */
export function modelLocation(pathOrUrl: string): { dir: string; modelFile: string } {
  const p = fromFileUrl(pathOrUrl);
  const isFile = fs.existsSync(p) ? fs.statSync(p).isFile() : /\.json$/i.test(p);
  return isFile ? { dir: path.dirname(p), modelFile: path.basename(p) } : { dir: p, modelFile: MODEL_JSON };
}

/** Options of {@link fileIO}. */
export interface FileIOOptions {
  /** How a file is written (default fs.writeFileSync); tests inject failures here. */
  writeFile?: (file: string, data: string | Uint8Array) => void;
  /** The name of the JSON file in the folder (default: the one `pathOrUrl` names, else `model.json`). */
  modelFile?: string;
  /**
   * Whether a save may replace the file at the model JSON's path, as Keras's
   * `overwrite` argument of `model.save`: true replaces whatever is there;
   * false refuses any existing file; unset (the default) replaces a model
   * saved before and refuses any other file (a CSV, a note, a .keras zip).
   */
  overwrite?: boolean;
}

/** A name no other save uses: not time-based (two saves can fall in one millisecond). */
const unique = () => crypto.randomBytes(8).toString('hex');

/** Temporary files of this module: `<name>.tmp-<pid>-<random>`. */
const TMP = /\.tmp-\d+-[0-9a-f]+$/;

/** Flushes a file, or a folder's entries, to disk (a folder where the system cannot: skipped). */
function fsyncPath(p: string, isFolder = false): void {
  let fd: number;
  try {
    fd = fs.openSync(p, 'r');
  } catch (e) {
    if (isFolder) return; // Windows opens no folder
    throw e;
  }
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    if (!isFolder) throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `data` to a new temporary file beside `file`, flushed to disk; returns its path. */
export function writeTemporary(file: string, data: string | Uint8Array, write: (file: string, data: string | Uint8Array) => void): string {
  const tmp = `${file}.tmp-${process.pid}-${unique()}`;
  try {
    write(tmp, data);
    fsyncPath(tmp);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return tmp;
}

/** Renames `tmp` to `file`, removing `tmp` if that fails. */
export function renameOrRemove(tmp: string, file: string): void {
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * The weight paths a file of the folder names, normalised (`./w.bin` = `w.bin`):
 * null for a file that is no model JSON, 'unreadable' for one that mentions a
 * weights manifest but cannot be parsed.
 */
function weightPaths(file: string): string[] | null | 'unreadable' {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (st == null || !st.isFile() || st.size > 64 * 2 ** 20) return null; // not a JSON file a model would write (and no FIFO is read)
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  if (!text.includes('weightsManifest')) return null;
  try {
    const json = JSON.parse(text) as { weightsManifest?: Array<{ paths?: unknown[] }> };
    const paths: string[] = [];
    for (const g of json?.weightsManifest ?? []) for (const p of g?.paths ?? []) if (typeof p === 'string') paths.push(path.normalize(p));
    return paths;
  } catch {
    return 'unreadable';
  }
}

/**
 * Throws, before anything is written, if a save must not replace `file`:
 * a folder; with `overwrite: false`, anything; by default, a file that is no
 * saved model (no weights manifest in it).
 */
function refuseToReplace(file: string, overwrite: boolean | undefined): void {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return; // ENOTDIR and the like: making the folder fails, naming it
  }
  if (st == null) return;
  if (st.isDirectory()) throw new RecurrentInputError(`fileIO: cannot save the model JSON to ${file}: it is a folder`);
  if (overwrite === true) return;
  if (overwrite === false) {
    throw new RecurrentInputError(`fileIO: ${file} exists and overwrite is false; refused to replace it`);
  }
  const paths = weightPaths(file);
  if (!Array.isArray(paths)) {
    const found = paths === 'unreadable' ? 'a file that is not valid JSON' : `a ${st.size}-byte file with no weightsManifest`;
    throw new RecurrentInputError(
      `fileIO: ${file} exists and is not a saved model (expected a model JSON with a weightsManifest, found ${found}); ` +
        "refused to replace it: save to another path, or replace it with model.save(url, { overwrite: true }) (or fileIO(path, { overwrite: true }))",
    );
  }
}

/**
 * Run under the folder's save lock, after the new model JSON is in place:
 * removes the weights files that no file of the folder names any more (the
 * replaced ones, and those of saves killed before their rename) and the
 * temporaries of killed saves. Every file of the folder is read as a
 * possible model JSON, whatever its name; a file that mentions a weights
 * manifest but cannot be parsed stops the removal of weights altogether.
 */
function removeLeftovers(dir: string): void {
  const files = fs.readdirSync(dir);
  const used = new Set<string>();
  let unsure = false;
  for (const f of files) {
    if (f.endsWith('.bin') || TMP.test(f)) continue;
    const paths = weightPaths(path.join(dir, f));
    if (paths === 'unreadable') unsure = true;
    else for (const p of paths ?? []) used.add(p);
  }
  for (const f of files) {
    if (TMP.test(f) || (!unsure && /^weights\.[0-9a-f]+\.bin$/.test(f) && !used.has(f))) fs.rmSync(path.join(dir, f), { force: true });
  }
}

type ModelJson = {
  modelTopology?: object; weightsManifest?: tf.io.WeightsManifestConfig; format?: string; generatedBy?: string;
  convertedBy?: string | null; trainingConfig?: tf.io.TrainingConfig; userDefinedMetadata?: {};
};

/** Reads and checks the model JSON `file` of `dir` and the weights it names (synchronously). */
function readModelFiles(dir: string, file: string): { json: ModelJson & { modelTopology: object }; weightData: ArrayBuffer; specs: tf.io.WeightsManifestEntry[] } {
  let json: ModelJson;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')); // a BOM, as editors on Windows write
  } catch (e) {
    throw new RecurrentInputError(visible(`loadModel: ${file} is not valid JSON (${(e as Error).message})`));
  }
  if (json == null || typeof json.modelTopology !== 'object' || json.modelTopology === null || !Array.isArray(json.weightsManifest)) {
    throw new RecurrentInputError(`loadModel: ${file} has no modelTopology or weightsManifest`);
  }
  const where = `loadModel: ${file}`;
  checkDepth(json, where);
  const manifest = checkManifest(json.weightsManifest, where);
  const realDir = fs.realpathSync(dir);
  // Every path and size checked before any weight file is read.
  const groups = manifest.map((group) => {
    const files = group.paths.map((p) => {
      const wf = weightPathInside(dir, p, where);
      if (!fs.existsSync(wf)) throw new RecurrentInputError(`loadModel: weight file ${wf} named in ${file} is missing`);
      if (!fs.realpathSync(wf).startsWith(realDir + path.sep)) {
        throw new RecurrentInputError(`${where}: weight path ${JSON.stringify(p)} is a link that leaves the model's folder; refused`);
      }
      return wf;
    });
    checkGroupBytes(group, files.reduce((n, f) => n + fs.statSync(f).size, 0), where);
    return files;
  });
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  manifest.forEach((group, g) => {
    const all = Buffer.concat(groups[g].map((f) => fs.readFileSync(f)));
    checkGroupBytes(group, all.byteLength, where); // the files may have changed since their sizes were read
    specs.push(...group.weights);
    buffers.push(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer);
  });
  return { json: json as ModelJson & { modelTopology: object }, weightData: tf.io.concatenateArrayBuffers(buffers), specs };
}

/**
 * A tfjs IOHandler that saves to and loads from a folder on every backend:
 * `pathOrUrl` is the folder, the path of its `model.json`, or either as a
 * `file://` URL. A save writes the new weights file, then replaces `model.json` by
 * an atomic rename, then removes the old weights once no load reads them: a
 * failed save leaves the previous model loadable. A file at the model JSON's
 * path that is no saved model (`model.save('file://results.csv')` onto a CSV)
 * is refused unless `options.overwrite` is true.
 *
 * @example
 * ```ts
 * import { Sequential, LSTM, fileIO, loadModel } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new LSTM({ units: 4, inputShape: [5, 3] })] });
 * await model.save(fileIO('saved-model'));
 * const again = await loadModel('saved-model');
 * ```
 */
export function fileIO(pathOrUrl: string, options: FileIOOptions = {}): tf.io.IOHandler {
  const write = options.writeFile ?? ((f: string, d: string | Uint8Array) => fs.writeFileSync(f, d));
  const where = options.modelFile == null ? modelLocation(pathOrUrl) : { dir: fromFileUrl(pathOrUrl), modelFile: options.modelFile };
  const { dir, modelFile } = where;
  if (modelFile.length === 0 || modelFile !== path.basename(modelFile) || modelFile === '..' || TMP.test(modelFile) || modelFile.endsWith('.bin')) {
    throw new RecurrentInputError(`fileIO: modelFile must be a file name in the folder (such as 'model.json'), got ${JSON.stringify(modelFile)}`);
  }
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new RecurrentInputError(`fileIO: saving a binary model topology is not supported (${dir})`);
      }
      const modelPath = path.join(dir, modelFile);
      refuseToReplace(modelPath, options.overwrite); // before anything is written, the folder included
      try {
        fs.mkdirSync(dir, { recursive: true });
      } catch (e) {
        throw new RecurrentInputError(`fileIO: cannot save into ${dir}: ${(e as Error).message}`);
      }
      const weightsFile = `weights.${unique()}.bin`;
      const data = artifacts.weightData == null ? new Uint8Array(0) : new Uint8Array(tf.io.concatenateArrayBuffers(
        Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData],
      ));
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        trainingConfig: artifacts.trainingConfig,
        userDefinedMetadata: artifacts.userDefinedMetadata,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
      };
      // One saver at a time in a folder (other processes included): the new weights, then
      // model.json by an atomic rename, then, once no load reads them, what no model names any more.
      await withDirLock(dir, async (lock) => {
        refuseToReplace(modelPath, options.overwrite); // again, now that no other save runs
        const weightsPath = path.join(dir, weightsFile);
        renameOrRemove(writeTemporary(weightsPath, data, write), weightsPath);
        lock.touch();
        let tmp: string | undefined;
        try {
          tmp = writeTemporary(modelPath, JSON.stringify(json), write);
          fsyncPath(dir, true); // the weights' name on disk before a model.json names it
          lock.assertHeld();
          renameOrRemove(tmp, modelPath);
        } catch (e) {
          if (tmp != null) fs.rmSync(tmp, { force: true });
          fs.rmSync(weightsPath, { force: true });
          throw e;
        }
        fsyncPath(dir, true);
        if (await lock.waitForReaders()) removeLeftovers(dir); // else the next save removes them
      });
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: data.byteLength,
        },
      };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const file = path.join(dir, modelFile);
      if (!fs.existsSync(file)) throw new RecurrentInputError(`loadModel: no ${modelFile} in ${dir}`);
      // The model JSON and the weights it names, read while a saver keeps them (a read mark).
      const { json, weightData, specs } = withReadMark(dir, () => readModelFiles(dir, file));
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        trainingConfig: json.trainingConfig,
        userDefinedMetadata: json.userDefinedMetadata,
      };
    },
  };
}

/**
 * Loads a model saved with `model.save(fileIO(dir))` or `model.save('file://dir')`.
 * `pathOrUrl` takes the forms {@link fileIO} takes: the folder, its
 * `model.json`, or either as a `file://` URL; `tf.loadLayersModel` takes the
 * same as `file://` URLs, with or without tfjs-node loaded.
 *
 * @example
 * ```ts
 * import { tf, Sequential, GRU, loadModel } from 'tfjs-recurrent';
 * await new Sequential({ layers: [new GRU({ units: 4, inputShape: [5, 3] })] }).save('file://saved-gru');
 * const model = await loadModel('saved-gru');
 * const y = model.predict(tf.ones([1, 5, 3])) as tf.Tensor; // [1, 4]
 * ```
 */
export async function loadModel(pathOrUrl: string): Promise<tf.LayersModel> {
  // Not tf.loadLayersModel: its build would allocate what the config says before the weights are checked.
  return buildFromArtifacts(await fileIO(pathOrUrl).load!(), `loadModel: ${pathOrUrl}`);
}

routeFileUrls((url) => fileIO(url));
