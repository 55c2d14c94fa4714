/**
 * How an exporter writes its file: checked first, then atomically. An
 * existing file is replaced only where that is safe or asked for, as
 * Keras's `overwrite`:
 *
 * - `overwrite` unset: a file of the same format (one this exporter could
 *   have written: `looksOurs`) is replaced; any other file (a model.json, a
 *   CSV) is refused;
 * - `overwrite: true`: any file is replaced; `false`: any existing file is refused.
 *
 * The bytes go to a temporary file in the same folder, fsynced, then renamed
 * over the target, so a failed write leaves the old file as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RecurrentConfigError, fmtValue } from '../errors';
import { renameOrRemove, writeTemporary } from '../model/io';

/** Options of the exporters' writes. */
export interface ExportFileOptions {
  /** Keras's `overwrite`: true replaces any file, false none; unset, a file of the same format only. */
  overwrite?: boolean;
}

/** What an exporter's file looks like: its name and the first bytes of a file of that format. */
export interface FileFormat {
  name: string;
  looksOurs(head: Buffer): boolean;
}

/** Writes `bytes` to `file` for `who`, under the rules above. */
export function writeExportFile(who: string, file: string, bytes: Uint8Array, format: FileFormat, options: ExportFileOptions = {}): void {
  const { overwrite } = options ?? {};
  if (overwrite !== undefined && typeof overwrite !== 'boolean') throw new RecurrentConfigError(`${who}: overwrite must be true or false, got ${fmtValue(overwrite)}`);
  const target = path.resolve(file);
  const st = fs.statSync(target, { throwIfNoEntry: false });
  if (st?.isDirectory()) throw new RecurrentConfigError(`${who}: cannot write ${file}: it is a folder`);
  if (st != null && overwrite !== true) {
    if (overwrite === false) throw new RecurrentConfigError(`${who}: ${file} exists and overwrite is false; refused to replace it`);
    if (!format.looksOurs(head(target))) {
      throw new RecurrentConfigError(`${who}: ${file} exists and is not ${format.name}; refused to replace it: write to another path, or pass { overwrite: true }`);
    }
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  renameOrRemove(writeTemporary(target, bytes, (f, d) => fs.writeFileSync(f, d, { flag: 'wx' })), target);
}

/** The first 16 bytes of a file (fewer where it is shorter). */
function head(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(16);
    return b.subarray(0, fs.readSync(fd, b, 0, 16, 0));
  } finally {
    fs.closeSync(fd);
  }
}
