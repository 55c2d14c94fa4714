/**
 * The layout of rich 15 that Keras 3's summary is printed with, against rich
 * itself: seeded random tables (fixed-width columns, a table width, a line
 * between rows, as Keras builds them) and random text lines printed on
 * consoles of random widths, rendered by rich in test/reference/make_keras3_summary.py.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FixedColumn, cellLen, columnWidths, consoleText, cropLine, ratioReduce, renderTable, roundHalfEven, setCellSize } from '../../src/model/rich_table';

const FIXTURE: {
  rich: string;
  tables: Array<{ columns: FixedColumn[]; width: number; console: number; rows: string[][]; text: string }>;
  lines: Array<{ text: string; console: number; out: string }>;
} = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/keras3_summary.json'), 'utf8'));

const printed = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

describe(`renderTable lays out a table as rich ${FIXTURE.rich} does`, () => {
  test.each(FIXTURE.tables.map((t, i) => [i, t.columns.length, t.width, t.console, t] as const))(
    'table #%i: %i columns, %i wide, console %i',
    (_i, _n, _w, _c, t) => {
      expect(printed(renderTable(t.columns, t.rows, t.width).map((l) => cropLine(l, t.console)))).toBe(t.text);
    },
  );

  test('the random tables cover narrow and wide cells, cut words, wide characters and crops', () => {
    const text = FIXTURE.tables.map((t) => t.text).join('');
    expect(text).toContain('…'); //                                 a word cut
    expect(/[編한😀ｗ]/u.test(text)).toBe(true); //                   wide characters
    expect(FIXTURE.tables.some((t) => t.width > t.console)).toBe(true); // lines cropped at the console
    expect(FIXTURE.tables.some((t) => t.rows.length === 0)).toBe(true);
  });
});

describe('consoleText folds a line as rich\'s Console.print does', () => {
  test.each(FIXTURE.lines.map((l, i) => [i, l.console, l] as const))('line #%i on %i columns', (_i, _c, l) => {
    expect(printed(consoleText(l.text, l.console))).toBe(l.out);
  });
});

describe('the arithmetic under the layout', () => {
  test('roundHalfEven rounds halves to even, as Python 3 round()', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, -0, -2, 2, 3]);
  });

  test('Keras\'s default columns (34, 26, 16) in a 76-wide table become 33, 24, 15 with padding', () => {
    const cols: FixedColumn[] = [34, 26, 16].map((width) => ({ header: '', justify: 'left', width }));
    expect(columnWidths(cols, 76)).toEqual([33, 24, 15]);
    // ratio_reduce of 10 over [36, 28, 18]: round(10/3) = 3, round(7/2) = 4 (half to even), 3
    expect(ratioReduce(10, [1, 1, 1], [36, 28, 18], [36, 28, 18])).toEqual([33, 24, 15]);
  });

  test('cell widths: ASCII one, CJK two, combining marks none, a ZWJ sequence as its first emoji', () => {
    expect(cellLen('lstm (LSTM)')).toBe(11);
    expect(cellLen('編碼器')).toBe(6);
    expect(cellLen('e\u0301')).toBe(1);
    expect(cellLen('\u{1F468}\u200d\u{1F469}')).toBe(2);
    expect(setCellSize('編碼器', 3)).toBe('編 '); //  a wide character cut in half becomes a space
  });
});
