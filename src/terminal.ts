/**
 * Where the package writes what the user asked to see (verbose callbacks,
 * Keras-style summaries), in Node: standard output, and what decides its
 * width. The browser's twin (terminal.browser.ts) writes lines to the console.
 */
import type { OutStream, Terminal } from './terminal_types';

export type { OutStream, Terminal };

/** Standard output. */
export function standardOutput(): OutStream {
  return process.stdout;
}

/** The environment and the standard streams (stdin, stdout, stderr). */
export function terminal(): Terminal {
  return { env: process.env, streams: [process.stdin, process.stdout, process.stderr] };
}
