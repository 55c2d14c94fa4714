/** A seeded, stratified train / validation / test split. */
import { RecurrentConfigError } from '../errors';

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(xs: T[], rand: () => number): T[] {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** The three parts of a data set: for training, for validation (early stopping) and for the test metrics. */
export interface Split {
  train: number[];
  val: number[];
  test: number[];
}

/**
 * Indices into `strata` (one key per example: label, or source+label), split
 * so that each stratum is divided in the given fractions; the same seed gives
 * the same split.
 *
 * @example
 * ```ts
 * import { loadBundled, stratifiedSplit } from 'tfjs-recurrent/sentiment';
 * const examples = loadBundled();
 * const { train, val, test } = stratifiedSplit(examples.map((e) => `${e.source}/${e.label}`), [0.7, 0.15, 0.15], 42);
 * train.length; // 2100 (indices into examples)
 * ```
 */
export function stratifiedSplit(strata: string[], fractions: [number, number, number], seed: number): Split {
  const sum = fractions.reduce((a, b) => a + b, 0);
  if (fractions.some((f) => !(f >= 0)) || Math.abs(sum - 1) > 1e-9 || fractions[0] === 0) {
    throw new RecurrentConfigError(`split: fractions must be three non-negative numbers summing to 1 with a non-zero train part, got [${fractions.join(', ')}]`);
  }
  const rand = rng(seed);
  const groups = new Map<string, number[]>();
  strata.forEach((k, i) => groups.set(k, [...(groups.get(k) ?? []), i]));
  const out: Split = { train: [], val: [], test: [] };
  for (const key of [...groups.keys()].sort()) {
    const idx = shuffle(groups.get(key)!, rand);
    const nVal = Math.round(idx.length * fractions[1]);
    const nTest = Math.round(idx.length * fractions[2]);
    out.test.push(...idx.slice(0, nTest));
    out.val.push(...idx.slice(nTest, nTest + nVal));
    out.train.push(...idx.slice(nTest + nVal));
  }
  return { train: shuffle(out.train, rand), val: out.val.sort((a, b) => a - b), test: out.test.sort((a, b) => a - b) };
}
