/**
 * The environment variables the package reads, read here only:
 *
 * - `TFJS_RECURRENT_THREADS`: threads the kernels may use (1 or 2; default 2 where there are 2 cores).
 * - `TFJS_RECURRENT_SIMD=plain`: load the kernels' plain-SIMD build even where relaxed SIMD compiles.
 * - `TFJS_RECURRENT_QUIET=1`: no line on stderr about the backend chosen.
 */

/** Whether an environment exists (Node; not a browser). */
const env: Record<string, string | undefined> = typeof process !== 'undefined' && process.env ? process.env : {};

/** The threads asked for with TFJS_RECURRENT_THREADS (an integer ≥ 1), or null. */
export function threadsAsked(): number | null {
  const asked = Number(env.TFJS_RECURRENT_THREADS);
  return Number.isInteger(asked) && asked >= 1 ? asked : null;
}

/** Whether TFJS_RECURRENT_SIMD=plain asks for the plain-SIMD build of the kernels. */
export function plainSimdAsked(): boolean {
  return env.TFJS_RECURRENT_SIMD === 'plain';
}

/** Whether TFJS_RECURRENT_QUIET=1 asks for no backend line. */
export function quietAsked(): boolean {
  return env.TFJS_RECURRENT_QUIET === '1';
}
