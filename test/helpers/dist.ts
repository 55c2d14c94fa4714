import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The newest modification time of a file under `dir` (ms). */
export function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/**
 * The path of the built package (dist/), rebuilt first when it is missing or
 * older than src/: tests that run the `bin` or child processes must not run
 * yesterday's code.
 */
export function builtDist(): string {
  const index = path.join(ROOT, 'dist', 'index.js');
  if (!fs.existsSync(index) || fs.statSync(index).mtimeMs < newest(path.join(ROOT, 'src'))) {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  }
  return path.join(ROOT, 'dist');
}
