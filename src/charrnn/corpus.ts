/**
 * The text a character model learns: the bundled novel (data/README.md says
 * what it is and where it comes from) or a user's UTF-8 file, gzipped or not;
 * and its characters as ids.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { RecurrentInputError, fmtValue } from '../errors';

/** The bundled text: Jane Austen's Pride and Prejudice (1813), gzipped (data/README.md). */
export const BUNDLED_TEXT = path.join(__dirname, '..', '..', 'data', 'pride_and_prejudice.txt.gz');
export const BUNDLED_SOURCE = 'Pride and Prejudice (Jane Austen, 1813; public domain)';

/** A text and where it came from. */
export interface Corpus {
  text: string;
  source: string;
}

/** The bundled text, or the UTF-8 text of `file` (gunzipped when it starts with gzip's magic bytes); `who` names the option in errors. */
export function loadCorpus(file?: string, who = '--data'): Corpus {
  const target = file ?? BUNDLED_TEXT;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(target);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new RecurrentInputError(`${who}: cannot read ${target} (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : code ?? (e as Error).message})`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch (e) {
      throw new RecurrentInputError(`${who}: ${target} starts as a gzip file but does not unpack (${(e as Error).message})`);
    }
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return { text, source: file ? path.basename(file) : BUNDLED_SOURCE };
}

/**
 * The characters of a text, sorted by code point, each one's id its place:
 * text ↔ ids. Characters are code points (an emoji is one, not two UTF-16 units).
 */
export class CharVocabulary {
  readonly chars: string[];
  private readonly index: Map<string, number>;

  constructor(chars: string[]) {
    this.chars = chars;
    this.index = new Map(chars.map((c, i) => [c, i]));
  }

  /** The vocabulary of `text`. */
  static of(text: string): CharVocabulary {
    return new CharVocabulary([...new Set(Array.from(text))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
  }

  get size(): number {
    return this.chars.length;
  }

  /** The ids of `text`; a character outside the vocabulary is an error naming it (`who` speaks). */
  encode(text: string, who = 'charrnn'): Int32Array {
    const cs = Array.from(text);
    const ids = new Int32Array(cs.length);
    cs.forEach((c, i) => {
      const id = this.index.get(c);
      if (id === undefined) throw new RecurrentInputError(`${who}: the character ${JSON.stringify(c)} at position ${i} is not in the model's vocabulary of ${this.size} characters`);
      ids[i] = id;
    });
    return ids;
  }

  decode(ids: ArrayLike<number>): string {
    return Array.from(ids, (i) => this.chars[i]).join('');
  }

  toJSON(): { chars: string[] } {
    return { chars: this.chars };
  }

  /** From `toJSON`'s form, checked (`file` named in errors). */
  static fromJSON(value: unknown, file: string): CharVocabulary {
    const chars = (value as { chars?: unknown } | null)?.chars;
    const ok = Array.isArray(chars) && chars.length > 0 && chars.every((c) => typeof c === 'string' && Array.from(c).length === 1) && new Set(chars).size === chars.length;
    if (!ok) throw new RecurrentInputError(`${file}: expected { "chars": [distinct single characters] }, got ${fmtValue(value).slice(0, 200)}`);
    return new CharVocabulary(chars as string[]);
  }
}
