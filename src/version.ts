/** The package's version, from its package.json (one folder up from both src/ and dist/). */
import * as fs from 'fs';
import * as path from 'path';

let version: string | undefined;

/** The version in package.json, e.g. '0.1.0' ('unknown' where it cannot be read). */
export function packageVersion(): string {
  if (version === undefined) {
    try {
      version = String(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version);
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
