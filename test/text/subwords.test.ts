/**
 * charNgrams, ngramBucket and subwordBags against the values written out
 * from their definitions by test/reference/make_subwords.py
 * (test/fixtures/subwords.json), with a tokenizer fitted by Keras's rule.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Tokenizer, charNgrams, ngramBucket, subwordBags, SubwordArgs } from '../../src';

const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'subwords.json'), 'utf8')) as {
  charNgrams: Array<{ word: string; minN: number; maxN: number; ngrams: string[] }>;
  fnv1a: Array<{ s: string; hash: number }>;
  subwordBags: { fit: string[]; texts: string[]; args: SubwordArgs & { numWords: number }; vocabularySize: number; bags: number[][][] };
};

describe('charNgrams', () => {
  test.each(FIXTURE.charNgrams.map((c) => [c.word, c] as const))("n-grams of '<%s>', shortest first, characters as code points", (_w, c) => {
    expect(charNgrams(c.word, c.minN, c.maxN)).toEqual(c.ngrams);
  });

  test('a word shorter than minN − 2 characters has only the n-grams that fit', () => {
    expect(charNgrams('a', 3, 5)).toEqual(['<a>']);
    expect(charNgrams('a', 4, 5)).toEqual([]);
  });
});

describe('ngramBucket', () => {
  test('is FNV-1a (32-bit) of the UTF-8 bytes, modulo the bucket count', () => {
    for (const { s, hash } of FIXTURE.fnv1a) {
      expect(ngramBucket(s, 2 ** 32)).toBe(hash);
      expect(ngramBucket(s, 1009)).toBe(hash % 1009);
    }
  });
});

describe('subwordBags', () => {
  const { fit, texts, args, vocabularySize, bags } = FIXTURE.subwordBags;
  const { numWords, ...bagArgs } = args;
  const tok = new Tokenizer({ numWords, oovToken: '<OOV>' });
  tok.fitOnTexts(fit);

  test('matches the reference: word id (OOV for unknown), V + n-gram buckets, zeros; empty bags in front; long texts keep their end', () => {
    expect(tok.vocabularySize).toBe(vocabularySize);
    expect(subwordBags(tok, texts, bagArgs)).toEqual(bags);
  });

  test('unknown words still differ through their n-grams, while sharing the OOV id', () => {
    const [a, b] = subwordBags(tok, ['zzzq', 'qqqz'], bagArgs).map((rows) => rows[rows.length - 1]);
    expect(a[0]).toBe(1);
    expect(b[0]).toBe(1);
    expect(a.slice(1)).not.toEqual(b.slice(1));
  });

  test('without an OOV token, an unknown word keeps its n-grams behind id 0', () => {
    const plain = new Tokenizer();
    plain.fitOnTexts(fit);
    const row = subwordBags(plain, ['zzzq'], { buckets: 50, maxlen: 1 })[0][0];
    expect(row[0]).toBe(0);
    expect(row.slice(1).filter((id) => id > 0).length).toBeGreaterThan(0);
    expect(Math.min(...row.slice(1).filter((id) => id > 0))).toBeGreaterThanOrEqual(plain.vocabularySize);
  });

  test('every id is below vocabularySize + buckets, and every bag has 1 + maxNgrams ids', () => {
    const out = subwordBags(tok, fit, { buckets: 13, maxlen: 9 });
    for (const rows of out) {
      expect(rows).toHaveLength(9);
      for (const bag of rows) {
        expect(bag).toHaveLength(25);
        for (const id of bag) expect(id >= 0 && id < tok.vocabularySize + 13).toBe(true);
      }
    }
  });

  test('bad options and texts: a clear error naming the argument', () => {
    expect(() => subwordBags(tok, ['a'], { buckets: 0, maxlen: 3 })).toThrow(/`buckets` of subwordBags, expected a positive integer, got 0/);
    expect(() => subwordBags(tok, ['a'], { buckets: 10, maxlen: 3, minN: 4, maxN: 3 })).toThrow(/`maxN` of subwordBags, expected an integer >= minN \(4\), got 3/);
    expect(() => subwordBags(tok, ['a'], { buckets: 10, maxlen: 2.5 })).toThrow(/`maxlen` of subwordBags, expected a positive integer, got 2.5/);
    expect(() => subwordBags(tok, [3 as never], { buckets: 10, maxlen: 3 })).toThrow(/subwordBags: texts\[0\] must be a string, got 3/);
    expect(() => subwordBags(tok, 'a' as never, { buckets: 10, maxlen: 3 })).toThrow(/subwordBags: texts must be an array of strings/);
  });
});
