/**
 * Reading a run folder written by `runSentiment` back, for `predict` and `export`: where
 * it is (and which member, where one model's folder was named), its
 * report.json and its tokenizer.json, each checked so that a damaged file is
 * an error naming the file and what is wrong in it, before any tensor work.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Tokenizer } from '../text/tokenizer';
import { RecurrentInputError, fmtValue } from '../errors';
import { DEFAULTS } from './options';
import type { Encoding } from './encode';
import { Preprocessing, preprocessingOf } from './preprocessing';

/** A model folder's name inside a run folder: `model`, `model_2`, ... */
export const MEMBER_DIR = /^model(_\d+)?$/;

const hasReport = (dir: string) => fs.existsSync(path.join(dir, 'report.json'));

/** A run folder and, where the path named one model's folder (or its model.json), that member's folder name. */
export interface RunLocation {
  run: string;
  member?: string;
}

/**
 * The run folder that `dir` names: the run folder itself, one of its model
 * folders (`model/`, `model_2/`, ...), or a model.json inside one; a model
 * folder also names that member.
 */
export function locateRun(dir: string): RunLocation {
  const d = path.basename(dir) === 'model.json' ? path.dirname(dir) : dir;
  if (hasReport(d)) return { run: d };
  const parent = path.dirname(d);
  const name = path.basename(d);
  if (MEMBER_DIR.test(name) && hasReport(parent)) return { run: parent, member: name };
  throw new RecurrentInputError(
    `--model: expected a folder written by 'tfjs-recurrent sentiment' (holding report.json) or its model/ subfolder, got ${dir}, which has no report.json`,
  );
}

/** The run folder that `dir` names (see {@link locateRun}). */
export const runFolder = (dir: string): string => locateRun(dir).run;

/** What predict needs of report.json: how texts were encoded, and the members' folders. */
export interface RunReport {
  encoding: Encoding;
  members: string[];
}

/** A file's text, with a missing or unreadable file named; `what` says what the file is for, `who` who reads it. */
function readText(file: string, what: string, who: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new RecurrentInputError(`${who}: ${file} is missing; a run folder written by 'tfjs-recurrent sentiment' holds ${what}`);
    throw new RecurrentInputError(`${who}: cannot read ${file} (${code ?? (e as Error).message})`);
  }
}

const positiveInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** report.json's config and members, checked: each problem names the file and the field (and `who` reads it: predict, export). */
export function readReport(run: string, who = 'predict'): RunReport {
  const file = path.join(run, 'report.json');
  let d: unknown;
  try {
    d = JSON.parse(readText(file, 'the run\'s settings', who).replace(/^\uFEFF/, ''));
  } catch (e) {
    if (e instanceof RecurrentInputError) throw e;
    throw new RecurrentInputError(`${who}: ${file} is not valid JSON (${(e as Error).message})`);
  }
  const bad = (field: string, expected: string, got: unknown) =>
    new RecurrentInputError(`${who}: ${file}: ${field} must be ${expected}, got ${fmtValue(got)}`);
  if (d === null || typeof d !== 'object' || Array.isArray(d)) throw bad('the report', "the object 'tfjs-recurrent sentiment' writes", d);
  const r = d as { config?: unknown; members?: unknown };
  if (r.config === null || typeof r.config !== 'object' || Array.isArray(r.config)) throw bad('config', "an object of the run's options (maxlen, subwords, ...)", r.config);
  const c = r.config as Record<string, unknown>;
  if (!positiveInt(c.maxlen)) throw bad('config.maxlen', 'a positive integer', c.maxlen);
  // Runs written before subwords existed have no subword settings: word ids, as they were trained.
  const subwords = c.subwords ?? false;
  if (typeof subwords !== 'boolean') throw bad('config.subwords', 'true or false', c.subwords);
  const encoding: Encoding = {
    maxlen: c.maxlen as number,
    subwords,
    subwordBuckets: c.subwordBuckets as number,
    subwordMinN: c.subwordMinN as number,
    subwordMaxN: c.subwordMaxN as number,
    subwordMaxNgrams: (c.subwordMaxNgrams ?? DEFAULTS.subwordMaxNgrams) as number,
  };
  if (subwords) {
    for (const k of ['subwordBuckets', 'subwordMinN', 'subwordMaxN', 'subwordMaxNgrams'] as const) {
      if (!positiveInt(encoding[k])) throw bad(`config.${k}`, 'a positive integer (config.subwords is true)', c[k] ?? encoding[k]);
    }
    if (encoding.subwordMaxN < encoding.subwordMinN) throw bad('config.subwordMaxN', `>= config.subwordMinN (${encoding.subwordMinN})`, encoding.subwordMaxN);
  }
  let members = ['model'];
  if (r.members !== undefined) {
    const ok = Array.isArray(r.members) && r.members.length > 0 &&
      r.members.every((m) => typeof (m as { dir?: unknown } | null)?.dir === 'string' && MEMBER_DIR.test((m as { dir: string }).dir));
    if (!ok) throw bad('members', "a non-empty array of { dir: 'model' | 'model_N', ... }", r.members);
    members = (r.members as Array<{ dir: string }>).map((m) => m.dir);
  }
  return { encoding, members };
}

/** tokenizer.json of a run folder, with its file named in any error (and `who` reads it: predict, export). */
export function readTokenizer(run: string, who = 'predict'): Tokenizer {
  const file = path.join(run, 'tokenizer.json');
  const text = readText(file, 'the tokenizer its models were trained with', who).replace(/^\uFEFF/, '');
  try {
    return Tokenizer.fromJSON(text);
  } catch (e) {
    throw new RecurrentInputError(`${who}: ${file}: ${(e as Error).message}`);
  }
}

/** The preprocessing of a run folder's models, from its report.json and tokenizer.json (errors name the file, and `who`). */
export function runPreprocessing(run: string, who: string): Preprocessing {
  return preprocessingOf(readTokenizer(run, who), readReport(run, who).encoding);
}
