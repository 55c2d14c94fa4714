/**
 * docs/python/sentiment_preprocessing.py, run by the system's python3 (with
 * -I -S: the standard library only), turns texts into exactly the ids that
 * encodeTexts makes, element for element: the bundled sentences and
 * hand-picked texts (accents, combining marks, CJK, astral characters, case
 * mappings that change the length, empty and filtered-only texts, texts
 * longer than maxlen, unknown words), with subwords on and off, for the
 * demo's tokenizer and for one without an OOV token.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Tokenizer } from '../../src';
import { loadBundled } from '../../src/sentiment/data';
import { Encoding, encodeTexts } from '../../src/sentiment/encode';
import { preprocessingOf, preprocessingText } from '../../src/sentiment/preprocessing';
import { scratchDir } from '../helpers/scratch';

const SCRIPT = path.join(__dirname, '..', '..', 'docs', 'python', 'sentiment_preprocessing.py');
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const scratch = scratchDir('tfjs-recurrent-preprocessing-python-');

const HAND_PICKED = [
  'Café crème brûlée, était très bon !',
  'Cafe\u0301 cre\u0300me bru\u0302le\u0301e', // combining marks: the same words, decomposed
  '我喜欢这个手机 非常好 好',
  'Great 👍👍 phone 😀! 😀',
  'family 👨‍👩‍👧 flag 🇫🇷 skin 👋🏽',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters 𝐁𝐨𝐥𝐝',
  '𐐀𐐁𐐂 Deseret capitals lower-case to astral letters',
  'İstanbul ΟΔΟΣ ΣΑΣ Σ ὈΔΥΣΣΕΎΣ', // 'İ' becomes two code points; final sigma
  'STRASSE Straße ẞ ﬁne ﬂower',
  '',
  '   ',
  '!!! ... ??? -- ~~ ##',
  'line one\nline two\tthree\r\nfour', // \r is no filter: it stays in the word
  'non\u00a0breaking space',
  'xyzzy plugh frobnicate unwatchablish antidisestablishmentarianism',
  "don't won't it's a I",
  Array.from({ length: 60 }, (_, i) => `word${i}`).join(' '), // longer than maxlen
  'good '.repeat(50).trim(),
  'lone \ud800 surrogate x\udfffy',
  'THE PHONE IS GREAT. The Phone is great!',
];

const demoTokenizer = (texts: string[]) => {
  const t = new Tokenizer({ numWords: 3000, oovToken: '<OOV>' }); // as the demo: words past numWords become OOV
  t.fitOnTexts(texts);
  return t;
};
const plainTokenizer = (texts: string[]) => {
  const t = new Tokenizer({ lower: false }); // no OOV token: unknown words are dropped (word ids) or id 0 (bags)
  t.fitOnTexts(texts.slice(0, 500));
  return t;
};
const words = { maxlen: 40, subwords: false, subwordBuckets: 0, subwordMinN: 0, subwordMaxN: 0, subwordMaxNgrams: 0 };
const CASES: Array<[string, (texts: string[]) => Tokenizer, Encoding]> = [
  ['the demo\'s tokenizer, word ids', demoTokenizer, words],
  ['the demo\'s tokenizer, subword bags', demoTokenizer, { maxlen: 40, subwords: true, subwordBuckets: 20000, subwordMinN: 3, subwordMaxN: 5, subwordMaxNgrams: 24 }],
  ['no OOV token, not lower-cased, word ids', plainTokenizer, { ...words, maxlen: 12 }],
  ['no OOV token, not lower-cased, subword bags of 1- and 2-grams', plainTokenizer, { maxlen: 12, subwords: true, subwordBuckets: 97, subwordMinN: 1, subwordMaxN: 2, subwordMaxNgrams: 6 }],
];

/** The script's ids for `texts`, with python3 reading preprocessing.json at `file`. */
function python(file: string, texts: string[]): unknown[] {
  const r = spawnSync(PYTHON, ['-I', '-S', SCRIPT, file], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 1 << 28 });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(`python3 is missing (looked for /usr/bin/python3, then python3 on PATH): this test runs ${SCRIPT} with it; install Python 3`);
  }
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${PYTHON} ${SCRIPT} exited with ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const bundled = loadBundled().map((e) => e.text);
const texts = [...bundled, ...HAND_PICKED];

test.each(CASES)('%s: python gives the ids encodeTexts gives, text for text', (_, tokenizer, encoding) => {
  const tok = tokenizer(bundled);
  const file = path.join(scratch(), `${_.replace(/\W+/g, '_')}.json`);
  fs.writeFileSync(file, preprocessingText(preprocessingOf(tok, encoding)));
  const ours = encodeTexts(tok, texts, encoding);
  const theirs = python(file, texts);
  expect(theirs).toHaveLength(texts.length);
  const differ = texts.flatMap((text, i) => (JSON.stringify(theirs[i]) === JSON.stringify(ours[i]) ? [] : [{ i, text, python: theirs[i], js: ours[i] }]));
  expect(differ.slice(0, 3)).toEqual([]);
});

test('the hand-picked texts exercise what they are meant to', () => {
  const tok = demoTokenizer(bundled);
  const enc = CASES[1][2];
  const bags = encodeTexts(tok, HAND_PICKED, enc) as number[][][];
  const at = (t: string) => bags[HAND_PICKED.indexOf(t)];
  expect(at('').every((b) => b.every((id) => id === 0))).toBe(true);
  expect(at('!!! ... ??? -- ~~ ##').every((b) => b.every((id) => id === 0))).toBe(true);
  expect(at('xyzzy plugh frobnicate unwatchablish antidisestablishmentarianism').slice(-5).map((b) => b[0])).toEqual(Array(5).fill(1)); // OOV
  expect(at('xyzzy plugh frobnicate unwatchablish antidisestablishmentarianism').slice(-1)[0].every((id) => id > 0)).toBe(true); // 24 n-grams of 24 kept
  expect(at(HAND_PICKED[16])[0][0]).toBe(1); // 60 words: the first kept is word20, unknown
  expect(at('İstanbul ΟΔΟΣ ΣΑΣ Σ ὈΔΥΣΣΕΎΣ').every((b) => b.length === 25)).toBe(true);
  // A known word among the demo's: its own id, not the OOV id.
  expect(at('THE PHONE IS GREAT. The Phone is great!').slice(-1)[0][0]).toBe(tok.wordIndex.get('great'));
});

test('a file that is no preprocessing.json is the script\'s error naming it', () => {
  const file = path.join(scratch(), 'not-preprocessing.json');
  fs.writeFileSync(file, '{"format": "something else"}');
  const r = spawnSync(PYTHON, ['-I', '-S', SCRIPT, file], { input: '[]', encoding: 'utf8' });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain(`ValueError: load_preprocessing: expected a preprocessing.json (version 1) written by tfjs-recurrent export, got ${file}`);
});
