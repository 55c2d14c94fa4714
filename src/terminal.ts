/**
 * Where the package writes what the user asked to see (verbose callbacks,
 * Keras-style summaries), in Node: standard output, and what decides its
 * width. The browser's twin (terminal.browser.ts) writes lines to the console.
 */

/** A stream text is written to as it is (no newline added). */
export interface OutStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The parts of `process` that decide the widths: the environment and the standard streams. */
export interface Terminal {
  env: { [name: string]: string | undefined };
  streams: Array<{ isTTY?: boolean; columns?: number } | undefined>;
}

/** Standard output. */
export function standardOutput(): OutStream {
  return process.stdout;
}

/** The environment and the standard streams (stdin, stdout, stderr). */
export function terminal(): Terminal {
  return { env: process.env, streams: [process.stdin, process.stdout, process.stderr] };
}
