/**
 * Labelled texts: the bundled UCI sentences, or a user's file in TSV, CSV
 * (RFC 4180, read by csv-parse) or JSON Lines. A CSV or TSV may start with a
 * header row naming its columns; without one, each row is text then label.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { RecurrentInputError } from '../errors';

/** One labelled text of a data set: 1 positive, 0 negative. */
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

/** Which columns of a CSV/TSV header (or keys of a JSON Lines object) hold the text and the label. */
export interface ColumnOptions {
  /** The text's column name, matched without regard to case (default `text`). */
  textColumn?: string;
  /** The label's column name, matched without regard to case (default `label`). */
  labelColumn?: string;
}

/** The label words accepted in a file, matched without regard to case or surrounding spaces. */
export const LABEL_WORDS: Readonly<Record<0 | 1, readonly string[]>> = {
  1: ['1', 'positive', 'pos', 'true'],
  0: ['0', 'negative', 'neg', 'false'],
};

/** One row of a CSV or TSV file: its fields and the line it starts on (1-based). */
interface Row {
  fields: string[];
  line: number;
}

function isLabel(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  return LABEL_WORDS[0].includes(v) || LABEL_WORDS[1].includes(v);
}

function label(raw: string, where: string, hint = ''): 0 | 1 {
  const v = raw.trim().toLowerCase();
  if (LABEL_WORDS[1].includes(v)) return 1;
  if (LABEL_WORDS[0].includes(v)) return 0;
  throw new RecurrentInputError(`${where}: label must be 0 or 1 (or positive/negative), got '${raw}'${hint}`);
}

/**
 * The rows of a CSV file, parsed by csv-parse (RFC 4180: quoted fields may
 * hold commas, line breaks and doubled quotes); a quote inside an unquoted
 * field is kept as it is. Empty lines are dropped.
 */
function csvRows(text: string, name: string): Row[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // CRLF → LF first: csv-parse counts a CRLF inside a quoted field as two lines, which would shift every later line number.
    records = parse(text.replace(/\r\n/g, '\n'), { bom: true, relax_quotes: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { code?: string; lines?: number };
    const what = err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'unterminated quoted field' : err.message;
    throw new RecurrentInputError(`${name} line ${err.lines ?? '?'}: ${what}`);
  }
  const rows: Row[] = [];
  let end = 0; // the line the previous record ended on
  for (const { record, info } of records) {
    if (!(record.length === 1 && record[0].trim() === '')) rows.push({ fields: record, line: end + 1 });
    end = info.lines;
  }
  return rows;
}

/** The rows of a TSV file: one per line, split at tabs, no quoting (as IANA's text/tab-separated-values). */
function tsvRows(text: string): Row[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line, i) => ({ fields: line.split('\t'), line: i + 1 }))
    .filter((r) => r.fields.join('').trim() !== '');
}

/**
 * Examples from the rows of a CSV or TSV. The first row is a header when it
 * has a field named as the text or label column, or when the columns were
 * named by the caller; otherwise every row is text then label (in a TSV, the
 * label is after the last tab).
 */
function fromRows(rows: Row[], name: string, o: ColumnOptions, sep: string): Example[] {
  const textCol = (o.textColumn ?? 'text').trim().toLowerCase();
  const labelCol = (o.labelColumn ?? 'label').trim().toLowerCase();
  const named = o.textColumn != null || o.labelColumn != null;
  const first = rows[0]?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const out: Example[] = [];
  if (rows.length > 0 && (named || first.includes(textCol) || first.includes(labelCol))) {
    const got = `got columns ${rows[0].fields.map((f) => `'${f}'`).join(', ')}`;
    const [ti, li] = [first.indexOf(textCol), first.indexOf(labelCol)];
    if (ti < 0) throw new RecurrentInputError(`${name} line ${rows[0].line}: the header row has no text column '${textCol}' (name it with --text-column), ${got}`);
    if (li < 0) throw new RecurrentInputError(`${name} line ${rows[0].line}: the header row has no label column '${labelCol}' (name it with --label-column), ${got}`);
    for (const { fields, line } of rows.slice(1)) {
      const where = `${name} line ${line}`;
      if (fields.length !== first.length) throw new RecurrentInputError(`${where}: expected ${first.length} fields, as the header row, got ${fields.length}`);
      out.push({ text: fields[ti], label: label(fields[li], where), source: name });
    }
    return out;
  }
  // No header: text, then label.
  const hint = " (no header row found: a header names its columns 'text' and 'label', or --text-column and --label-column name them)";
  for (const { fields, line } of rows) {
    const where = `${name} line ${line}`;
    if (fields.length < 2) throw new RecurrentInputError(sep === '\t' ? `${where}: expected text<TAB>label, found no tab` : `${where}: expected text,label, got 1 field`);
    if (sep === ',' && fields.length > 2) throw new RecurrentInputError(`${where}: expected text,label, got ${fields.length} fields (quote a text that holds commas, or add a header row)`);
    const lastField = fields[fields.length - 1];
    const text = fields.slice(0, -1).join(sep);
    out.push({ text, label: label(lastField, where, line === rows[0].line && !isLabel(lastField) ? hint : ''), source: name });
  }
  return out;
}

/**
 * Reads a labelled file; the format comes from the extension:
 * - `.csv`: RFC 4180 (quoted fields may hold commas, line breaks and `""`);
 * - `.tsv`, `.txt` and any other: one example per line, fields split at tabs, no quoting;
 * - `.jsonl`, `.ndjson`: one object per line, `{"text": ..., "label": ...}`.
 *
 * A CSV or TSV may start with a header row: it is one when it has a field
 * named `text` or `label` (or as `textColumn`/`labelColumn` say; giving either
 * means the file has a header), and the other columns are ignored. Without a
 * header each row is text then label. Labels are 0/1 or the words of
 * `LABEL_WORDS` (positive/negative, pos/neg, true/false). A bad row is an
 * error that gives its line number; an empty or single-class file is an error too.
 *
 * @example
 * ```ts
 * import { readLabelledFile } from 'tfjs-recurrent/sentiment';
 * import { writeFileSync } from 'fs';
 * writeFileSync('reviews.tsv', 'great film\t1\nawful plot\t0\n');
 * readLabelledFile('reviews.tsv'); // [{ text: 'great film', label: 1, ... }, ...]
 * writeFileSync('reviews.csv', 'review,stars\n"great, really",positive\nawful plot,negative\n');
 * readLabelledFile('reviews.csv', { textColumn: 'review', labelColumn: 'stars' }).length; // 2
 * ```
 */
export function readLabelledFile(file: string, o: ColumnOptions = {}): Example[] {
  if (!fs.existsSync(file)) throw new RecurrentInputError(`--data: no such file: ${file}`);
  if (!fs.statSync(file).isFile()) throw new RecurrentInputError(`--data: expected a file, got a folder: ${file}`);
  const ext = path.extname(file).toLowerCase();
  const text = fs.readFileSync(file, 'utf8');
  const name = path.basename(file);
  let out: Example[];
  if (ext === '.csv') out = fromRows(csvRows(text, name), name, o, ',');
  else if (ext === '.jsonl' || ext === '.ndjson') out = fromJSONLines(text, name, o);
  else out = fromRows(tsvRows(text), name, o, '\t');
  checkExamples(out, name);
  return out;
}

function fromJSONLines(text: string, name: string, o: ColumnOptions): Example[] {
  const [textKey, labelKey] = [o.textColumn ?? 'text', o.labelColumn ?? 'label'];
  const out: Example[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${name} line ${i + 1}`;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line);
    } catch {
      throw new RecurrentInputError(`${where}: not valid JSON`);
    }
    if (typeof obj?.[textKey] !== 'string') throw new RecurrentInputError(`${where}: expected {"${textKey}": string, "${labelKey}": 0|1}`);
    out.push({ text: obj[textKey] as string, label: label(String(obj[labelKey]), where), source: name });
  });
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
 * import { loadBundled } from 'tfjs-recurrent/sentiment';
 * const examples = loadBundled();
 * examples.length; // 3000
 * examples[0]; // { text: '...', label: 0 or 1, source: 'imdb' | 'amazon' | 'yelp' }
 * ```
 */
export function loadBundled(): Example[] {
  return BUNDLED.flatMap(([source, file]) => readLabelledFile(path.join(DATA_DIR, file)).map((e) => ({ ...e, source })));
}
