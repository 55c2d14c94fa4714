/**
 * A Keras-like text Tokenizer (keras.preprocessing.text.Tokenizer): words →
 * integer ids, most frequent first, 0 reserved for padding.
 */
import { RecurrentConfigError, RecurrentInputError, fmtValue } from '../errors';

/** Keras's default filters: punctuation, tab and newline. */
export const DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

/** Options of {@link Tokenizer}, as Keras's `Tokenizer` takes them. */
export interface TokenizerArgs {
  /** Keep only ids < numWords (the numWords − 1 most frequent words, counting the OOV token). */
  numWords?: number | null;
  /** Characters removed from texts (replaced by the split character). */
  filters?: string;
  /** Lower-case texts first (default true). */
  lower?: boolean;
  /** Word separator (default ' '). */
  split?: string;
  /**
   * A token that stands for every word not in the index; it gets id 1. Where it
   * also occurs in the fitted texts it gets its rank among the words plus 1,
   * as in Keras (whose index lists it first, then again by its count): id 1 is
   * then no word's.
   */
  oovToken?: string | null;
}

/**
 * Splits a text into words as Keras's `text_to_word_sequence` does: lower-cased,
 * `filters` characters replaced by `split`, empty words dropped.
 *
 * @example
 * ```ts
 * import { textToWordSequence } from 'tfjs-recurrent';
 * textToWordSequence('Hello, World!  Hi'); // ['hello', 'world', 'hi']
 * ```
 */
export function textToWordSequence(text: string, filters = DEFAULT_FILTERS, lower = true, split = ' '): string[] {
  let t = lower ? text.toLowerCase() : text;
  for (const ch of filters) t = t.split(ch).join(split);
  return t.split(split).filter((w) => w.length > 0);
}

/**
 * @example
 * ```ts
 * import { Tokenizer } from 'tfjs-recurrent';
 * const tok = new Tokenizer({ numWords: 1000, oovToken: '<OOV>' });
 * tok.fitOnTexts(['The cat sat.', 'The dog sat!']);
 * tok.textsToSequences(['the cat ran']); // [[2, 4, 1]]
 * ```
 */
export class Tokenizer {
  readonly numWords: number | null;
  readonly filters: string;
  readonly lower: boolean;
  readonly split: string;
  readonly oovToken: string | null;
  /** Word → count over all fitted texts, in order of first appearance. */
  wordCounts = new Map<string, number>();
  /** Word → number of texts it occurs in. */
  wordDocs = new Map<string, number>();
  /** Word → id (1-based, most frequent first; the OOV token, if any, is 1, or 2 where it occurs in the texts). */
  wordIndex = new Map<string, number>();
  /** Id → word. */
  indexWord = new Map<number, string>();
  documentCount = 0;

  constructor(args: TokenizerArgs = {}) {
    if (args == null || typeof args !== 'object') {
      throw new RecurrentConfigError(`Tokenizer: expects an options object such as { numWords: 10000 }, got ${fmtValue(args)}`);
    }
    const known = ['numWords', 'filters', 'lower', 'split', 'oovToken'];
    for (const k of Object.keys(args)) {
      if (!known.includes(k)) throw new RecurrentConfigError(`Tokenizer: unknown option '${k}'; known options: ${known.join(', ')}`);
    }
    if (args.numWords != null && (!Number.isInteger(args.numWords) || args.numWords <= 0)) {
      throw new RecurrentConfigError(`Tokenizer: numWords must be a positive integer or null, got ${fmtValue(args.numWords)}`);
    }
    for (const k of ['filters', 'split'] as const) {
      if (args[k] != null && typeof args[k] !== 'string') {
        throw new RecurrentConfigError(`Tokenizer: ${k} must be a string, got ${fmtValue(args[k])}`);
      }
    }
    if (args.split === '') throw new RecurrentConfigError(`Tokenizer: split must be a non-empty string, got ''`);
    if (args.lower != null && typeof args.lower !== 'boolean') {
      throw new RecurrentConfigError(`Tokenizer: lower must be a boolean, got ${fmtValue(args.lower)}`);
    }
    if (args.oovToken != null && (typeof args.oovToken !== 'string' || args.oovToken === '')) {
      throw new RecurrentConfigError(`Tokenizer: oovToken must be a non-empty string or null, got ${fmtValue(args.oovToken)}`);
    }
    this.numWords = args.numWords ?? null;
    this.filters = args.filters ?? DEFAULT_FILTERS;
    this.lower = args.lower ?? true;
    this.split = args.split ?? ' ';
    this.oovToken = args.oovToken ?? null;
  }

  private words(text: unknown, i: number, fn: string): string[] {
    if (typeof text !== 'string') {
      throw new RecurrentInputError(`Tokenizer.${fn}: texts[${i}] must be a string, got ${fmtValue(text)}`);
    }
    return textToWordSequence(text, this.filters, this.lower, this.split);
  }

  private static checkTexts(texts: unknown, fn: string): asserts texts is string[] {
    if (!Array.isArray(texts)) throw new RecurrentInputError(`Tokenizer.${fn}: texts must be an array of strings, got ${fmtValue(texts)}`);
  }

  /** Counts the words of `texts` and rebuilds the index (most frequent first; ties in order of first appearance). */
  fitOnTexts(texts: string[]): void {
    Tokenizer.checkTexts(texts, 'fitOnTexts');
    texts.forEach((text, i) => {
      const seq = this.words(text, i, 'fitOnTexts');
      this.documentCount++;
      for (const w of seq) this.wordCounts.set(w, (this.wordCounts.get(w) ?? 0) + 1);
      for (const w of new Set(seq)) this.wordDocs.set(w, (this.wordDocs.get(w) ?? 0) + 1);
    });
    // A stable sort by count, descending, as Python's list.sort.
    const sorted = [...this.wordCounts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
    // As Keras: [oovToken, ...sorted] numbered from 1. Where the OOV token also occurs
    // in the texts it is listed twice and its later number wins (Python's dict of
    // pairs), so id 1 is then no word's and the ids run 2..n+1.
    const vocab = this.oovToken === null ? sorted : [this.oovToken, ...sorted];
    this.wordIndex = new Map(vocab.map((w, i) => [w, i + 1]));
    this.indexWord = new Map([...this.wordIndex].map(([w, i]) => [i, w]));
  }

  /** Each text as a list of ids; words outside the index (or past numWords) become the OOV id, or are dropped without one. */
  textsToSequences(texts: string[]): number[][] {
    Tokenizer.checkTexts(texts, 'textsToSequences');
    return texts.map((text, t) => {
      const out: number[] = [];
      for (const w of this.words(text, t, 'textsToSequences')) {
        const i = this.wordToId(w);
        if (i !== undefined) out.push(i);
      }
      return out;
    });
  }

  /** The id of one word as `textsToSequences` gives it: its index, else the OOV id, else undefined (dropped). */
  wordToId(word: string): number | undefined {
    const i = this.wordIndex.get(word);
    if (i !== undefined && (this.numWords === null || i < this.numWords)) return i;
    return this.oovToken === null ? undefined : this.wordIndex.get(this.oovToken);
  }

  /**
   * Ids back to text, words joined by a space, as Keras's `sequences_to_texts`:
   * an id at or past `numWords`, or of no word (0 and unknown ids too), becomes
   * the OOV word where there is an OOV token and is dropped where there is none.
   *
   * @example
   * ```ts
   * import { Tokenizer } from 'tfjs-recurrent';
   * const tok = new Tokenizer({ numWords: 3, oovToken: '<OOV>' });
   * tok.fitOnTexts(['a b c d', 'a b']); // <OOV> 1, a 2, b 3, c 4, d 5
   * tok.sequencesToTexts([[1, 2, 3, 4, 99]]); // ['<OOV> a <OOV> <OOV> <OOV>']
   * ```
   */
  sequencesToTexts(sequences: number[][]): string[] {
    if (!Array.isArray(sequences) || !sequences.every((s) => Array.isArray(s))) {
      throw new RecurrentInputError(`Tokenizer.sequencesToTexts: sequences must be an array of arrays of ids, got ${fmtValue(sequences)}`);
    }
    const oovIndex = this.oovToken === null ? undefined : this.wordIndex.get(this.oovToken);
    const oovWord = oovIndex === undefined ? undefined : this.indexWord.get(oovIndex);
    return sequences.map((seq) => {
      const words: string[] = [];
      for (const i of seq) {
        const w = this.indexWord.get(i);
        const kept = w !== undefined && (this.numWords === null || i < this.numWords);
        if (kept) words.push(w);
        else if (oovWord !== undefined) words.push(oovWord);
      }
      return words.join(' ');
    });
  }

  /**
   * The size an Embedding needs: the largest id `textsToSequences` can give + 1
   * (ids below `numWords`, and the OOV id).
   */
  get vocabularySize(): number {
    let maxId = 0;
    for (const i of this.wordIndex.values()) maxId = Math.max(maxId, i);
    const kept = this.numWords === null ? maxId + 1 : Math.min(maxId + 1, this.numWords);
    const oovIndex = this.oovToken === null ? undefined : this.wordIndex.get(this.oovToken);
    return oovIndex === undefined ? kept : Math.max(kept, oovIndex + 1);
  }

  /** The tokenizer as JSON (config, counts and index), for `Tokenizer.fromJSON`. */
  toJSON(): string {
    return JSON.stringify({
      className: 'Tokenizer',
      config: { numWords: this.numWords, filters: this.filters, lower: this.lower, split: this.split, oovToken: this.oovToken },
      documentCount: this.documentCount,
      wordCounts: [...this.wordCounts.entries()],
      wordDocs: [...this.wordDocs.entries()],
      wordIndex: [...this.wordIndex.entries()],
    });
  }

  /** Rebuilds a tokenizer saved with `toJSON()`. */
  static fromJSON(json: string): Tokenizer {
    let d: {
      className?: string; config?: TokenizerArgs; documentCount?: number;
      wordCounts?: [string, number][]; wordDocs?: [string, number][]; wordIndex?: [string, number][];
    };
    try {
      d = JSON.parse(json);
    } catch (e) {
      throw new RecurrentInputError(`Tokenizer.fromJSON: not valid JSON (${(e as Error).message})`);
    }
    if (d?.className !== 'Tokenizer' || !Array.isArray(d.wordIndex) || !Array.isArray(d.wordCounts)) {
      throw new RecurrentInputError(`Tokenizer.fromJSON: expected the output of Tokenizer.toJSON(), got className ${fmtValue(d?.className)}`);
    }
    checkEntries('wordIndex', d.wordIndex, 1);
    checkEntries('wordCounts', d.wordCounts, 0);
    if (d.wordDocs != null) checkEntries('wordDocs', d.wordDocs, 0);
    // The index is a ranking: the ids 1..n, each once; or 2..n+1 where the OOV
    // token occurs in the texts (then it has its rank plus 1, and id 1 is no word's: see fitOnTexts).
    const n = d.wordIndex.length;
    const oov = d.config?.oovToken;
    const first = oov != null && d.wordIndex.some(([w]) => w === oov) && !d.wordIndex.some(([, i]) => i === 1) ? 2 : 1;
    const ids = new Set(d.wordIndex.map(([, i]) => i));
    if (ids.size !== n || d.wordIndex.some(([, i]) => i < first || i > n + first - 1)) {
      throw new RecurrentInputError(
        `Tokenizer.fromJSON: wordIndex must number its ${n} words 1..${n}, each once (or 2..${n + 1} where the OOV token occurs in the texts)`,
      );
    }
    if (d.documentCount != null && !(Number.isSafeInteger(d.documentCount) && d.documentCount >= 0)) {
      throw new RecurrentInputError(`Tokenizer.fromJSON: documentCount must be a non-negative integer, got ${fmtValue(d.documentCount)}`);
    }
    const tok = new Tokenizer(d.config ?? {});
    tok.documentCount = d.documentCount ?? 0;
    tok.wordCounts = new Map(d.wordCounts);
    tok.wordDocs = new Map(d.wordDocs ?? []);
    tok.wordIndex = new Map(d.wordIndex);
    tok.indexWord = new Map(d.wordIndex.map(([w, i]) => [i, w]));
    return tok;
  }
}

/** `[word, n]` pairs of a saved tokenizer: a string and an integer ≥ `min`, else an error naming the entry. */
function checkEntries(what: string, entries: unknown, min: number): asserts entries is [string, number][] {
  if (!Array.isArray(entries)) throw new RecurrentInputError(`Tokenizer.fromJSON: ${what} must be an array of [word, number] pairs, got ${fmtValue(entries)}`);
  entries.forEach((e, k) => {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || !Number.isSafeInteger(e[1]) || e[1] < min) {
      throw new RecurrentInputError(`Tokenizer.fromJSON: ${what}[${k}] must be [word, integer >= ${min}], got ${fmtValue(e)}`);
    }
  });
}
