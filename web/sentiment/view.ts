/**
 * The sentiment page's drawings, from numbers the classifier computed: the
 * probability, each word's effect, and the recurrent states as heat strips
 * (one row per unit, one cell per word, as Karpathy's "interpretable cells"
 * colour each character by one cell's value). Every number drawn is also
 * kept, at full precision, in a `data-` attribute of its element.
 */
import type { Steps } from './classifier';
import { liveliestUnits } from './classifier';

/** A new element with a class and text. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}

/**
 * A colour for v in [−1, 1]: white at 0, blue towards +1, orange towards −1
 * (a diverging scale, so the sign reads at a glance).
 */
export function diverging(v: number): string {
  const a = Math.min(1, Math.abs(v));
  const [r, g, b] = v >= 0 ? [33, 102, 172] : [217, 95, 2];
  const mix = (c: number) => Math.round(255 + (c - 255) * a);
  return `rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`;
}

/** Shows P(positive) of `text` in `out` (its bar, its value, its verdict). */
export function showProbability(out: HTMLElement, p: number, text: string): void {
  out.dataset.p = String(p);
  out.dataset.text = text;
  const verdict = p >= 0.5 ? 'positive' : 'negative';
  out.replaceChildren(
    el('span', `verdict ${verdict}`, `${verdict}`),
    el('span', 'value', ` P(positive) = ${p.toFixed(4)}`),
  );
  const bar = out.parentElement?.querySelector<HTMLElement>('.p-bar > span');
  if (bar) bar.style.width = `${(100 * p).toFixed(1)}%`;
}

/**
 * Each word with a bar whose length is its effect on P(positive):
 * p(text) − p(text without it); upwards (blue) pushes towards positive.
 */
export function showEffects(box: HTMLElement, words: string[], effects: number[]): void {
  const scale = Math.max(0.05, ...effects.map(Math.abs));
  box.replaceChildren(
    ...words.map((w, i) => {
      const cell = el('div', 'effect');
      cell.dataset.word = w;
      cell.dataset.index = String(i);
      cell.dataset.effect = String(effects[i]);
      cell.title = `p(text) − p(text without "${w}") = ${effects[i] >= 0 ? '+' : ''}${effects[i].toFixed(4)}`;
      const bar = el('span', 'bar');
      bar.style.height = `${(24 * Math.abs(effects[i])) / scale}px`;
      bar.style.background = diverging(effects[i] / scale);
      bar.classList.add(effects[i] >= 0 ? 'up' : 'down');
      const shown = Math.abs(effects[i]).toFixed(3);
      cell.append(el('span', 'number', `${Number(shown) === 0 ? '±' : effects[i] > 0 ? '+' : '−'}${shown}`), bar, el('span', 'word', w));
      return cell;
    }),
  );
}

/**
 * The heat strips: for each direction, the `perDirection` units whose state
 * varies most over these words, one row each, one cell per word coloured by
 * h_t, the colour full at the largest |h_t| shown (said in `scale`).
 */
export function showSteps(table: HTMLTableElement, note: HTMLElement, scale: HTMLElement, steps: Steps | null, perDirection: number): void {
  if (steps === null) {
    table.replaceChildren();
    note.textContent = 'Type some words to see the states.';
    scale.textContent = '';
    return;
  }
  note.textContent = steps.note;
  const shown = steps.directions.map(({ direction, h }) => ({ direction, h, units: liveliestUnits(h, perDirection) }));
  const top = Math.max(1e-6, ...shown.flatMap(({ h, units }) => h.flatMap((row) => units.map((j) => Math.abs(row[j])))));
  scale.textContent = `Each cell is one unit's state after a word: blue above 0, orange below, full colour at ±${top.toFixed(2)} (the largest |h| here). ` +
    `Shown are the ${perDirection} units${steps.directions.length > 1 ? ' of each direction' : ''} whose state varies most over this text.`;
  const head = el('tr');
  head.append(el('th'), ...steps.words.map((w) => el('th', 'word', w)));
  const rows = shown.flatMap(({ direction, h, units }) =>
    units.map((j, k) => {
      const tr = el('tr', direction === 'backward' && k === 0 ? 'split' : '');
      tr.dataset.direction = direction;
      tr.dataset.unit = String(j);
      const arrow = direction === 'forward' ? '→ ' : direction === 'backward' ? '← ' : '';
      tr.append(el('th', 'unit', `${arrow}unit ${j}`));
      for (let t = 0; t < h.length; t++) {
        const td = el('td');
        td.dataset.value = String(h[t][j]);
        td.style.background = diverging(h[t][j] / top);
        td.title = `${arrow}unit ${j} after "${steps.words[t]}": ${h[t][j].toFixed(4)}`;
        tr.append(td);
      }
      return tr;
    }),
  );
  table.replaceChildren(el('thead'), el('tbody'));
  table.tHead!.append(head);
  table.tBodies[0].append(...rows);
}

/** The backend line: which backend runs, and our kernels' build and threads (`kernelsInfo()`). */
export function showBackend(
  out: HTMLElement,
  backend: string,
  k: { loaded: boolean; build: string | null; threads: number; note?: string },
): void {
  out.dataset.backend = backend;
  out.dataset.threads = String(k.loaded ? k.threads : 0);
  const gpu = backend === 'webgl' || backend === 'webgpu';
  const kernels = gpu ? 'recurrent layers on tf ops (our kernels run on cpu and wasm)'
    : k.loaded ? `our kernels: ${k.build === 'relaxed' ? 'relaxed SIMD' : 'SIMD'}, ${k.threads} thread${k.threads > 1 ? 's' : ''}` : 'our kernels: not loaded';
  out.textContent = `backend: ${backend} · ${kernels}`;
  out.title = k.note ?? '';
}
