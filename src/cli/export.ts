/**
 * `tfjs-recurrent export --to keras|onnx|torch|web SOURCE OUT`: the models of a
 * run folder (every member of an ensemble), of a model folder or of a
 * model.json, written as Keras 3 `.keras` files, ONNX graphs or PyTorch
 * state dicts (JSON); or, `--to web`, a run's models in tfjs's own format
 * with run.json, for a web page (export_web.ts). Every file to write is checked before any is written:
 * none may be a file of a model being read (its model.json or weights, even
 * with --force), and none may exist unless --force.
 *
 * Where the models come from a run folder of `tfjs-recurrent sentiment`
 * (SOURCE is the run, or one of its model folders), preprocessing.json goes
 * beside them: the tokenizer and the encoding that turn texts into their
 * input (src/sentiment/preprocessing.ts). It is written last, under the same
 * rules, except that a preprocessing.json that exists with the very bytes to
 * write is no file replaced (so a run exported to several formats in one
 * folder needs no --force).
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../tf';
import { FileFormat, writeExportFile } from '../interop/write_file';
import { RecurrentConfigError, RecurrentInputError } from '../errors';
import { saveKeras } from '../interop/keras/save';
import { saveOnnx } from '../interop/onnx/save';
import { toTorchModelStateDict } from '../interop/torch/save';
import type { SentimentReport } from '../sentiment/train';
import { MEMBER_DIR, runPreprocessing } from '../sentiment/run_folder';
import { PREPROCESSING_FILE, preprocessingText } from '../sentiment/preprocessing';
import { modelLocation } from '../model/io';
import { visible } from '../model/untrusted';
import { loadAnyModel } from './load';
import { MODEL_JSON_FILE, RUN_FILE, WEB_MODEL_FILE, WEB_RUN_FILE, WEB_WEIGHTS_FILE, WEIGHTS_FILE, tfjsFiles, webRun, webRunText } from './export_web';

export const EXPORT_FORMATS = ['keras', 'onnx', 'torch', 'web'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const EXTENSION: Record<Exclude<ExportFormat, 'web'>, string> = { keras: '.keras', onnx: '.onnx', torch: '.json' };

/** The model folders of SOURCE, each with the file name it gets in a folder OUT. */
function sources(source: string): Array<{ model: string; base: string }> {
  const report = path.join(source, 'report.json');
  if (fs.existsSync(report)) {
    let dirs: string[];
    try {
      dirs = (JSON.parse(fs.readFileSync(report, 'utf8').replace(/^\uFEFF/, '')) as SentimentReport).members?.map((m) => m.dir) ?? ['model'];
    } catch (e) {
      throw new RecurrentInputError(visible(`export: ${report} is not a report written by 'tfjs-recurrent sentiment' (${(e as Error).message})`));
    }
    return dirs.map((d) => ({ model: path.join(source, d), base: d }));
  }
  if (!fs.existsSync(source)) throw new RecurrentInputError(`export: SOURCE ${source} does not exist`);
  const isJson = fs.statSync(source).isFile();
  return [{ model: source, base: path.basename(isJson ? path.dirname(path.resolve(source)) : path.resolve(source)) || 'model' }];
}

/**
 * The run folder whose tokenizer the models of SOURCE read: SOURCE itself
 * where it holds report.json, else the folder holding SOURCE's model folder
 * (`run/model_2`, `run/model_2/model.json`) where that folder is named as a
 * run's models are and the run has report.json and tokenizer.json; else none.
 */
function runOf(source: string): string | undefined {
  if (fs.existsSync(path.join(source, 'report.json'))) return source;
  const dir = statOf(source)?.isFile() ? path.dirname(path.resolve(source)) : path.resolve(source);
  const run = path.dirname(dir);
  const isRun = MEMBER_DIR.test(path.basename(dir)) && ['report.json', 'tokenizer.json'].every((f) => statOf(path.join(run, f))?.isFile());
  return isRun ? run : undefined;
}

/** Whether `file` is a file holding exactly `bytes`. */
function holds(file: string, bytes: Buffer): boolean {
  const st = statOf(file);
  if (st == null || !st.isFile() || st.size !== bytes.length) return false;
  try {
    return fs.readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

/** `p` as the file system names it: symbolic links of the folders on its way resolved. */
function canonical(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(canonical(parent), path.basename(abs));
  }
}

/** The files a model reads: its model JSON and the weight files its manifest names (those it can name). */
function filesOf(model: string): string[] {
  const { dir, modelFile } = modelLocation(model);
  const json = path.join(dir, modelFile);
  const files = [json];
  try {
    const manifest = (JSON.parse(fs.readFileSync(json, 'utf8').replace(/^\uFEFF/, '')) as { weightsManifest?: Array<{ paths?: unknown[] }> }).weightsManifest;
    for (const g of Array.isArray(manifest) ? manifest : []) {
      for (const p of Array.isArray(g?.paths) ? g.paths : []) if (typeof p === 'string') files.push(path.join(dir, p));
    }
  } catch {
    // loading it says what is wrong
  }
  return files;
}

/** `fs.statSync`, or undefined where nothing is (ENOTDIR included). */
function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Throws, before anything is written, if `file` must not be written. */
function checkTarget(file: string, read: Map<string, string>, force: boolean): void {
  const source = read.get(canonical(file));
  if (source != null) {
    throw new RecurrentConfigError(`export: OUT ${file} is a file of the model being exported (${source}); refused, with or without --force: choose another OUT`);
  }
  const st = statOf(file);
  if (st?.isDirectory()) throw new RecurrentConfigError(`export: cannot write ${file}: it is a folder`);
  if (st != null && !force) throw new RecurrentConfigError(`export: ${file} exists; refused to replace it (pass --force to replace it)`);
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const d = statOf(dir);
    if (d != null && !d.isDirectory()) throw new RecurrentConfigError(`export: cannot write ${file}: ${dir} is a file, not a folder`);
    if (d != null || path.dirname(dir) === dir) break;
  }
}

async function write(format: ExportFormat, model: tf.LayersModel, [file, weightsFile]: string[]): Promise<void> {
  // checkTarget has refused what must not be replaced: what is left may be.
  if (format === 'keras') return saveKeras(model, file, { overwrite: true });
  if (format === 'onnx') return saveOnnx(model, file, { overwrite: true });
  if (format === 'web') {
    const { json, weights } = await tfjsFiles(model);
    writeExportFile('export', weightsFile, weights, WEIGHTS_FILE, { overwrite: true }); // the weights first: model.json names them
    return writeExportFile('export', file, json, MODEL_JSON_FILE, { overwrite: true });
  }
  writeExportFile('export', file, Buffer.from(JSON.stringify(toTorchModelStateDict(model))), STATE_DICT_FILE, { overwrite: true });
}

/** A state dict as JSON: an object. */
const STATE_DICT_FILE: FileFormat = { name: 'a state dict', looksOurs: (head) => head[0] === 0x7b };

/** preprocessing.json: an object. */
const PREPROCESSING: FileFormat = { name: 'a preprocessing file', looksOurs: (head) => head[0] === 0x7b };

/** Options of {@link exportModels}. */
export interface ExportOptions {
  /** Replace files that exist (never a file of the model being read). Default false. */
  force?: boolean;
}

/**
 * Exports every model of SOURCE; returns the files written. One model goes to
 * OUT itself (or into OUT as `<model folder><ext>` when OUT is a folder);
 * several go into the folder OUT, one file each. Models of a run folder get
 * preprocessing.json beside them (in OUT's folder, or in OUT when it is a
 * folder), listed last. `web` takes a run folder (or one of its model
 * folders) only and always writes the folder OUT: `<model folder>/model.json`
 * and `weights.bin` per model, preprocessing.json, then run.json. No file is
 * written if any would replace a file of a model being read (or the run's
 * report.json or tokenizer.json), or a file that exists without `options.force`.
 */
export async function exportModels(format: ExportFormat, source: string, out: string, options: ExportOptions = {}): Promise<string[]> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new RecurrentConfigError(`export: --to must be one of ${EXPORT_FORMATS.join(', ')}, got '${format}'`);
  }
  const models = sources(source);
  const run = runOf(source);
  const web = format === 'web';
  if (web && run === undefined) {
    throw new RecurrentConfigError(
      `export: --to web needs a run folder written by 'tfjs-recurrent sentiment' (or one of its model folders), whose tokenizer the page encodes texts with; ${source} is in no run`,
    );
  }
  if (web && statOf(out)?.isFile()) throw new RecurrentConfigError(`export: --to web writes a folder, but OUT ${out} is a file`);
  const ext = web ? '' : EXTENSION[format];
  const intoFolder = web || models.length > 1 || (fs.existsSync(out) && fs.statSync(out).isDirectory());
  if (models.length > 1 && !web && path.extname(out) === ext) {
    throw new RecurrentConfigError(`export: ${source} holds ${models.length} models (an ensemble), so OUT must be a folder, got the file name ${out}`);
  }
  if (models.length > 1 && statOf(out)?.isFile()) {
    throw new RecurrentConfigError(`export: ${source} holds ${models.length} models (an ensemble), so OUT must be a folder, but ${out} is a file`);
  }
  const read = new Map<string, string>();
  for (const { model } of models) for (const f of filesOf(model)) read.set(canonical(f), model);
  const plan = models.map(({ model, base }) => ({
    model,
    files: web ? [path.join(out, base, WEB_MODEL_FILE), path.join(out, base, WEB_WEIGHTS_FILE)] : [intoFolder ? path.join(out, `${base}${ext}`) : out],
  }));
  if (run !== undefined) for (const f of ['report.json', 'tokenizer.json']) read.set(canonical(path.join(run, f)), run);
  for (const { files } of plan) for (const file of files) checkTarget(file, read, options.force === true);
  let preprocessing: { file: string; bytes: Buffer } | undefined;
  if (run !== undefined) {
    const file = path.join(intoFolder ? out : path.dirname(out), PREPROCESSING_FILE);
    const clash = plan.find((p) => canonical(p.files[0]) === canonical(file));
    if (clash) {
      throw new RecurrentConfigError(
        `export: OUT ${clash.files[0]} is where the run's ${PREPROCESSING_FILE} goes (beside the exported models); choose another file name`,
      );
    }
    const bytes = Buffer.from(preprocessingText(runPreprocessing(run, 'export')));
    checkTarget(file, read, options.force === true || holds(file, bytes));
    preprocessing = { file, bytes };
  }
  let runFile: { file: string; bytes: Buffer } | undefined;
  if (web) {
    const file = path.join(out, WEB_RUN_FILE);
    runFile = { file, bytes: Buffer.from(webRunText(webRun(run!, models.map((m) => m.base), PREPROCESSING_FILE))) };
    checkTarget(file, read, options.force === true);
  }
  const written: string[] = [];
  for (const { model, files } of plan) {
    const m = await loadAnyModel(model, 'export');
    try {
      await write(format, m, files);
    } finally {
      m.dispose();
    }
    written.push(...files);
  }
  if (preprocessing) {
    writeExportFile('export', preprocessing.file, preprocessing.bytes, PREPROCESSING, { overwrite: true });
    written.push(preprocessing.file);
  }
  if (runFile) {
    writeExportFile('export', runFile.file, runFile.bytes, RUN_FILE, { overwrite: true });
    written.push(runFile.file);
  }
  return written;
}
