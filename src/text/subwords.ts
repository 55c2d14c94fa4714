/**
 * Subword bags, as fastText builds its word vectors (Bojanowski et al.,
 * "Enriching Word Vectors with Subword Information", 2017): each word is its
 * own id plus the ids of its character n-grams, hashed into a fixed number of
 * buckets. With {@link EmbeddingBag}, a word's vector is the mean of the
 * vectors of its bag, so a word the tokenizer never saw ("unwatchable") still
 * gets one, from the n-grams it shares with words it did see ("watch",
 * "unbearable").
 *
 *   n-grams of w:  the character n-grams, minN ≤ n ≤ maxN, of '<' + w + '>'
 *                  (not '<' or '>' alone, as fastText), the first maxNgrams of them
 *   bucket(g):     FNV-1a (32-bit) of g's UTF-8 bytes, mod buckets (fastText
 *                  sign-extends bytes ≥ 0x80, so its buckets differ for non-ASCII n-grams)
 *   bag(w):        [id(w), V + bucket(g_1), ..., V + bucket(g_K)]   (then 0s)
 *
 * where id(w) is the tokenizer's id (its OOV id for an unknown word, 0 if it
 * has none) and V its `vocabularySize`, so an EmbeddingBag over these ids has
 * V + buckets rows.
 */
import { RecurrentConfigError, RecurrentInputError, fmtValue } from '../errors';
import { Tokenizer, textToWordSequence } from './tokenizer';

/** Options of {@link subwordBags}. */
export interface SubwordArgs {
  /** Number of hash buckets for the n-grams (fastText: 2,000,000; a few times the number of distinct n-grams is enough). */
  buckets: number;
  /** Shortest n-gram, in characters (default 3). */
  minN?: number;
  /** Longest n-gram, in characters (default 5). */
  maxN?: number;
  /** At most this many n-grams per word, shortest first (default 24: all the 3- to 5-grams of a word of up to 9 characters; longer words lose their longest n-grams); the bag width is 1 + maxNgrams. */
  maxNgrams?: number;
  /** Steps per text: longer texts keep their last maxlen words, shorter ones are padded with empty bags at the start, as `padSequences`'s defaults. */
  maxlen: number;
}

const utf8 = new TextEncoder();

/** The defaults of the optional {@link SubwordArgs}. */
const DEFAULTS = { minN: 3, maxN: 5, maxNgrams: 24 };

/**
 * The character n-grams of '<' + word + '>', all lengths from minN to maxN,
 * shortest first, each in order of position, without '<' and '>' alone (as
 * fastText). Characters are code points.
 *
 * @example
 * ```ts
 * import { charNgrams } from 'tfjs-recurrent';
 * charNgrams('bad', 3, 4); // ['<ba', 'bad', 'ad>', '<bad', 'bad>']
 * ```
 */
export function charNgrams(word: string, minN = DEFAULTS.minN, maxN = DEFAULTS.maxN): string[] {
  const c = Array.from(`<${word}>`);
  const out: string[] = [];
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= c.length; i++) {
      if (n === 1 && (i === 0 || i === c.length - 1)) continue; // the boundary marks alone say nothing about the word
      out.push(c.slice(i, i + n).join(''));
    }
  }
  return out;
}

/**
 * FNV-1a (32-bit) of the UTF-8 bytes of `s`, modulo `buckets`.
 *
 * @example
 * ```ts
 * import { ngramBucket } from 'tfjs-recurrent';
 * ngramBucket('bad', 1 << 20); // 481912  (FNV-1a('bad') = 0x60b75a78, mod 2^20)
 * ```
 */
export function ngramBucket(s: string, buckets: number): number {
  let h = 0x811c9dc5; //                         FNV offset basis
  for (const byte of utf8.encode(s)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193); //             FNV prime, mod 2^32
  }
  return (h >>> 0) % buckets;
}

function checkArgs(args: SubwordArgs): Required<SubwordArgs> {
  if (args == null || typeof args !== 'object') {
    throw new RecurrentConfigError(`subwordBags: expects options such as { buckets: 20000, maxlen: 40 }, got ${fmtValue(args)}`);
  }
  const a = { ...DEFAULTS, ...args };
  for (const k of ['buckets', 'minN', 'maxN', 'maxNgrams', 'maxlen'] as const) {
    if (!Number.isInteger(a[k]) || a[k] < 1) {
      throw new RecurrentConfigError(`Received an invalid value for argument \`${k}\` of subwordBags, expected a positive integer, got ${fmtValue(a[k])}`);
    }
  }
  if (a.maxN < a.minN) {
    throw new RecurrentConfigError(`Received an invalid value for argument \`maxN\` of subwordBags, expected an integer >= minN (${a.minN}), got ${a.maxN}`);
  }
  return a;
}

/**
 * Each text as maxlen bags of ids [maxlen][1 + maxNgrams]: per word, its
 * tokenizer id, then V + the bucket of each of its character n-grams, then
 * zeros. Words the tokenizer drops (no OOV token) keep their n-grams with id
 * 0 in front. The input of an `EmbeddingBag({ inputDim: V + buckets })`.
 *
 * @example
 * ```ts
 * import { Tokenizer, subwordBags } from 'tfjs-recurrent';
 * const tok = new Tokenizer({ oovToken: '<OOV>' });
 * tok.fitOnTexts(['not bad', 'bad']);
 * const bags = subwordBags(tok, ['so bad'], { buckets: 100, maxlen: 3, maxNgrams: 2 });
 * // [[[0, 0, 0], [1, 4 + b('<so'), 4 + b('so>')], [2, 4 + b('<ba'), 4 + b('bad')]]] with V = 4, b = ngramBucket(·, 100)
 * ```
 */
export function subwordBags(tokenizer: Tokenizer, texts: string[], args: SubwordArgs): number[][][] {
  const a = checkArgs(args);
  if (!Array.isArray(texts)) throw new RecurrentInputError(`subwordBags: texts must be an array of strings, got ${fmtValue(texts)}`);
  const V = tokenizer.vocabularySize;
  const width = subwordBagWidth(a);
  const cache = new Map<string, number[]>();
  const bag = (w: string): number[] => {
    let b = cache.get(w);
    if (b === undefined) {
      const grams = charNgrams(w, a.minN, a.maxN).slice(0, a.maxNgrams).map((g) => V + ngramBucket(g, a.buckets));
      b = [tokenizer.wordToId(w) ?? 0, ...grams];
      while (b.length < width) b.push(0);
      cache.set(w, b);
    }
    return b;
  };
  return texts.map((text, i) => {
    if (typeof text !== 'string') throw new RecurrentInputError(`subwordBags: texts[${i}] must be a string, got ${fmtValue(text)}`);
    const words = textToWordSequence(text, tokenizer.filters, tokenizer.lower, tokenizer.split).slice(-a.maxlen);
    const pad = Array.from({ length: a.maxlen - words.length }, () => new Array<number>(width).fill(0));
    return [...pad, ...words.map((w) => bag(w).slice())];
  });
}

/** The number of ids in each bag of {@link subwordBags}: 1 + maxNgrams. */
export const subwordBagWidth = (args: Pick<SubwordArgs, 'maxNgrams'>) => 1 + (args.maxNgrams ?? DEFAULTS.maxNgrams);
