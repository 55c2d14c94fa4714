/**
 * preprocessing.json: everything that turns texts into the input of a run's
 * models, in one file that names no other: the tokenizer (as tokenizer.json
 * holds it), maxlen, the padding and truncating sides and the subword
 * settings. `tfjs-recurrent export` writes it beside the exported models, so
 * that a server without this package's run folder (Python with
 * docs/python/sentiment_preprocessing.py, Node with examples/serve_onnx.mjs,
 * a browser with web/sentiment/) gives the models the ids `encodeTexts`
 * gives them. This module reads no file (run_folder.ts reads a run's), so a
 * page can bundle it.
 */
import { RecurrentConfigError, fmtValue } from '../errors';
import { Tokenizer } from '../text/tokenizer';
import { Encoding, inputShape } from './encode';

/** The file's name beside the exported models. */
export const PREPROCESSING_FILE = 'preprocessing.json';

/** The value of preprocessing.json's `format` field. */
export const PREPROCESSING_FORMAT = 'tfjs-recurrent-preprocessing';

/** A tokenizer as `Tokenizer.toJSON()` writes it (the content of a run's tokenizer.json). */
export interface TokenizerJSON {
  className: 'Tokenizer';
  /** The options the texts are split and the words numbered with (see `TokenizerArgs`). */
  config: { numWords: number | null; filters: string; lower: boolean; split: string; oovToken: string | null };
  /** Texts fitted on. */
  documentCount: number;
  /** [word, count over the fitted texts], in order of first appearance. */
  wordCounts: Array<[string, number]>;
  /** [word, number of texts it occurs in]. */
  wordDocs: Array<[string, number]>;
  /** [word, id]: ids from 1, most frequent first (the OOV token first). */
  wordIndex: Array<[string, number]>;
}

/** The subword settings of a run that feeds subword bags (`subwordBags`) to its models. */
export interface SubwordSettings {
  /** Hash buckets of the n-grams. */
  buckets: number;
  /** Shortest and longest n-gram, in code points of '<' + word + '>'. */
  minN: number;
  maxN: number;
  /** At most this many n-grams per word, shortest first. */
  maxNgrams: number;
  /** V, the tokenizer's `vocabularySize`: an n-gram's id is V + its bucket. */
  vocabularySize: number;
  /** Ids per bag: 1 + maxNgrams (the word's id, its n-grams' ids, then 0s). */
  width: number;
}

/**
 * What preprocessing.json holds. Texts become ids as `encodeTexts` makes
 * them: the tokenizer's words (lower-cased, `filters` characters replaced
 * by `split`, split on `split`, empty words dropped), then
 *
 * - without subwords: each word's id (its index where below `numWords`,
 *   else the OOV token's id, else the word is dropped); the last `maxlen`
 *   ids kept (`truncating: 'pre'`), 0s in front (`padding: 'pre'`);
 * - with subwords: the last `maxlen` words, each a bag [its id (0 where it
 *   has none), V + FNV-1a(UTF-8 of g) mod buckets for its first maxNgrams
 *   n-grams g, 0s] of `width` ids, bags of 0s in front.
 */
export interface Preprocessing {
  /** What the file is: 'tfjs-recurrent-preprocessing'. */
  format: typeof PREPROCESSING_FORMAT;
  /** 1: the layout described here. */
  version: 1;
  /** Steps per text. */
  maxlen: number;
  /** Where the padding goes: in front. */
  padding: 'pre';
  /** Which end of a long text is cut: the front (the last maxlen words or ids are kept). */
  truncating: 'pre';
  /** The subword settings, or null where the models read one word id per step. */
  subwords: SubwordSettings | null;
  /** The model input's shape for one text, [maxlen] or [maxlen, width]; the ids are int32. */
  inputShape: number[];
  /** The ids' type in the model's input. */
  dtype: 'int32';
  /** The tokenizer: `Tokenizer.fromJSON(JSON.stringify(p.tokenizer))` rebuilds it. */
  tokenizer: TokenizerJSON;
}

const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/**
 * The preprocessing of a model that reads texts encoded by `tokenizer` with
 * `encoding` (a run's report.json `config`: maxlen, subwords, subwordBuckets,
 * subwordMinN, subwordMaxN, subwordMaxNgrams), as preprocessing.json holds it.
 *
 * @example
 * ```ts
 * import { Tokenizer } from 'tfjs-recurrent';
 * import { preprocessingOf } from 'tfjs-recurrent/sentiment';
 * const tok = new Tokenizer({ oovToken: '<OOV>' });
 * tok.fitOnTexts(['not bad', 'bad']);
 * const p = preprocessingOf(tok, { maxlen: 3, subwords: true, subwordBuckets: 100, subwordMinN: 3, subwordMaxN: 5, subwordMaxNgrams: 2 });
 * p.inputShape; // [3, 3]
 * p.subwords?.vocabularySize; // 4 (<OOV>, bad, not and the padding id 0)
 * ```
 */
export function preprocessingOf(tokenizer: Tokenizer, encoding: Encoding): Preprocessing {
  if (!(tokenizer instanceof Tokenizer)) {
    throw new RecurrentConfigError(`preprocessingOf: tokenizer must be a Tokenizer (fitted, or read with Tokenizer.fromJSON), got ${fmtValue(tokenizer)}`);
  }
  if (encoding == null || typeof encoding !== 'object') {
    throw new RecurrentConfigError(`preprocessingOf: encoding must be an object such as { maxlen: 40, subwords: false }, got ${fmtValue(encoding)}`);
  }
  if (!positiveInt(encoding.maxlen)) throw new RecurrentConfigError(`preprocessingOf: encoding.maxlen must be a positive integer, got ${fmtValue(encoding.maxlen)}`);
  if (typeof encoding.subwords !== 'boolean') throw new RecurrentConfigError(`preprocessingOf: encoding.subwords must be true or false, got ${fmtValue(encoding.subwords)}`);
  let subwords: SubwordSettings | null = null;
  if (encoding.subwords) {
    for (const k of ['subwordBuckets', 'subwordMinN', 'subwordMaxN', 'subwordMaxNgrams'] as const) {
      if (!positiveInt(encoding[k])) {
        throw new RecurrentConfigError(`preprocessingOf: encoding.${k} must be a positive integer (encoding.subwords is true), got ${fmtValue(encoding[k])}`);
      }
    }
    if (encoding.subwordMaxN < encoding.subwordMinN) {
      throw new RecurrentConfigError(`preprocessingOf: encoding.subwordMaxN must be >= encoding.subwordMinN (${encoding.subwordMinN}), got ${encoding.subwordMaxN}`);
    }
    subwords = {
      buckets: encoding.subwordBuckets,
      minN: encoding.subwordMinN,
      maxN: encoding.subwordMaxN,
      maxNgrams: encoding.subwordMaxNgrams,
      vocabularySize: tokenizer.vocabularySize,
      width: 1 + encoding.subwordMaxNgrams,
    };
  }
  return {
    format: PREPROCESSING_FORMAT,
    version: 1,
    maxlen: encoding.maxlen,
    padding: 'pre',
    truncating: 'pre',
    subwords,
    inputShape: inputShape(encoding),
    dtype: 'int32',
    tokenizer: JSON.parse(tokenizer.toJSON()) as TokenizerJSON,
  };
}

/**
 * preprocessing.json's text: one top-level field per line, the small ones
 * first, the tokenizer (thousands of words) last, on one line.
 */
export function preprocessingText(p: Preprocessing): string {
  return `{\n${Object.entries(p).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}\n`;
}

/**
 * The `Encoding` that `encodeTexts` takes, from a preprocessing.json's
 * content: the inverse of {@link preprocessingOf}, so that
 * `encodeTexts(Tokenizer.fromJSON(JSON.stringify(p.tokenizer)), texts, encodingOf(p))`
 * gives the run's models the ids they were trained on. A value that is not
 * such a file's content is refused, naming the field.
 *
 * @example
 * ```ts
 * import { Tokenizer } from 'tfjs-recurrent';
 * import { encodingOf, preprocessingOf } from 'tfjs-recurrent/sentiment';
 * const tok = new Tokenizer({ oovToken: '<OOV>' });
 * tok.fitOnTexts(['not bad', 'bad']);
 * encodingOf(preprocessingOf(tok, { maxlen: 3, subwords: false })); // { maxlen: 3, subwords: false, ... }
 * ```
 */
export function encodingOf(p: Preprocessing): Encoding {
  const bad = (field: string, expected: string, got: unknown) =>
    new RecurrentConfigError(`encodingOf: ${field} must be ${expected}, got ${fmtValue(got)}`);
  if (p == null || typeof p !== 'object' || p.format !== PREPROCESSING_FORMAT) {
    throw bad('the format field', `'${PREPROCESSING_FORMAT}' (the content of a preprocessing.json)`, (p as { format?: unknown } | null)?.format ?? p);
  }
  if (p.version !== 1) throw bad('version', '1', p.version);
  if (!positiveInt(p.maxlen)) throw bad('maxlen', 'a positive integer', p.maxlen);
  const s = p.subwords;
  if (s === null) return { maxlen: p.maxlen, subwords: false, subwordBuckets: 0, subwordMinN: 0, subwordMaxN: 0, subwordMaxNgrams: 0 };
  if (s == null || typeof s !== 'object') throw bad('subwords', 'null or the subword settings', s);
  for (const k of ['buckets', 'minN', 'maxN', 'maxNgrams'] as const) if (!positiveInt(s[k])) throw bad(`subwords.${k}`, 'a positive integer', s[k]);
  return { maxlen: p.maxlen, subwords: true, subwordBuckets: s.buckets, subwordMinN: s.minN, subwordMaxN: s.maxN, subwordMaxNgrams: s.maxNgrams };
}
