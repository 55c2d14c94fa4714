/**
 * A kernel module built with one deliberate mistake, for tests that show
 * their comparisons can fail: assembly/ copied, `edit` applied to one file
 * (it must change it), built with AssemblyScript (a few seconds).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** Builds assembly/ with `edit` applied to `file`; returns the .wasm path. */
export function buildMutant(file: string, edit: (src: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfr-mutant-'));
  fs.cpSync(path.join(ROOT, 'assembly'), dir, { recursive: true });
  const target = path.join(dir, file);
  const before = fs.readFileSync(target, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before); // the mutation applied
  fs.writeFileSync(target, after);
  const out = path.join(dir, 'mutant.wasm');
  const asc = path.join(ROOT, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
  execFileSync(process.execPath, [asc, path.join(dir, 'index.ts'), '--config', path.join(dir, 'asconfig.json'), '--outFile', out], { stdio: 'pipe' });
  return out;
}
