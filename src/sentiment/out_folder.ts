/**
 * The output folder of a sentiment run: a new folder, an empty one, or an
 * earlier run folder (holding report.json), which the new run replaces: its
 * model folders (`model/`, `model_2/`, ...), tokenizer.json, report.json and
 * curves.svg are the new run's afterwards, with no model folder left over from
 * a larger ensemble; other files in it are left alone. Any other path (a file,
 * a folder of other things) is refused before any training.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RecurrentInputError } from '../errors';
import { MEMBER_DIR } from './run_folder';

/** The files a run writes beside its model folders. */
export const RUN_FILES = ['tokenizer.json', 'report.json', 'curves.svg'] as const;

/** Throws, naming `out`, where a run cannot be written there; see the module's description. */
export function checkOutFolder(out: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(out);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') return; // a new folder
    if (code === 'ENOTDIR') throw new RecurrentInputError(`--out: ${out} cannot be a folder: a part of its path is a file`);
    throw new RecurrentInputError(`--out: cannot use ${out} (${code ?? (e as Error).message})`);
  }
  if (!stat.isDirectory()) {
    throw new RecurrentInputError(`--out: ${out} is a file; expected a folder to write the run into (a new or empty one, or an earlier run folder to replace)`);
  }
  const entries = fs.readdirSync(out);
  if (entries.length > 0 && !entries.includes('report.json')) {
    throw new RecurrentInputError(
      `--out: ${out} is a folder of other files (no report.json, so not a run folder); name a new or empty folder, or an earlier run folder to replace`,
    );
  }
}

/**
 * After the new run is written to `out`: removes the model folders of an
 * earlier run that the new one does not have (`keep` holds the new ones), and
 * its curves.svg where the new run drew none.
 */
export function removeStale(out: string, keep: string[], wroteCurves: boolean): void {
  for (const e of fs.readdirSync(out, { withFileTypes: true })) {
    if (e.isDirectory() && MEMBER_DIR.test(e.name) && !keep.includes(e.name)) fs.rmSync(path.join(out, e.name), { recursive: true, force: true });
  }
  if (!wroteCurves) fs.rmSync(path.join(out, 'curves.svg'), { force: true });
}
