/** "Did you mean": the known names closest to a misspelt one. */

/** Levenshtein distance between two strings. */
export function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** The candidates within `max` edits of `name` (case ignored), nearest first. */
export function nearest(name: string, candidates: readonly string[], max = 2): string[] {
  return candidates
    .map((c) => [c, distance(c.toLowerCase(), name.toLowerCase())] as const)
    .filter(([, d]) => d <= max)
    .sort((a, b) => a[1] - b[1])
    .map(([c]) => c);
}
