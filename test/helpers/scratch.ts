import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A fresh temporary folder for the tests of one file: made before them,
 * removed with its contents after them. Returns a getter for its path.
 */
export function scratchDir(prefix: string): () => string {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}
