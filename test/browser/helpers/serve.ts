/**
 * A folder served over HTTP for a browser test, by web/server.mjs's
 * `startServer` (cross-origin isolated unless asked not to). The server is an
 * ES module, which jest's CommonJS runtime cannot import, so it runs in a child
 * Node process of its own; it exits when closed, or when this process ends.
 *
 * @example
 * ```ts
 * const site = await serve(folder);                  // COOP/COEP: two kernel threads
 * const plain = await serve(folder, { isolated: false });
 * await site.close();
 * ```
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';

const SERVER = pathToFileURL(path.resolve(__dirname, '..', '..', '..', 'web', 'server.mjs')).href;

// The child: starts the server, prints its URL, and exits when its stdin closes (our close, or our death).
const CHILD = `
import { startServer } from ${JSON.stringify(SERVER)};
const s = await startServer({ root: process.argv[1], isolated: process.argv[2] === 'true' });
process.stdout.write(s.url + '\\n');
process.stdin.resume();
process.stdin.on('end', () => s.close().then(() => process.exit(0)));
`;

/** A running server: its URL (ending in `/`) and how to stop it. */
export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serves `root` on 127.0.0.1 (a free port), with the COOP/COEP headers unless `isolated` is false. */
export function serve(root: string, { isolated = true }: { isolated?: boolean } = {}): Promise<Served> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, root, String(isolated)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      const line = stdout.split('\n');
      if (line.length < 2) return;
      resolve({
        url: line[0],
        close: async () => {
          child.stdin.end();
          await exited;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`web/server.mjs exited (${code}) before serving ${root}: ${stderr}`)));
  });
}
