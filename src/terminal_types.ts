/**
 * The shapes of what the package writes to (terminal.ts in Node, its
 * browser twin in a page), shared by both.
 */

/** A stream text is written to as it is (no newline added). */
export interface OutStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What decides the widths of a summary: the environment and the standard streams (none in a browser). */
export interface Terminal {
  env: { [name: string]: string | undefined };
  streams: Array<{ isTTY?: boolean; columns?: number } | undefined>;
}
