/**
 * padSequences: lists of ids → one [n, maxlen] array, as Keras's
 * `pad_sequences`.
 */
import { RecurrentConfigError, RecurrentInputError, fmtValue } from '../errors';

/** Options of {@link padSequences}, as Keras's `pad_sequences` takes them. */
export interface PadSequencesArgs {
  /** Length of every row (default: the longest sequence). */
  maxlen?: number;
  /** Pad at the start ('pre', default) or the end ('post'). */
  padding?: 'pre' | 'post';
  /** Cut long sequences at the start ('pre', default: keep the end) or the end ('post'). */
  truncating?: 'pre' | 'post';
  /** The padding value (default 0). */
  value?: number;
}

/**
 * @example
 * ```ts
 * import { padSequences } from 'tfjs-recurrent';
 * padSequences([[1, 2, 3], [4]], { maxlen: 2 }); // [[2, 3], [0, 4]]
 * ```
 */
export function padSequences(sequences: number[][], args: PadSequencesArgs = {}): number[][] {
  if (!Array.isArray(sequences)) {
    throw new RecurrentInputError(`padSequences: sequences must be an array of arrays of numbers, got ${fmtValue(sequences)}`);
  }
  if (sequences.length === 0) {
    throw new RecurrentInputError('padSequences: sequences must hold at least one sequence, got an empty batch []');
  }
  sequences.forEach((s, i) => {
    if (!Array.isArray(s) || s.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new RecurrentInputError(`padSequences: sequences[${i}] must be an array of finite numbers, got ${fmtValue(s)}`);
    }
  });
  const { maxlen, padding = 'pre', truncating = 'pre', value = 0 } = args;
  if (maxlen != null && (!Number.isInteger(maxlen) || maxlen <= 0)) {
    throw new RecurrentConfigError(`padSequences: maxlen must be a positive integer, got ${fmtValue(maxlen)}`);
  }
  for (const [k, v] of [['padding', padding], ['truncating', truncating]] as const) {
    if (v !== 'pre' && v !== 'post') throw new RecurrentConfigError(`padSequences: ${k} must be 'pre' or 'post', got ${fmtValue(v)}`);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RecurrentConfigError(`padSequences: value must be a finite number, got ${fmtValue(value)}`);
  }
  const len = maxlen ?? sequences.reduce((m, s) => Math.max(m, s.length), 0);
  return sequences.map((s) => {
    const kept = s.length <= len ? s : truncating === 'pre' ? s.slice(s.length - len) : s.slice(0, len);
    const pad = new Array(len - kept.length).fill(value);
    return padding === 'pre' ? [...pad, ...kept] : [...kept, ...pad];
  });
}
