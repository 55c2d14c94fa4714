/**
 * Keras's own files, read directly (no converter): a Keras 3 `.keras` file
 * (a zip of `config.json`, `metadata.json` and `model.weights.h5`, whose
 * weights sit under `layers/<key>/.../vars/<i>` by position) and a legacy
 * HDF5 `.h5` file (tf.keras 2's and Keras 3's `model.save('m.h5')`: the
 * `model_config` attribute, and under `model_weights/<layer>/` the datasets
 * that each group's `weight_names` attribute lists, named by variable).
 *
 * Read as untrusted: a zip entry must not inflate past what its size allows
 * (a stored entry, as Keras writes them, is its own size), only the three
 * entries Keras writes are read (nothing is written to disk), the datasets'
 * declared sizes are summed and checked against the file before any value is
 * read, and any failure of the HDF5 library names the file.
 */
import { unzipSync, strFromU8 } from 'fflate';
import { RecurrentConfigError, RecurrentInputError, fmtValue } from '../../errors';
import { checkDepth } from '../../model/untrusted';
import { loadH5wasm } from './weights_h5';

/** What a Keras file's first bytes say it is. */
export function kerasFileKind(head: Uint8Array): 'keras' | 'h5' | null {
  const is = (magic: number[]) => magic.every((b, i) => head[i] === b);
  if (is([0x50, 0x4b, 0x03, 0x04])) return 'keras'; //                          PK\3\4: a zip
  if (is([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])) return 'h5'; //     \x89HDF\r\n\x1a\n
  return null;
}

/** One float dataset of a file: its name (a weight name, or a path of model.weights.h5), shape and values. */
export interface FileWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** A model as a Keras file holds it: the model config (`{ class_name, config }`) and its weights. */
export interface KerasFileModel {
  modelConfig: Record<string, unknown>;
  weights: FileWeight[];
  /** Bytes the weights take as float32: what the config may make. */
  bytes: number;
  /** Written by Keras 3 (a .keras file; an .h5 file whose keras_version is 3.x). */
  keras3: boolean;
}

/** An inflated entry larger than this many times its stored size, plus 1 MB, is refused (Keras stores, it does not deflate). */
const MAX_INFLATION = 100;

/** The model of a Keras 3 `.keras` file; weights named by their path in model.weights.h5 (`layers/lstm/cell/vars/0`). */
export async function readKerasZip(bytes: Uint8Array, file: string): Promise<KerasFileModel> {
  const where = `loadKerasModel: ${file}`;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        if (f.name !== 'config.json' && f.name !== 'model.weights.h5' && f.name !== 'metadata.json') return false;
        if (f.originalSize > f.size * MAX_INFLATION + 2 ** 20) {
          throw new RecurrentInputError(`${where}: the zip entry ${f.name} would inflate from ${f.size} to ${f.originalSize} bytes; refused`);
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof RecurrentInputError) throw e;
    throw new RecurrentInputError(`${where} is not a readable .keras file (a zip): ${(e as Error).message}`);
  }
  for (const need of ['config.json', 'model.weights.h5']) {
    if (entries[need] == null) throw new RecurrentInputError(`${where} has no ${need}; a .keras file holds config.json and model.weights.h5`);
  }
  const modelConfig = parseConfig(strFromU8(entries['config.json']), `${where} (config.json)`);
  const weights = await readH5(entries['model.weights.h5'], `${where} (model.weights.h5)`, (h5) => {
    const out: Array<{ name: string; dataset: H5Dataset }> = [];
    const walk = (g: H5Group, at: string) => {
      for (const k of g.keys()) {
        const item = g.get(k);
        const p = at ? `${at}/${k}` : k;
        if (item == null) continue;
        if (item.type === 'Dataset') out.push({ name: p, dataset: item as H5Dataset });
        else if (item.type === 'Group') walk(item as H5Group, p);
      }
    };
    const layers = h5.get('layers');
    if (layers != null && layers.type === 'Group') walk(layers as H5Group, 'layers');
    return out;
  });
  return { modelConfig, ...weights, keras3: true };
}

/** The model of a legacy HDF5 file; weights named as its `weight_names` say (`lstm/lstm_cell/kernel`, without `:0`). */
export async function readLegacyH5(bytes: Uint8Array, file: string): Promise<KerasFileModel> {
  const where = `loadKerasModel: ${file}`;
  let config: string | undefined;
  let version: string | undefined;
  const weights = await readH5(bytes, where, (h5) => {
    version = attrText(h5, 'keras_version');
    const text = attrText(h5, 'model_config');
    if (text == null) throw new RecurrentInputError(`${where} has no model_config attribute: it holds weights only (save_weights), not a model`);
    config = text;
    const group = h5.get('model_weights');
    const root = group != null && group.type === 'Group' ? (group as H5Group) : h5; // weights saved at the root by older versions
    const out: Array<{ name: string; dataset: H5Dataset }> = [];
    for (const layer of root.keys()) {
      const g = root.get(layer);
      if (g == null || g.type !== 'Group') continue;
      const names = attrList(g as H5Group, 'weight_names', `${where}: model_weights/${layer}`);
      for (const name of names) {
        const d = (g as H5Group).get(name);
        if (d == null || d.type !== 'Dataset') throw new RecurrentInputError(`${where}: model_weights/${layer} lists the weight ${JSON.stringify(name)}, which it does not hold`);
        out.push({ name: name.replace(/:\d+$/, ''), dataset: d as H5Dataset });
      }
    }
    return out;
  });
  return { modelConfig: parseConfig(config!, `${where} (model_config)`), ...weights, keras3: /^3\./.test(version ?? '') };
}

function parseConfig(text: string, where: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new RecurrentInputError(`${where} is not JSON: ${(e as Error).message.slice(0, 200)}`);
  }
  checkDepth(v, where);
  if (v == null || typeof v !== 'object' || typeof (v as { class_name?: unknown }).class_name !== 'string') {
    throw new RecurrentInputError(`${where} is not a model config ({ class_name, config }); got ${fmtValue(v)}`);
  }
  return v as Record<string, unknown>;
}

/** The part of h5wasm's reading API used here. */
interface H5Item {
  type: string;
}
interface H5Attribute {
  json_value: unknown;
}
interface H5Group extends H5Item {
  keys(): string[];
  get(name: string): H5Item | null;
  attrs: Record<string, H5Attribute>;
}
interface H5Dataset extends H5Item {
  shape: number[] | null;
  metadata: { type: number; size: number };
  value: unknown;
}

/** HDF5's class of floating-point types (H5T_FLOAT). */
const H5T_FLOAT = 1;
interface H5ReadFile extends H5Group {
  close(): void;
}

let serial = 0;

/**
 * Opens HDF5 bytes with h5wasm and lets `pick` choose float datasets; checks
 * that their declared sizes fit in the bytes (uncompressed, as Keras writes
 * them) before any value is read. Values are read later, one dataset at a
 * time, copied out while the file is open.
 */
async function readH5(
  bytes: Uint8Array,
  where: string,
  pick: (h5: H5ReadFile) => Array<{ name: string; dataset: H5Dataset }>,
): Promise<{ weights: FileWeight[]; bytes: number }> {
  const lib = await loadH5wasm();
  const { FS } = await lib.ready;
  const tmp = `/tfjs-recurrent-read-${process.pid}-${serial++}.h5`;
  FS.writeFile(tmp, bytes);
  // The HDF5 library prints its diagnostics through console.error: they go into our error, if any.
  const diagnostics: string[] = [];
  const printErr = console.error;
  console.error = (...a: unknown[]) => void diagnostics.push(a.join(' '));
  let h5: H5ReadFile | undefined;
  try {
    h5 = new (lib.File as unknown as new (f: string, m: string) => H5ReadFile)(tmp, 'r');
    return readWeights(pick(h5), bytes.length, where);
  } catch (e) {
    if (e instanceof RecurrentInputError || e instanceof RecurrentConfigError) throw e;
    const detail = diagnostics.find((d) => /major|minor|unable|not /i.test(d))?.trim() ?? String((e as Error)?.message ?? e);
    throw new RecurrentInputError(`${where} is not a readable HDF5 file (${detail.slice(0, 200)})`);
  } finally {
    try {
      h5?.close();
    } catch {
      // a damaged file may not close cleanly; it is gone with the unlink
    }
    FS.unlink(tmp);
    console.error = printErr;
  }
}

/** The picked datasets' values, their declared sizes checked against the file's before any is read. */
function readWeights(picked: Array<{ name: string; dataset: H5Dataset }>, fileBytes: number, where: string): { weights: FileWeight[]; bytes: number } {
  let total = 0;
  const shapes = picked.map(({ name, dataset }) => {
    const shape = dataset.shape ?? [];
    const { type, size } = dataset.metadata;
    if (type !== H5T_FLOAT || (size !== 4 && size !== 8) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw new RecurrentInputError(`${where}: the weight ${name} holds ${type === H5T_FLOAT ? `${8 * size}-bit floats` : 'no floats'} of shape ${JSON.stringify(shape)}; expected float32 or float64 values`);
    }
    const n = shape.reduce((a, d) => a * d, 1);
    total += n * 4;
    if (n * size > fileBytes) throw new RecurrentInputError(`${where}: the weight ${name} declares ${n * size} bytes, more than the file's ${fileBytes}; refused`);
    return { name, shape, n };
  });
  if (total > fileBytes * 2) throw new RecurrentInputError(`${where}: the weights declare ${total} bytes, more than the file holds; refused`);
  const weights = picked.map(({ dataset }, i) => {
    const raw = dataset.value as ArrayLike<number>;
    if (raw == null || raw.length !== shapes[i].n) {
      throw new RecurrentInputError(`${where}: the weight ${shapes[i].name} holds ${raw?.length ?? 0} values, its shape ${JSON.stringify(shapes[i].shape)} says ${shapes[i].n}`);
    }
    return { name: shapes[i].name, shape: shapes[i].shape, values: Float32Array.from(raw) };
  });
  return { weights, bytes: total };
}

/** A string attribute (bytes or text), or undefined. */
function attrText(g: H5Group, name: string): string | undefined {
  const a = g.attrs?.[name];
  if (a == null) return undefined;
  const v = a.json_value;
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

/** A list-of-strings attribute; none is an empty list. */
function attrList(g: H5Group, name: string, where: string): string[] {
  const a = g.attrs?.[name];
  if (a == null) return [];
  const v = a.json_value;
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) throw new RecurrentInputError(`${where}: its ${name} attribute is not a list of names`);
  return list as string[];
}
