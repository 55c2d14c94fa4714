/** The data loader on good and bad files, and the split. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readLabelledFile, loadBundled } from '../../src/sentiment/data';
import { stratifiedSplit } from '../../src/sentiment/split';
import { binaryMetrics } from '../../src/sentiment/metrics';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-recurrent-data-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};

describe('the bundled data', () => {
  test('3,000 sentences, 500 positive and 500 negative from each of imdb, amazon and yelp', () => {
    const ex = loadBundled();
    expect(ex).toHaveLength(3000);
    for (const s of ['imdb', 'amazon', 'yelp']) {
      expect(ex.filter((e) => e.source === s && e.label === 1)).toHaveLength(500);
      expect(ex.filter((e) => e.source === s && e.label === 0)).toHaveLength(500);
    }
    expect(ex.some((e) => /[\u0080-\u009f]/.test(e.text))).toBe(false);
    expect(ex.every((e) => e.text.length > 0 && e.text === e.text.trim())).toBe(true);
  });
});

describe('readLabelledFile', () => {
  test('TSV with unbalanced quotes is read line by line, never as quoted CSV', () => {
    const ex = readLabelledFile(file('a.tsv', '"Great" movie, "really\t1\nawful\t0\n\n'));
    expect(ex.map((e) => [e.text, e.label])).toEqual([['"Great" movie, "really', 1], ['awful', 0]]);
  });

  test('CSV with a header, quoted fields and labels as words', () => {
    const ex = readLabelledFile(file('b.csv', 'id,text,label\n1,"good, very ""good""",positive\n2,bad,0\n'));
    expect(ex.map((e) => [e.text, e.label])).toEqual([['good, very "good"', 1], ['bad', 0]]);
  });

  test('TSV with a header row: columns found by name (any case), other columns ignored', () => {
    const ex = readLabelledFile(file('h1.tsv', 'id\tLabel\tText\n7\tpositive\tgreat film\n8\t0\tawful plot\n'));
    expect(ex.map((e) => [e.text, e.label])).toEqual([['great film', 1], ['awful plot', 0]]);
  });

  test('TSV and CSV headers with other names, given as textColumn and labelColumn', () => {
    const cols = { textColumn: 'review', labelColumn: 'sentiment' };
    const tsv = readLabelledFile(file('h2.tsv', 'review\tsentiment\ngood\tpos\nbad\tneg\n'), cols);
    const csv = readLabelledFile(file('h2.csv', 'sentiment,review\npos,good\nneg,bad\n'), cols);
    for (const ex of [tsv, csv]) expect(ex.map((e) => [e.text, e.label])).toEqual([['good', 1], ['bad', 0]]);
  });

  test('CSV per RFC 4180: a quoted field spans lines, "" is a quote, CRLF line ends; later line numbers stay right', () => {
    const text = 'text,label\r\n"one\r\ntwo, ""three""",1\r\n"plain",0\r\nlast,maybe\r\n';
    expect(() => readLabelledFile(file('m.csv', text))).toThrow(/^m\.csv line 5: label must be 0 or 1 \(or positive\/negative\), got 'maybe'$/);
    const ex = readLabelledFile(file('n.csv', text.replace('maybe', 'true')));
    expect(ex.map((e) => [e.text, e.label])).toEqual([['one\ntwo, "three"', 1], ['plain', 0], ['last', 1]]);
  });

  test('CSV without a header: text,label rows; a quote inside an unquoted field is kept', () => {
    const ex = readLabelledFile(file('o.csv', '\uFEFFhe said "wow",1\n"bad, sadly",0\n'));
    expect(ex.map((e) => [e.text, e.label])).toEqual([['he said "wow"', 1], ['bad, sadly', 0]]);
  });

  test('JSON Lines with other keys, given as textColumn and labelColumn', () => {
    const ex = readLabelledFile(file('k.jsonl', '{"review": "fine", "y": "positive"}\n{"review": "meh", "y": 0}\n'), { textColumn: 'review', labelColumn: 'y' });
    expect(ex.map((e) => [e.text, e.label])).toEqual([['fine', 1], ['meh', 0]]);
  });

  test('JSON Lines', () => {
    const ex = readLabelledFile(file('c.jsonl', '{"text": "fine", "label": 1}\n{"text": "meh", "label": 0}\n'));
    expect(ex.map((e) => e.label)).toEqual([1, 0]);
  });

  test.each([
    ['d.tsv', 'good\t1\nbad\t7\n', /^d\.tsv line 2: label must be 0 or 1 \(or positive\/negative\), got '7'$/],
    ['e.tsv', 'good\t1\nno tab here\n', /^e\.tsv line 2: expected text<TAB>label, found no tab$/],
    ['f.csv', 'sentence,y\nx,1\n', /^f\.csv line 1: label must be 0 or 1 \(or positive\/negative\), got 'y' \(no header row found: a header names its columns 'text' and 'label', or --text-column and --label-column name them\)$/],
    ['f2.tsv', 'text\tstars\ngood\t1\n', /^f2\.tsv line 1: the header row has no label column 'label' \(name it with --label-column\), got columns 'text', 'stars'$/],
    ['f3.csv', 'text,label,id\ngood,1\n', /^f3\.csv line 2: expected 3 fields, as the header row, got 2$/],
    ['f4.csv', 'good,1\ngood, really,0\n', /^f4\.csv line 2: expected text,label, got 3 fields \(quote a text that holds commas, or add a header row\)$/],
    ['g.csv', 'text,label\n"a,1\n', /^g\.csv line 2: unterminated quoted field$/],
    ['h.jsonl', '{"text": "a", "label": 1}\n{oops}\n', /^h\.jsonl line 2: not valid JSON$/],
    ['i.tsv', '\n\n', /^i\.tsv: no examples found$/],
    ['j.tsv', 'a\t1\nb\t1\n', /^j\.tsv: all 2 examples have label 1; need both classes$/],
  ])('%s is rejected with its line number', (name, text, re) => {
    expect(() => readLabelledFile(file(name, text))).toThrow(re);
  });

  test('named columns that the first row lacks', () => {
    expect(() => readLabelledFile(file('p.tsv', 'good\t1\nbad\t0\n'), { textColumn: 'review' })).toThrow(
      /^p\.tsv line 1: the header row has no text column 'review' \(name it with --text-column\), got columns 'good', '1'$/,
    );
  });

  test('a missing file', () => {
    expect(() => readLabelledFile(path.join(dir, 'nope.tsv'))).toThrow(/^--data: no such file: /);
  });
});

describe('stratifiedSplit', () => {
  const strata = [...Array(300)].map((_, i) => `${['imdb', 'yelp', 'amazon'][i % 3]}/${i % 2}`);

  test('is deterministic for a seed, different for another', () => {
    expect(stratifiedSplit(strata, [0.7, 0.15, 0.15], 1)).toEqual(stratifiedSplit(strata, [0.7, 0.15, 0.15], 1));
    expect(stratifiedSplit(strata, [0.7, 0.15, 0.15], 2).test).not.toEqual(stratifiedSplit(strata, [0.7, 0.15, 0.15], 1).test);
  });

  test('leaks nothing: the three parts are disjoint and cover every example', () => {
    const s = stratifiedSplit(strata, [0.7, 0.15, 0.15], 3);
    const all = [...s.train, ...s.val, ...s.test];
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort((a, b) => a - b)).toEqual([...Array(300).keys()]);
  });

  test('keeps each stratum in proportion', () => {
    const s = stratifiedSplit(strata, [0.7, 0.15, 0.15], 4);
    for (const key of new Set(strata)) {
      const n = (idx: number[]) => idx.filter((i) => strata[i] === key).length;
      expect([n(s.train), n(s.val), n(s.test)]).toEqual([34, 8, 8]); // 50 per stratum: round(7.5) = 8 to validation and test
    }
  });

  test('rejects fractions that do not sum to 1', () => {
    expect(() => stratifiedSplit(strata, [0.7, 0.2, 0.2], 1)).toThrow(/fractions must be three non-negative numbers summing to 1/);
  });
});

test('binaryMetrics: accuracy, precision, recall, F1 and the confusion matrix', () => {
  const m = binaryMetrics([0.9, 0.8, 0.2, 0.6, 0.1], [1, 0, 1, 1, 0]);
  expect(m.confusion).toEqual([[1, 1], [1, 2]]);
  expect(m.accuracy).toBeCloseTo(3 / 5);
  expect(m.precision).toBeCloseTo(2 / 3);
  expect(m.recall).toBeCloseTo(2 / 3);
  expect(m.f1).toBeCloseTo(2 / 3);
});
