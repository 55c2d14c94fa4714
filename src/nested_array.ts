/**
 * Nested JavaScript arrays of numbers (what Keras takes as a list, what a
 * PyTorch state dict exported as JSON holds): their shape, read from the
 * first element at each depth, and the first place where they stop being
 * regular, for the caller's own message.
 */

/** Where a nested array first breaks its shape: a row of another length (`row`), or a leaf that is not a number (`leaf`). */
export type Irregularity =
  | { kind: 'row'; at: string; got: unknown; depth: number; expected: number }
  | { kind: 'leaf'; at: string; got: unknown };

/** The shape of `a` (from its first elements), and its first irregularity in index order (`at` like `[3][1]`), if any. */
export function nestedShape(a: unknown): { shape: number[]; irregular: Irregularity | null } {
  const shape: number[] = [];
  for (let v: unknown = a; Array.isArray(v); v = v[0]) shape.push(v.length);
  const walk = (v: unknown, depth: number, at: string): Irregularity | null => {
    if (depth === shape.length) return typeof v === 'number' ? null : { kind: 'leaf', at, got: v };
    if (!Array.isArray(v) || v.length !== shape[depth]) return { kind: 'row', at, got: v, depth, expected: shape[depth] };
    for (let i = 0; i < v.length; i++) {
      const bad = walk(v[i], depth + 1, `${at}[${i}]`);
      if (bad) return bad;
    }
    return null;
  };
  return { shape, irregular: walk(a, 0, '') };
}
