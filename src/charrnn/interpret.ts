/**
 * Karpathy's "interpretable cells" (Karpathy, Johnson and Fei-Fei 2015,
 * "Visualizing and Understanding Recurrent Networks"): a text with each
 * character coloured by one hidden unit's value after the model has read
 * it, blue for −1 through white for 0 to red for +1, as one self-contained
 * HTML page (no script; each character's value in its tooltip).
 */

/** What the page shows: the text, one value in [−1, 1] per character, and what the unit is. */
export interface InterpretPage {
  title: string;
  /** What the value is, in a sentence (e.g. "tanh(c) of unit 17 of layer 2 (LSTM)"). */
  caption: string;
  chars: string[];
  values: ArrayLike<number>;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** v in [−1, 1] → a background: blue (−1), white (0), red (+1), light enough at ±1 for black text. */
export function colour(v: number): string {
  const x = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const fade = Math.round(255 - 165 * Math.abs(x));
  return x >= 0 ? `rgb(255,${fade},${fade})` : `rgb(${fade},${fade},255)`;
}

/** The page's HTML. */
export function interpretHTML(p: InterpretPage): string {
  const spans = p.chars.map((c, i) => {
    const v = p.values[i];
    const shown = c === '\n' ? '↵\n' : c;
    return `<span style="background:${colour(v)}" title="${v.toFixed(3)}">${escape(shown)}</span>`;
  });
  const legend = [-1, -0.5, 0, 0.5, 1].map((v) => `<span style="background:${colour(v)}">&nbsp;${v}&nbsp;</span>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(p.title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; max-width: 60em; }
pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 15px; line-height: 1.5; white-space: pre-wrap; }
.legend span { font-family: ui-monospace, monospace; border: 1px solid #ccc; }
</style>
</head>
<body>
<h1>${escape(p.title)}</h1>
<p>${escape(p.caption)}</p>
<p class="legend">${legend}</p>
<pre>${spans.join('')}</pre>
</body>
</html>
`;
}

/** The unit whose values vary most over the text (the largest variance); its index. */
export function liveliestUnit(values: Float32Array[], units: number): number {
  let best = 0, bestVar = -1;
  for (let u = 0; u < units; u++) {
    let s = 0, s2 = 0;
    for (const v of values) {
      s += v[u];
      s2 += v[u] * v[u];
    }
    const n = values.length, variance = s2 / n - (s / n) ** 2;
    if (variance > bestVar) [best, bestVar] = [u, variance];
  }
  return best;
}
