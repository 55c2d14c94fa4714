/**
 * Labelled texts: the bundled UCI sentences, or a user's file in TSV
 * (`text<TAB>label`), CSV with a header, or JSON Lines `{"text", "label"}`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RecurrentInputError } from '../errors';

export interface Example {
  text: string;
  label: 0 | 1;
  /** Where it came from: the bundled source (imdb, amazon, yelp) or the file name. */
  source: string;
}

/** The folder of the bundled data (shipped with the package). */
export const DATA_DIR = path.join(__dirname, '..', '..', 'data');
const BUNDLED: Array<[string, string]> = [
  ['imdb', 'imdb_labelled.tsv'],
  ['amazon', 'amazon_cells_labelled.tsv'],
  ['yelp', 'yelp_labelled.tsv'],
];

function label(raw: string, where: string): 0 | 1 {
  const v = raw.trim().toLowerCase();
  if (v === '1' || v === 'positive' || v === 'pos' || v === 'true') return 1;
  if (v === '0' || v === 'negative' || v === 'neg' || v === 'false') return 0;
  throw new RecurrentInputError(`${where}: label must be 0 or 1 (or positive/negative), got '${raw}'`);
}

/** Splits one CSV line into fields (RFC 4180 quotes). */
function csvFields(line: string, where: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur === '') quoted = true;
    else if (ch === ',') { out.push(cur); cur = ''; }
    else cur += ch;
  }
  if (quoted) throw new RecurrentInputError(`${where}: unterminated quoted field`);
  out.push(cur);
  return out;
}

/**
 * Reads a labelled file; the format comes from the extension: `.tsv`/`.txt`
 * (`text<TAB>label`), `.csv` with a `text,label` header, or `.jsonl`/`.ndjson`
 * (`{"text": ..., "label": 0 or 1}` per line). A bad row is an error that
 * gives its line number; an empty or single-class file is an error too.
 *
 * @example
 * ```ts
 * import { readLabelledFile } from 'tfjs-recurrent';
 * import { writeFileSync } from 'fs';
 * writeFileSync('reviews.tsv', 'great film\t1\nawful plot\t0\n');
 * const examples = readLabelledFile('reviews.tsv'); // [{ text: 'great film', label: 1, ... }, ...]
 * ```
 */
export function readLabelledFile(file: string): Example[] {
  if (!fs.existsSync(file)) throw new RecurrentInputError(`--data: no such file: ${file}`);
  const ext = path.extname(file).toLowerCase();
  const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  const name = path.basename(file);
  const out: Example[] = [];
  if (ext === '.csv') {
    const header = csvFields(lines[0] ?? '', `${name} line 1`).map((h) => h.trim().toLowerCase());
    const ti = header.indexOf('text');
    const li = header.indexOf('label');
    if (ti < 0 || li < 0) throw new RecurrentInputError(`${name} line 1: a CSV needs a header with the columns text and label, got '${lines[0] ?? ''}'`);
    lines.slice(1).forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${name} line ${i + 2}`;
      const f = csvFields(line, where);
      if (f.length !== header.length) throw new RecurrentInputError(`${where}: expected ${header.length} fields, got ${f.length}`);
      out.push({ text: f[ti], label: label(f[li], where), source: name });
    });
  } else if (ext === '.jsonl' || ext === '.ndjson') {
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${name} line ${i + 1}`;
      let obj: { text?: unknown; label?: unknown };
      try {
        obj = JSON.parse(line);
      } catch {
        throw new RecurrentInputError(`${where}: not valid JSON`);
      }
      if (typeof obj?.text !== 'string') throw new RecurrentInputError(`${where}: expected {"text": string, "label": 0|1}`);
      out.push({ text: obj.text, label: label(String(obj.label), where), source: name });
    });
  } else {
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${name} line ${i + 1}`;
      const tab = line.lastIndexOf('\t');
      if (tab < 0) throw new RecurrentInputError(`${where}: expected text<TAB>label, found no tab`);
      out.push({ text: line.slice(0, tab), label: label(line.slice(tab + 1), where), source: name });
    });
  }
  checkExamples(out, name);
  return out;
}

/** An empty or single-class data set cannot train a classifier. */
export function checkExamples(examples: Example[], name: string): void {
  if (examples.length === 0) throw new RecurrentInputError(`${name}: no examples found`);
  const pos = examples.filter((e) => e.label === 1).length;
  if (pos === 0 || pos === examples.length) {
    throw new RecurrentInputError(`${name}: all ${examples.length} examples have label ${examples[0].label}; need both classes`);
  }
}

/**
 * The 3,000 bundled sentences of the UCI "Sentiment Labelled Sentences" set
 * (1,000 each from IMDB, Amazon and Yelp, labelled 0/1; data/README.md).
 *
 * @example
 * ```ts
 * import { loadBundled } from 'tfjs-recurrent';
 * const examples = loadBundled();
 * examples.length; // 3000
 * examples[0]; // { text: '...', label: 0 or 1, source: 'imdb' | 'amazon' | 'yelp' }
 * ```
 */
export function loadBundled(): Example[] {
  return BUNDLED.flatMap(([source, file]) => readLabelledFile(path.join(DATA_DIR, file)).map((e) => ({ ...e, source })));
}
