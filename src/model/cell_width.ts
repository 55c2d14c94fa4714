/**
 * How many terminal cells a string takes, as rich (rich/cells.py) counts
 * them: printable ASCII and Latin one each, control characters and combining
 * marks none, East Asian wide characters and emoji two.
 *
 * rich reads a table of the Unicode character database; this follows the
 * same rules from JavaScript's Unicode properties and the wide blocks, which
 * agree for ASCII, Latin, Greek, Cyrillic, CJK, Hangul, kana, fullwidth forms
 * and emoji presentation characters.
 */

/** Blocks of East Asian wide and fullwidth characters (two cells each). */
const WIDE: Array<[number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf],
  [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];
const ZERO = /^[\p{Mn}\p{Me}]$/u;
const EMOJI = /^\p{Emoji_Presentation}$/u;
/** Characters that VS16 (U+FE0F) turns from one cell to two: text-style emoji. */
const NARROW_EMOJI = /^\p{Extended_Pictographic}$/u;

/** Cells of one code point. */
function charWidth(c: string): number {
  const cp = c.codePointAt(0)!;
  if (cp >= 0x20 && cp < 0x7f) return 1;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (ZERO.test(c) || cp === 0x200b) return 0;
  if (EMOJI.test(c)) return 2;
  for (const [lo, hi] of WIDE) if (cp >= lo && cp <= hi) return 2;
  return 1;
}

/**
 * Cells of `text`. A zero-width joiner hides the character after it (the
 * rest of an emoji sequence), and VS16 widens a text-style emoji before it:
 * `cellLen('lstm (LSTM)')` is 11, `cellLen('編碼器')` 6.
 */
export function cellLen(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let total = 0;
  let last: string | undefined;
  const cps = Array.from(text);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    if (c === '\u200d') {
      i++; // the joined character adds nothing
    } else if (c === '\ufe0f') {
      if (last !== undefined && charWidth(last) === 1 && NARROW_EMOJI.test(last)) total += 1;
      last = undefined;
    } else {
      const w = charWidth(c);
      if (w) last = c;
      total += w;
    }
  }
  return total;
}
