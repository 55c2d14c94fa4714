/**
 * The text layout of the Python library rich (15.x) that Keras 3 prints its
 * summary with, as plain characters: a `Table` of fixed-width columns in the
 * heavy-head box with a line between rows (rich/table.py), its column width
 * arithmetic (rich/_ratio.py), word wrapping inside a cell with '…' for a word
 * too long for its line (rich/_wrap.py, rich/text.py `wrap`, `truncate`), and a
 * console that folds long text lines and crops longer ones at its width
 * (rich/console.py `print`). Strings are handled as code points, as Python
 * does; widths are terminal cells ({@link cellLen}).
 */
import { cellLen } from './cell_width';

export { cellLen };

/** How a column aligns its text. */
export type Justify = 'left' | 'center' | 'right';

/** A column of a fixed width (without its padding of one space each side), as Keras 3 makes them. */
export interface FixedColumn {
  header: string;
  justify: Justify;
  width: number;
}

const chars = (s: string): string[] => Array.from(s);

/** Python's `round` of a float: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/** rich's `ratio_reduce`: takes `total` off `values` in proportion to `ratios`, at most `maximums[i]` off each. */
export function ratioReduce(total: number, ratios: number[], maximums: number[], values: number[]): number[] {
  const rs = ratios.map((r, i) => (maximums[i] ? r : 0));
  let totalRatio = rs.reduce((a, b) => a + b, 0);
  if (!totalRatio) return values.slice();
  let remaining = total;
  return values.map((value, i) => {
    if (!(rs[i] && totalRatio > 0)) return value;
    const distributed = Math.min(maximums[i], roundHalfEven((rs[i] * remaining) / totalRatio));
    remaining -= distributed;
    totalRatio -= rs[i];
    return value - distributed;
  });
}

/** rich's `ratio_distribute`: splits `total` in proportion to `ratios`, rounding each share up. */
export function ratioDistribute(total: number, ratios: number[]): number[] {
  let totalRatio = ratios.reduce((a, b) => a + b, 0);
  let remaining = total;
  return ratios.map((ratio) => {
    const d = totalRatio > 0 ? Math.ceil((ratio * remaining) / totalRatio) : remaining;
    totalRatio -= ratio;
    remaining -= d;
    return d;
  });
}

/**
 * The widths (padding included, borders not) that rich gives fixed-width
 * columns in a table of `tableWidth` characters (`Table(width=...)`, which
 * expands): each column asks for its width plus 2, and what does not fit is
 * taken off the columns evenly (`_calculate_column_widths`).
 */
export function columnWidths(columns: FixedColumn[], tableWidth: number): number[] {
  const maxWidth = Math.max(0, tableWidth - (columns.length + 1)); //  the borders
  if (maxWidth < 1) return columns.map(() => 0);
  let widths = columns.map((c) => Math.min(c.width + 2, maxWidth) || 1);
  let sum = widths.reduce((a, b) => a + b, 0);
  if (sum > maxWidth) {
    // Fixed columns never wrap, so rich's _collapse_widths leaves them; its last resort reduces all evenly.
    widths = ratioReduce(sum - maxWidth, widths.map(() => 1), widths, widths);
    widths = widths.map((w, i) => Math.min(columns[i].width + 2, Math.max(0, w)));
    sum = widths.reduce((a, b) => a + b, 0);
  }
  if (sum < maxWidth) {
    const pad = ratioDistribute(maxWidth - sum, widths);
    widths = widths.map((w, i) => w + pad[i]);
  }
  return widths;
}

/** `text` cut or padded with spaces to `total` cells; a wide character cut in half becomes a space (rich's set_cell_size). */
export function setCellSize(text: string, total: number): string {
  if (total <= 0) return '';
  const size = cellLen(text);
  if (size === total) return text;
  if (size < total) return text + ' '.repeat(total - size);
  let out = '';
  let used = 0;
  for (const c of chars(text)) {
    const w = cellLen(c);
    if (used + w > total) return out + ' '.repeat(total - used);
    out += c;
    used += w;
  }
  return out;
}

/** `text` cut into pieces of at most `width` cells (rich's chop_cells). */
function chopCells(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let size = 0;
  for (const c of chars(text)) {
    const w = cellLen(c);
    if (size + w > width && line !== '') {
      lines.push(line);
      line = '';
      size = 0;
    }
    line += c;
    size += w;
  }
  if (size) lines.push(line);
  return lines;
}

/**
 * Where rich breaks a line of `width` cells (rich/_wrap.py `divide_line`): at
 * the start of each word (with the spaces after it) that no longer fits; a
 * word longer than a line is folded (`fold`) or left whole, to be cut later.
 * Offsets are in code points.
 */
export function divideLine(text: string, width: number, fold: boolean): number[] {
  const breaks: number[] = [];
  let offset = 0;
  const word = /\s*\S+\s*/y;
  for (let m = word.exec(text); m != null; m = word.exec(text)) {
    const w = m[0];
    let start = chars(text.slice(0, m.index)).length; // in code points, as Python counts
    const wordLength = cellLen(w.trimEnd());
    if (width - offset >= wordLength) {
      offset += cellLen(w); //                  the word fits on this line
    } else if (wordLength > width) {
      if (fold) {
        const folded = chopCells(w, width); //  a word longer than a line, folded over several
        folded.forEach((line, i) => {
          if (start) breaks.push(start);
          if (i === folded.length - 1) offset = cellLen(line);
          else start += chars(line).length;
        });
      } else {
        if (start) breaks.push(start); //      on a line of its own, to be cut with '…'
        offset = cellLen(w);
      }
    } else if (offset && start) {
      breaks.push(start); //                    on the next line
      offset = cellLen(w);
    }
  }
  return breaks;
}

/** A line cut to `width` cells: with '…' in its last cell (`ellipsis`), or plainly. */
function truncate(line: string, width: number, overflow: 'fold' | 'ellipsis'): string {
  if (cellLen(line) <= width) return line;
  return overflow === 'ellipsis' ? setCellSize(line, width - 1) + '…' : setCellSize(line, width);
}

/**
 * rich's `Text.wrap` of a text without markup: each line of `text` word-wrapped
 * to `width` cells, then aligned (`default` leaves a line as it is; the others
 * pad it to `width`) and cut with `overflow`.
 */
export function wrapText(text: string, width: number, justify: Justify | 'default', overflow: 'fold' | 'ellipsis'): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const cps = chars(raw);
    const offsets = divideLine(raw, width, overflow === 'fold');
    const bounds = [0, ...offsets, cps.length];
    for (let i = 0; i + 1 < bounds.length; i++) {
      let line = cps.slice(bounds[i], bounds[i + 1]).join('');
      const n = chars(line).length;
      if (n > width) {
        // rstrip_end: drop trailing spaces past the width
        const ws = (/\s+$/u.exec(line)?.[0] ?? '').length;
        const lineCps = chars(line);
        line = lineCps.slice(0, n - Math.min(ws, n - width)).join('');
      }
      if (justify === 'left') {
        line = truncate(line, width, overflow);
        line += ' '.repeat(Math.max(0, width - cellLen(line)));
      } else if (justify === 'right') {
        line = truncate(line.trimEnd(), width, overflow);
        line = ' '.repeat(Math.max(0, width - cellLen(line))) + line;
      } else if (justify === 'center') {
        line = truncate(line.trimEnd(), width, overflow);
        line = ' '.repeat(Math.max(0, Math.floor((width - cellLen(line)) / 2))) + line;
        line += ' '.repeat(Math.max(0, width - cellLen(line)));
      }
      out.push(truncate(line, width, overflow));
    }
  }
  return out;
}

/** rich's HEAVY_HEAD box: a heavy frame around the header, light lines below. */
const BOX = {
  top: ['┏', '━', '┳', '┓'],
  head: ['┃', '┃', '┃'],
  headRow: ['┡', '━', '╇', '┩'],
  body: ['│', '│', '│'],
  row: ['├', '─', '┼', '┤'],
  bottom: ['└', '─', '┴', '┘'],
};

/**
 * The lines of `Table(*columns, width=tableWidth, show_lines=True)` with
 * `rows` of plain text, as rich renders it: cells padded by one space each
 * side, wrapped with '…' for what does not fit, headers aligned to the bottom
 * of their row and cells to the top.
 */
export function renderTable(columns: FixedColumn[], rows: string[][], tableWidth: number): string[] {
  const widths = columnWidths(columns, tableWidth);
  const rule = ([l, h, x, r]: string[]) => l + widths.map((w) => h.repeat(w)).join(x) + r;
  const cell = (text: string, i: number) => {
    const inner = widths[i] - 2;
    if (inner < 1) return []; // rich renders nothing in no space; the row's blank lines fill the cell
    return wrapText(text, inner, columns[i].justify, 'ellipsis').map((l) => setCellSize(` ${setCellSize(l, inner)} `, widths[i]));
  };
  const block = (cells: string[][], [l, v, r]: string[], bottom: boolean) => {
    const height = Math.max(1, ...cells.map((c) => c.length));
    const blank = (i: number) => ' '.repeat(widths[i]);
    const shaped = cells.map((c, i) => {
      const extra = Array.from({ length: height - c.length }, () => blank(i));
      return bottom ? [...extra, ...c] : [...c, ...extra];
    });
    return Array.from({ length: height }, (_, k) => l + shaped.map((c) => c[k]).join(v) + r);
  };
  const lines = [rule(BOX.top), ...block(columns.map((c, i) => cell(c.header, i)), BOX.head, true), rule(BOX.headRow)];
  rows.forEach((row, j) => {
    if (j > 0) lines.push(rule(BOX.row));
    lines.push(...block(columns.map((_, i) => cell(row[i] ?? '', i)), BOX.body, false));
  });
  lines.push(rule(BOX.bottom));
  return lines;
}

/** What rich's `Console.print` of a plain text line gives on a console `width` cells wide: folded at spaces, long words cut. */
export function consoleText(text: string, width: number): string[] {
  return wrapText(text, width, 'default', 'fold').map((l) => cropLine(l, width));
}

/** A rendered line as the console prints it: cut at its width (rich crops, it does not wrap, a table's lines). */
export function cropLine(line: string, width: number): string {
  return cellLen(line) > width ? setCellSize(line, width) : line;
}
