/** Tokenizer and padSequences against Keras's behaviour on hand-checked cases. */
import { Tokenizer, padSequences, textToWordSequence, RecurrentConfigError, RecurrentInputError } from '../../src';

describe('Tokenizer', () => {
  const texts = ['The cat sat on the mat.', 'The dog sat!'];

  test('splits as text_to_word_sequence: lower-cased, punctuation filtered, apostrophes kept', () => {
    expect(textToWordSequence("Don't stop -- the\tmusic!")).toEqual(["don't", 'stop', 'the', 'music']);
    expect(textToWordSequence('A,B', '', false)).toEqual(['A,B']);
  });

  test('wordToId gives one word the id textsToSequences gives it: its index below numWords, else the OOV id, else undefined', () => {
    const withOov = new Tokenizer({ numWords: 4, oovToken: '<OOV>' });
    withOov.fitOnTexts(texts); // <OOV> 1, the 2, sat 3, cat 4, ...
    expect(['the', 'sat', 'cat', 'zebra'].map((w) => withOov.wordToId(w))).toEqual([2, 3, 1, 1]);
    expect(withOov.textsToSequences(['the sat cat zebra'])).toEqual([[2, 3, 1, 1]]);
    const plain = new Tokenizer({ numWords: 3 });
    plain.fitOnTexts(texts); // the 1, sat 2, cat 3, ...
    expect(['the', 'sat', 'cat', 'zebra'].map((w) => plain.wordToId(w))).toEqual([1, 2, undefined, undefined]);
  });

  test('indexes words by frequency, ties in order of first appearance, from 1', () => {
    const tok = new Tokenizer();
    tok.fitOnTexts(texts);
    expect([...tok.wordIndex]).toEqual([['the', 1], ['sat', 2], ['cat', 3], ['on', 4], ['mat', 5], ['dog', 6]]);
    expect(tok.wordCounts.get('the')).toBe(3);
    expect(tok.wordDocs.get('the')).toBe(2);
    expect(tok.documentCount).toBe(2);
    expect(tok.textsToSequences(['the cat ran'])).toEqual([[1, 3]]);
  });

  test('the OOV token takes id 1 and stands for unknown words', () => {
    const tok = new Tokenizer({ oovToken: '<OOV>' });
    tok.fitOnTexts(texts);
    expect(tok.wordIndex.get('<OOV>')).toBe(1);
    expect(tok.wordIndex.get('the')).toBe(2);
    expect(tok.textsToSequences(['the cat ran'])).toEqual([[2, 4, 1]]);
  });

  test('numWords keeps ids below numWords; others become OOV, or are dropped without it', () => {
    const withOov = new Tokenizer({ numWords: 3, oovToken: '<OOV>' });
    withOov.fitOnTexts(texts);
    expect(withOov.textsToSequences(['the cat ran'])).toEqual([[2, 1, 1]]);
    const without = new Tokenizer({ numWords: 3 });
    without.fitOnTexts(texts);
    expect(without.textsToSequences(['the cat sat'])).toEqual([[1, 2]]);
    expect(without.vocabularySize).toBe(3);
  });

  test('fitting again adds counts and rebuilds the index', () => {
    const tok = new Tokenizer();
    tok.fitOnTexts(['b a']);
    tok.fitOnTexts(['a']);
    expect([...tok.wordIndex]).toEqual([['a', 1], ['b', 2]]);
  });

  test('JSON round trip keeps config, counts and index', () => {
    const tok = new Tokenizer({ numWords: 50, oovToken: '<unk>', lower: false });
    tok.fitOnTexts(texts);
    const back = Tokenizer.fromJSON(tok.toJSON());
    expect(back.textsToSequences(['The cat flew'])).toEqual(tok.textsToSequences(['The cat flew']));
    expect([...back.wordIndex]).toEqual([...tok.wordIndex]);
    expect(back.lower).toBe(false);
    expect(back.sequencesToTexts([[2, 4]])).toEqual(['The cat']);
  });

  test.each([
    [() => new Tokenizer({ numWords: 0 }), /^Tokenizer: numWords must be a positive integer or null, got 0$/, RecurrentConfigError],
    [() => new Tokenizer({ oovtoken: 'x' } as never), /^Tokenizer: unknown option 'oovtoken'/, RecurrentConfigError],
    [() => new Tokenizer().fitOnTexts(['ok', 3 as never]), /^Tokenizer\.fitOnTexts: texts\[1\] must be a string, got 3$/, RecurrentInputError],
    [() => Tokenizer.fromJSON('{"a":1}'), /^Tokenizer\.fromJSON: expected the output of Tokenizer\.toJSON\(\)/, RecurrentInputError],
  ])('bad input: %#', (fn, re, Cls) => {
    expect(fn).toThrow(Cls);
    expect(fn).toThrow(re);
  });
});

describe('padSequences', () => {
  test('pads and truncates at the start by default, to the longest sequence', () => {
    expect(padSequences([[1, 2, 3], [4]])).toEqual([[1, 2, 3], [0, 0, 4]]);
    expect(padSequences([[1, 2, 3], [4]], { maxlen: 2 })).toEqual([[2, 3], [0, 4]]);
  });

  test("'post' pads and truncates at the end; value sets the padding", () => {
    expect(padSequences([[1, 2, 3], [4]], { maxlen: 2, padding: 'post', truncating: 'post' })).toEqual([[1, 2], [4, 0]]);
    expect(padSequences([[5], []], { maxlen: 3, value: -1 })).toEqual([[-1, -1, 5], [-1, -1, -1]]);
  });

  test.each([
    [() => padSequences([[1]], { maxlen: 0 }), /^padSequences: maxlen must be a positive integer, got 0$/],
    [() => padSequences([[1]], { padding: 'middle' as never }), /^padSequences: padding must be 'pre' or 'post', got 'middle'$/],
    [() => padSequences([[1], [NaN]]), /^padSequences: sequences\[1\] must be an array of finite numbers/],
    [() => padSequences('abc' as never), /^padSequences: sequences must be an array of arrays of numbers/],
  ])('bad input: %#', (fn, re) => expect(fn).toThrow(re));
});

describe('Tokenizer against Keras', () => {
  // Expected values printed by Keras 3.15.1's legacy keras.preprocessing.text.Tokenizer
  // (the Keras 2 / keras-preprocessing code, unchanged).
  test('sequencesToTexts writes the OOV word for ids at or past numWords, unknown ids and 0', () => {
    const tok = new Tokenizer({ numWords: 3, oovToken: '<OOV>' });
    tok.fitOnTexts(['a b c d', 'a b']); // <OOV> 1, a 2, b 3, c 4, d 5
    expect(tok.sequencesToTexts([[1, 2, 3, 4, 99]])).toEqual(['<OOV> a <OOV> <OOV> <OOV>']);
    expect(tok.sequencesToTexts([[0]])).toEqual(['<OOV>']);
  });

  test('sequencesToTexts without an OOV token drops ids at or past numWords and unknown ids', () => {
    const tok = new Tokenizer({ numWords: 3 });
    tok.fitOnTexts(['a b c d', 'a b']); // a 1, b 2, c 3, d 4
    expect(tok.sequencesToTexts([[0, 1, 2, 3, 4, 99]])).toEqual(['a b']);
  });

  test('an OOV token that occurs in the texts gets id 2 as in Keras; id 1 is no word, the vocabulary covers id 6', () => {
    const tok = new Tokenizer({ oovToken: 'unk' });
    tok.fitOnTexts(['the unk cat', 'the dog', 'a unk unk']);
    expect([...tok.wordIndex]).toEqual([['unk', 2], ['the', 3], ['cat', 4], ['dog', 5], ['a', 6]]);
    expect([...tok.indexWord]).toEqual([[2, 'unk'], [3, 'the'], [4, 'cat'], [5, 'dog'], [6, 'a']]);
    expect(tok.wordCounts.get('unk')).toBe(3);
    expect(tok.textsToSequences(['the unk cat zebra'])).toEqual([[3, 2, 4, 2]]);
    expect(tok.sequencesToTexts([[0, 1, 2, 3, 6, 7]])).toEqual(['unk unk unk the a unk']);
    expect(tok.vocabularySize).toBe(7);
  });

  test('such a tokenizer round-trips through JSON', () => {
    const tok = new Tokenizer({ oovToken: 'unk' });
    tok.fitOnTexts(['the unk cat', 'the dog', 'a unk unk']);
    const back = Tokenizer.fromJSON(tok.toJSON());
    expect([...back.wordIndex]).toEqual([...tok.wordIndex]);
    expect([...back.indexWord]).toEqual([...tok.indexWord]);
    expect(back.vocabularySize).toBe(7);
    expect(back.textsToSequences(['the unk cat zebra'])).toEqual([[3, 2, 4, 2]]);
    expect(back.sequencesToTexts([[1, 2, 3]])).toEqual(['unk unk the']);
  });

  test('an OOV token that occurs but is not the most frequent word takes its rank plus 1, and round-trips', () => {
    const tok = new Tokenizer({ oovToken: 'unk' });
    tok.fitOnTexts(['the the unk cat']); // Keras 3's legacy Tokenizer: the 2, unk 3, cat 4 (its index lists unk first, then by count)
    expect([...tok.wordIndex]).toEqual([['unk', 3], ['the', 2], ['cat', 4]]); // (in the order of Python's dict: unk listed first)
    const back = Tokenizer.fromJSON(tok.toJSON());
    expect([...back.wordIndex]).toEqual([...tok.wordIndex]);
    expect(back.textsToSequences(['the cat zebra'])).toEqual([[2, 4, 3]]);
  });

  test('fromJSON still refuses a gap in the ids other than that one', () => {
    const json = (wordIndex: [string, number][], oovToken: string | null) => JSON.stringify({
      className: 'Tokenizer', config: { oovToken }, documentCount: 1, wordCounts: [['a', 1], ['b', 1]], wordDocs: [], wordIndex,
    });
    expect(() => Tokenizer.fromJSON(json([['a', 2], ['b', 3]], null))).toThrow(/wordIndex must number its 2 words 1\.\.2, each once/);
    expect(Tokenizer.fromJSON(json([['a', 2], ['b', 3]], 'b')).vocabularySize).toBe(4); // Keras's index where 'a' outnumbers the OOV word 'b'
    expect(() => Tokenizer.fromJSON(json([['a', 2], ['b', 3]], 'c'))).toThrow(/wordIndex must number its 2 words/); // an OOV token that no text had
    expect(() => Tokenizer.fromJSON(json([['a', 2], ['b', 4]], 'a'))).toThrow(/wordIndex must number its 2 words/);
    expect(Tokenizer.fromJSON(json([['a', 2], ['b', 3]], 'a')).vocabularySize).toBe(4);
  });

  test('vocabularySize covers the OOV id even where numWords is smaller', () => {
    const tok = new Tokenizer({ numWords: 2, oovToken: 'unk' });
    tok.fitOnTexts(['unk unk a']); // unk 2, a 3
    expect(tok.textsToSequences(['a unk'])).toEqual([[2, 2]]);
    expect(tok.vocabularySize).toBe(3);
  });
});
