/**
 * Drawing the next id from a model's output: temperature, top-k and nucleus
 * (top-p) filtering, then one categorical draw per row from a seeded stream
 * (seed_generator.ts), all in float64 on the host.
 *
 * The filters are Hugging Face transformers' logits warpers, applied in the
 * order its `generate` applies them (temperature, then top-k, then top-p):
 *
 * - temperature T: scores s = z / T (z the logits; for probabilities p, z = log p,
 *   so the distribution becomes p^{1/T}, renormalised). T = 0 is greedy: the
 *   first id of largest value (Keras-NLP's `GreedySampler`).
 * - top-k (`TopKLogitsWarper`): every id whose score is below the k-th largest
 *   score is dropped, `scores < topk(scores, k)[..., -1]`; ids tied with the
 *   k-th stay, so more than k may remain. k above the vocabulary keeps all.
 * - top-p (`TopPLogitsWarper`, Holtzman et al. 2020, "The Curious Case of
 *   Neural Text Degeneration"): over the softmax of the scores left, sorted
 *   ascending, an id is dropped where the cumulative probability up to and
 *   including it is ≤ 1 − p; the most probable id always stays. That keeps the
 *   smallest set of most probable ids whose probabilities sum to at least p
 *   (Keras-NLP's `TopPSampler` keeps the same set, but with its own `k` it
 *   sums the probabilities before renormalising them over the top k).
 *
 * Ties in the sort go to the lower id (it counts as the more probable). The
 * draw: u from the stream, and the first id (in id order) whose cumulative
 * probability over the ids left exceeds u.
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtValue } from '../errors';
import { nearest } from '../did_you_mean';
import { SeedGenerator } from './seed_generator';

/** Options of {@link sample}, with Keras's and Hugging Face's names. */
export interface SampleOptions {
  /** T ≥ 0 (default 1): below 1 sharper, above 1 flatter; 0 takes the most probable id. */
  temperature?: number;
  /** Keep only the k most probable ids (a positive integer; default: all). */
  topK?: number;
  /** Keep the smallest set of most probable ids whose probability is at least p, in (0, 1] (default 1: all). */
  topP?: number;
  /**
   * An integer (the same draws at every call, as a Keras seed) or a
   * {@link SeedGenerator} (new draws at every call, from its stream);
   * default: Math.random, unrepeatable.
   */
  seed?: number | SeedGenerator;
  /** The values are logits (any real, −Infinity for an id never drawn), not probabilities (default false). */
  fromLogits?: boolean;
}

const OPTIONS = ['temperature', 'topK', 'topP', 'seed', 'fromLogits'] as const;

/** What {@link sample} draws from: a tensor [V] or [B, V], one row of numbers, or rows. */
export type SampleInput = tf.Tensor | ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

/** Options of {@link sample}, checked, with the stream of uniform numbers to draw from. */
export interface Resolved {
  temperature: number;
  topK: number;
  topP: number;
  fromLogits: boolean;
  uniform: () => number;
}

/**
 * Draws one id per row of `logitsOrProbabilities` (probabilities by default,
 * logits with `fromLogits`): a tensor [V] or [B, V], an array of V numbers, or
 * B such arrays (a {@link TextGenerator}'s step gives these). Returns the ids,
 * one per row. Filtering as Hugging Face's `generate` does it (temperature,
 * then top-k, then top-p; see src/generation/sample.ts); from the same
 * values, the same seed draws the same ids on every backend and machine.
 *
 * @example
 * ```ts
 * import { tf, sample, SeedGenerator } from 'tfjs-recurrent';
 * const p = tf.tensor2d([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]]);
 * const greedy = sample(p, { temperature: 0 }); // [1, 0]
 * const drawn = sample(p, { temperature: 0.8, topK: 2, seed: 7 }); // one id per row, the same for seed 7 every time
 * const logits = [2.0, -1.0, 0.5, -Infinity];
 * const nucleus = sample(logits, { fromLogits: true, topP: 0.9, seed: new SeedGenerator(1) }); // [id], never 3
 * ```
 */
export function sample(logitsOrProbabilities: SampleInput, options: SampleOptions = {}): number[] {
  const o = checkSampleOptions(options);
  const rows = readRows(logitsOrProbabilities);
  return rows.map((row, r) => drawRow(row, o, rows.length > 1 ? `row ${r}` : 'the row'));
}

/** The options checked, each error naming `who`, the option, what it takes and what it got. */
export function checkSampleOptions(options: SampleOptions, who = 'sample'): Resolved {
  if (options == null || typeof options !== 'object' || Array.isArray(options)) {
    throw new RecurrentConfigError(`${who}: options must be an object such as { temperature: 0.8, topK: 40, seed: 1 }, got ${fmtValue(options)}`);
  }
  for (const k of Object.keys(options)) {
    if ((OPTIONS as readonly string[]).includes(k) || (options as Record<string, unknown>)[k] === undefined) continue;
    const near = nearest(k, OPTIONS);
    throw new RecurrentConfigError(`${who}: unknown option '${k}'${near.length ? ` (did you mean '${near[0]}'?)` : ''}; known options: ${OPTIONS.join(', ')}`);
  }
  const { temperature = 1, topK, topP = 1, seed, fromLogits = false } = options;
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature < 0) {
    throw new RecurrentConfigError(`${who}: temperature must be a finite number >= 0 (0 takes the most probable id), got ${fmtValue(temperature)}`);
  }
  if (topK !== undefined && (typeof topK !== 'number' || !Number.isInteger(topK) || topK <= 0)) {
    throw new RecurrentConfigError(`${who}: topK must be a positive integer, got ${fmtValue(topK)}`);
  }
  if (typeof topP !== 'number' || !(topP > 0 && topP <= 1)) {
    throw new RecurrentConfigError(`${who}: topP must be a number in (0, 1], got ${fmtValue(topP)}`);
  }
  if (typeof fromLogits !== 'boolean') throw new RecurrentConfigError(`${who}: fromLogits must be true or false, got ${fmtValue(fromLogits)}`);
  let uniform: () => number;
  if (seed === undefined) uniform = Math.random;
  else if (seed instanceof SeedGenerator) uniform = () => seed.next();
  else if (typeof seed === 'number' && Number.isSafeInteger(seed)) {
    const stream = new SeedGenerator(seed); // (a new stream each call: the same draws every time)
    uniform = () => stream.next();
  } else {
    throw new RecurrentConfigError(`${who}: seed must be an integer or a SeedGenerator, got ${fmtValue(seed)}`);
  }
  return { temperature, topK: topK ?? Infinity, topP, fromLogits, uniform };
}

const isRow = (v: unknown): v is ArrayLike<number> => (Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number')) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

/** The rows as arrays of numbers. */
function readRows(x: SampleInput): ArrayLike<number>[] {
  const expected = 'a tf.Tensor of shape [V] or [B, V], an array of numbers, or an array of such arrays';
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw new RecurrentInputError('sample: logitsOrProbabilities is a disposed tensor');
    if ((x.rank !== 1 && x.rank !== 2) || x.size === 0 || x.dtype === 'string' || x.dtype === 'complex64') {
      throw new RecurrentInputError(`sample: logitsOrProbabilities must be ${expected} (non-empty, numeric), got a ${x.dtype} tensor of shape [${x.shape.join(', ')}]`);
    }
    const values = x.dataSync();
    const V = x.shape[x.rank - 1];
    return Array.from({ length: x.size / V }, (_, r) => values.subarray(r * V, (r + 1) * V));
  }
  if (isRow(x)) {
    if (x.length === 0) throw new RecurrentInputError(`sample: logitsOrProbabilities must be ${expected}, got an empty array`);
    return [x];
  }
  if (Array.isArray(x) && x.length > 0 && x.every(isRow)) {
    const rows = x as ArrayLike<number>[];
    if (rows.some((r) => r.length === 0 || r.length !== rows[0].length)) {
      throw new RecurrentInputError(`sample: the rows of logitsOrProbabilities must all have the same, non-zero length, got lengths [${rows.map((r) => r.length).join(', ')}]`);
    }
    return rows;
  }
  throw new RecurrentInputError(`sample: logitsOrProbabilities must be ${expected}, got ${Array.isArray(x) && x.length === 0 ? 'an empty array' : fmtValue(x)}`);
}

/** The id drawn from one row (named `where` in errors). */
function drawRow(row: ArrayLike<number>, o: Resolved, where: string): number {
  const V = row.length;
  checkValues(row, o.fromLogits, where);
  if (o.temperature === 0) return argmax(row); //                              greedy
  // Scores s = z / T; −Infinity where an id can never be drawn.
  const s = new Float64Array(V);
  for (let i = 0; i < V; i++) s[i] = (o.fromLogits ? row[i] : Math.log(row[i])) / o.temperature;
  if (o.topK < V) {
    const kth = Float64Array.from(s).sort()[V - o.topK]; //                   the k-th largest score
    for (let i = 0; i < V; i++) if (s[i] < kth) s[i] = -Infinity; //          scores < topk(scores, k)[-1] are dropped
  }
  const q = softmax(s);
  if (o.topP < 1) {
    // Ascending by probability (ties: the higher id first, so the lower id counts as the more probable).
    const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => q[a] - q[b] || b - a);
    let cum = 0;
    for (let j = 0; j < V - 1; j++) {
      cum += q[order[j]];
      if (cum <= 1 - o.topP) q[order[j]] = 0; //                               cumulative (ascending) ≤ 1 − p: dropped
    }
  }
  let total = 0;
  for (let i = 0; i < V; i++) total += q[i];
  const u = o.uniform() * total;
  let acc = 0, last = 0;
  for (let i = 0; i < V; i++) {
    if (q[i] === 0) continue;
    acc += q[i];
    last = i;
    if (u < acc) return i;
  }
  return last; // (u within rounding of the total)
}

/** softmax(s), −Infinity giving 0. */
function softmax(s: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of s) if (v > max) max = v;
  const q = new Float64Array(s.length);
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += q[i] = s[i] === -Infinity ? 0 : Math.exp(s[i] - max);
  for (let i = 0; i < s.length; i++) q[i] /= sum;
  return q;
}

/** The first index of the largest value. */
function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** Probabilities finite, ≥ 0 and not all 0; logits not NaN nor +Infinity, and not all −Infinity. */
function checkValues(row: ArrayLike<number>, fromLogits: boolean, where: string): void {
  let any = false;
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (fromLogits) {
      if (Number.isNaN(v) || v === Infinity) throw new RecurrentInputError(`sample: logits must be real numbers or -Infinity, got ${v} at index ${i} of ${where}`);
      if (v !== -Infinity) any = true;
    } else {
      if (!(v >= 0) || !Number.isFinite(v)) {
        throw new RecurrentInputError(`sample: probabilities must be finite and >= 0, got ${v} at index ${i} of ${where} (pass fromLogits: true for logits)`);
      }
      if (v > 0) any = true;
    }
  }
  if (!any) {
    throw new RecurrentInputError(
      fromLogits ? `sample: every logit of ${where} is -Infinity; expected at least one id that can be drawn` : `sample: the probabilities of ${where} are all 0; expected a positive sum`,
    );
  }
}
