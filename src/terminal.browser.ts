/**
 * Where the package writes what the user asked to see, in a browser: the
 * console, a line at a time (console.log adds its own newline). No terminal
 * decides a width there. Node's twin is terminal.ts.
 */
import type { OutStream, Terminal } from './terminal_types';

export type { OutStream, Terminal };

let pending = '';

/** The console, as a stream: each complete line goes to console.log; a carriage return starts the line again. */
const consoleOutput: OutStream = {
  isTTY: false,
  write(s: string): boolean {
    pending += s;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) console.log(line.slice(line.lastIndexOf('\r') + 1));
    return true;
  },
};

/** The console. */
export function standardOutput(): OutStream {
  return consoleOutput;
}

/** No environment and no terminal in a browser. */
export function terminal(): Terminal {
  return { env: {}, streams: [] };
}
