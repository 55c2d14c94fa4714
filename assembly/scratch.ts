/**
 * Each thread's scratch: static data lives in the shared memory, so the
 * helper thread (pool.ts) takes a block of its own for the partial vectors
 * of rows.ts and matmul.ts. (Module globals, like this one, are per thread.)
 */
const MAIN = memory.data(64, 16);
const HELPER = memory.data(64, 16);

/** This thread's 64 bytes of scratch. */
export let scratch: usize = MAIN;

/** Called once by the helper thread before its first job. */
export function useHelperScratch(): void {
  scratch = HELPER;
}
