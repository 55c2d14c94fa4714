/**
 * `tfjs-recurrent export --to keras|onnx|torch SOURCE OUT`: the models of a
 * run folder (every member of an ensemble), of a model folder or of a
 * model.json, written as Keras 3 `.keras` files, ONNX graphs or PyTorch
 * state dicts (JSON).
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError } from '../errors';
import { saveKeras } from '../interop/export_keras';
import { saveOnnx } from '../interop/export_onnx';
import { toTorchModelStateDict } from '../interop/export_torch';
import type { SentimentReport } from '../sentiment/train';
import { loadAnyModel } from './load';

export const EXPORT_FORMATS = ['keras', 'onnx', 'torch'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const EXTENSION: Record<ExportFormat, string> = { keras: '.keras', onnx: '.onnx', torch: '.json' };

/** The model folders of SOURCE, each with the file name it gets in a folder OUT. */
function sources(source: string): Array<{ model: string; base: string }> {
  const report = path.join(source, 'report.json');
  if (fs.existsSync(report)) {
    let dirs: string[];
    try {
      dirs = (JSON.parse(fs.readFileSync(report, 'utf8')) as SentimentReport).members?.map((m) => m.dir) ?? ['model'];
    } catch (e) {
      throw new RecurrentInputError(`export: ${report} is not a report written by 'tfjs-recurrent sentiment' (${(e as Error).message})`);
    }
    return dirs.map((d) => ({ model: path.join(source, d), base: d }));
  }
  if (!fs.existsSync(source)) throw new RecurrentInputError(`export: SOURCE ${source} does not exist`);
  const isJson = fs.statSync(source).isFile();
  return [{ model: source, base: path.basename(isJson ? path.dirname(path.resolve(source)) : path.resolve(source)) || 'model' }];
}

async function write(format: ExportFormat, model: tf.LayersModel, file: string): Promise<void> {
  if (format === 'keras') return saveKeras(model, file);
  if (format === 'onnx') return saveOnnx(model, file);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(toTorchModelStateDict(model)));
}

/**
 * Exports every model of SOURCE; returns the files written. One model goes to
 * OUT itself (or into OUT as `<model folder><ext>` when OUT is a folder);
 * several go into the folder OUT, one file each.
 */
export async function exportModels(format: ExportFormat, source: string, out: string): Promise<string[]> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new RecurrentConfigError(`export: --to must be one of ${EXPORT_FORMATS.join(', ')}, got '${format}'`);
  }
  const models = sources(source);
  const ext = EXTENSION[format];
  const intoFolder = models.length > 1 || (fs.existsSync(out) && fs.statSync(out).isDirectory());
  if (models.length > 1 && path.extname(out) === ext) {
    throw new RecurrentConfigError(`export: ${source} holds ${models.length} models (an ensemble), so OUT must be a folder, got the file name ${out}`);
  }
  const written: string[] = [];
  for (const { model, base } of models) {
    const file = intoFolder ? path.join(out, `${base}${ext}`) : out;
    const m = await loadAnyModel(model, 'export');
    try {
      await write(format, m, file);
    } finally {
      m.dispose();
    }
    written.push(file);
  }
  return written;
}
