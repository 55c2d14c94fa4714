/**
 * Whether a data set can be split into training, validation and test parts
 * that each hold an example: the split (70 / 15 / 15 %, by source and label)
 * gives a part round(n · 0.15) examples of a group of n, so each group needs
 * at least 4 (2 to train on, 1 to validate, 1 to test).
 */
import { RecurrentInputError } from '../errors';
import type { Example } from './data';

/** The fewest examples of one label (of one source) that the split can divide. */
export const MIN_PER_GROUP = 4;

/** Counts of each `source/label` group, in a stable order (source, then label 1 before 0). */
function groups(examples: Example[]): Array<{ source: string; label: 0 | 1; n: number }> {
  const counts = new Map<string, { source: string; label: 0 | 1; n: number }>();
  for (const e of examples) {
    const key = `${e.source}\u0000${e.label}`;
    const g = counts.get(key) ?? { source: e.source, label: e.label, n: 0 };
    g.n++;
    counts.set(key, g);
  }
  return [...counts.values()].sort((a, b) => (a.source === b.source ? b.label - a.label : a.source < b.source ? -1 : 1));
}

/**
 * Throws, naming `what` and the counts, where a group has fewer than
 * {@link MIN_PER_GROUP} examples. `limitHint` (the smallest `--limit` that
 * would do, where the examples are a limited sample) ends the message.
 */
export function checkEnoughToSplit(examples: Example[], what: string, limitHint?: number): void {
  const gs = groups(examples);
  if (gs.every((g) => g.n >= MIN_PER_GROUP)) return;
  const why = `${what}: too few examples to split into training, validation and test parts`;
  const need = `at least ${MIN_PER_GROUP} (2 to train on, 1 to validate, 1 to test)`;
  const hint = limitHint === undefined ? '' : `; --limit ${limitHint} or more gives ${MIN_PER_GROUP} of each`;
  if (new Set(gs.map((g) => g.source)).size === 1) {
    const got = gs.map((g) => `${g.n} with label ${g.label}`).join(' and ');
    throw new RecurrentInputError(`${why}: each label needs ${need}, got ${got}${hint}`);
  }
  const short = gs.filter((g) => g.n < MIN_PER_GROUP).map((g) => `${g.n} with label ${g.label} from ${g.source}`).join(', ');
  throw new RecurrentInputError(`${why}: each label of each source needs ${need}, got ${short}${hint}`);
}

/**
 * The smallest sample size at or above `from` for which a stratified sample
 * of `sizes` (the size of each group) keeps {@link MIN_PER_GROUP} of every
 * group, as `stratifiedSplit` rounds; undefined where no size does.
 */
export function smallestLimit(sizes: number[], from: number): number | undefined {
  const total = sizes.reduce((a, b) => a + b, 0);
  for (let l = from; l <= total; l++) {
    if (sizes.every((s) => s - Math.round(s * (1 - l / total)) >= MIN_PER_GROUP)) return l;
  }
  return undefined;
}
