import { tf } from '../../src/tf';

type Nested = number | Nested[];

/** Max |a − b| over two nested arrays of the same shape (throws on a shape mismatch). */
export function maxAbsDiff(a: Nested, b: Nested, path = ''): number {
  if (typeof a === 'number' || typeof b === 'number') {
    if (typeof a !== 'number' || typeof b !== 'number') throw new Error(`shape mismatch at ${path || 'root'}`);
    return Math.abs(a - b);
  }
  if (a.length !== b.length) throw new Error(`length mismatch at ${path || 'root'}: ${a.length} vs ${b.length}`);
  return a.reduce<number>((m, ai, i) => Math.max(m, maxAbsDiff(ai, b[i], `${path}[${i}]`)), 0);
}

/** Expects a tensor to equal a nested array within `tol` (absolute), with the same shape. */
export function expectClose(t: tf.Tensor, expected: Nested, tol = 1e-5, what = 'value'): void {
  const actual = t.arraySync() as Nested;
  const d = maxAbsDiff(actual, expected);
  if (!(d <= tol)) throw new Error(`${what}: max |actual − expected| = ${d} > ${tol}`);
}
