/**
 * sample: greedy at temperature 0, the distribution of its draws on a fixed
 * seed (with temperature, from logits), top-k and top-p keeping exactly the
 * ids Hugging Face's warpers keep (ties, the order of the two, renormalising
 * between them), seeds that repeat, and errors that name the argument.
 */
import { tf } from '../../src/tf';
import { sample, SeedGenerator } from '../../src';
import { RecurrentConfigError, RecurrentInputError } from '../../src/errors';

/** How often each id is drawn in n draws from one stream. */
function frequencies(p: ArrayLike<number>, n: number, options: Parameters<typeof sample>[1] = {}, seed = 1): number[] {
  const rng = new SeedGenerator(seed);
  const counts = new Array(p.length).fill(0);
  for (let i = 0; i < n; i++) counts[sample(p, { ...options, seed: rng })[0]]++;
  return counts.map((c) => c / n);
}

/** The ids Hugging Face's TemperatureLogitsWarper, TopKLogitsWarper and TopPLogitsWarper leave, written as they are (ascending sort, cumsum ≤ 1 − p). */
function hfKept(p: number[], topK: number, topP: number, temperature = 1): Set<number> {
  let s = p.map((v) => Math.log(v) / temperature);
  const kth = [...s].sort((a, b) => b - a)[Math.min(topK, s.length) - 1];
  s = s.map((v) => (v < kth ? -Infinity : v)); //                                     scores < topk(scores)[-1] → −inf
  const max = Math.max(...s);
  const e = s.map((v) => Math.exp(v - max));
  const q = e.map((v) => v / e.reduce((a, b) => a + b, 0));
  const order = q.map((_, i) => i).sort((a, b) => q[a] - q[b] || b - a); //        ascending
  const remove = new Set<number>();
  let cum = 0;
  order.forEach((i, j) => {
    cum += q[i];
    if (cum <= 1 - topP && j < order.length - 1) remove.add(i);
  });
  return new Set(q.map((v, i) => i).filter((i) => q[i] > 0 && !remove.has(i)));
}

describe('sample', () => {
  test('temperature 0 takes the most probable id of each row, the first of ties', () => {
    expect(sample([[0.1, 0.6, 0.3], [0.4, 0.2, 0.4], [0.25, 0.25, 0.5]], { temperature: 0 })).toEqual([1, 0, 2]);
    expect(sample([1.5, -2, 3.25, 3.25], { temperature: 0, fromLogits: true })).toEqual([2]);
  });

  test('draws each id with its probability (20,000 draws on a fixed seed, within 0.012)', () => {
    const p = [0.1, 0.2, 0.3, 0.4];
    frequencies(p, 20000).forEach((f, i) => expect(Math.abs(f - p[i])).toBeLessThan(0.012));
    // Unnormalised probabilities are normalised.
    frequencies([1, 2, 3, 4], 20000, {}, 2).forEach((f, i) => expect(Math.abs(f - p[i])).toBeLessThan(0.012));
  });

  test('temperature T draws from p^(1/T), renormalised; from logits, from softmax(z / T)', () => {
    const p = [0.1, 0.2, 0.3, 0.4];
    const sharp = p.map((v) => v ** 2);
    const expected = sharp.map((v) => v / sharp.reduce((a, b) => a + b));
    frequencies(p, 20000, { temperature: 0.5 }).forEach((f, i) => expect(Math.abs(f - expected[i])).toBeLessThan(0.012));
    const z = [1, -1, 0.5, 2];
    const e = z.map((v) => Math.exp(v / 2));
    const soft = e.map((v) => v / e.reduce((a, b) => a + b));
    frequencies(z, 20000, { temperature: 2, fromLogits: true }).forEach((f, i) => expect(Math.abs(f - soft[i])).toBeLessThan(0.012));
  });

  test('top-k keeps the k most probable ids, renormalised, and every id tied with the k-th (Hugging Face)', () => {
    frequencies([0.1, 0.2, 0.3, 0.4], 20000, { topK: 2 }).forEach((f, i) => expect(Math.abs(f - [0, 0, 3 / 7, 4 / 7][i])).toBeLessThan(0.012));
    const ties = frequencies([0.3, 0.3, 0.3, 0.1], 6000, { topK: 2 });
    expect(ties[3]).toBe(0);
    ties.slice(0, 3).forEach((f) => expect(Math.abs(f - 1 / 3)).toBeLessThan(0.03));
    expect(frequencies([0.1, 0.2, 0.7], 2000, { topK: 10 }).every((f) => f > 0)).toBe(true); // k beyond V keeps all
  });

  test('top-p keeps the smallest set of most probable ids whose probability reaches p', () => {
    frequencies([0.5, 0.3, 0.2], 20000, { topP: 0.75 }).forEach((f, i) => expect(Math.abs(f - [5 / 8, 3 / 8, 0][i])).toBeLessThan(0.012));
    expect(frequencies([0.5, 0.3, 0.2], 2000, { topP: 0.5 })).toEqual([1, 0, 0]); // 0.5 reaches 0.5: the rest go
    expect(frequencies([0.05, 0.9, 0.05], 2000, { topP: 0.01 })).toEqual([0, 1, 0]); // the most probable always stays
  });

  test('top-p applies to the distribution top-k left, renormalised (as Hugging Face chains them)', () => {
    // After top-2: [0.4, 0.3] / 0.7 = [0.571, 0.429]; 0.571 reaches 0.55, so only id 0 is left
    // (summing [0.4, 0.3] unnormalised, as Keras-NLP's TopPSampler(k) does, would keep id 1 too).
    expect(frequencies([0.4, 0.3, 0.2, 0.1], 2000, { topK: 2, topP: 0.55 })).toEqual([1, 0, 0, 0]);
  });

  test('the ids drawn are the ones Hugging Face\'s warpers keep, on random distributions', () => {
    const rng = new SeedGenerator(5);
    for (let trial = 0; trial < 60; trial++) {
      const V = 2 + Math.floor(rng.next() * 12);
      const p = Array.from({ length: V }, () => rng.next() ** 3 + 1e-3);
      const topK = 1 + Math.floor(rng.next() * V), topP = 0.05 + 0.95 * rng.next(), temperature = 0.3 + 2 * rng.next();
      const kept = hfKept(p, topK, topP, temperature);
      const f = frequencies(p, 800, { topK, topP, temperature }, trial);
      f.forEach((x, i) => expect(x > 0 ? kept.has(i) : true).toBe(true));
      expect([...kept].some((i) => f[i] > 0)).toBe(true);
    }
  });

  test('an integer seed draws the same at every call; a SeedGenerator draws on; the same seed, the same stream', () => {
    const p = [0.2, 0.2, 0.2, 0.2, 0.2];
    const once = sample(p, { seed: 3 });
    for (let i = 0; i < 5; i++) expect(sample(p, { seed: 3 })).toEqual(once);
    const draw = (rng: SeedGenerator) => Array.from({ length: 30 }, () => sample(p, { seed: rng })[0]);
    const a = draw(new SeedGenerator(9));
    expect(draw(new SeedGenerator(9))).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(2);
    // Rows of one call take successive numbers of the stream.
    expect(sample([p, p, p], { seed: new SeedGenerator(9) })).toEqual(a.slice(0, 3));
  });

  test('the stream is fixed: the first numbers of seed 42 (integer arithmetic, the same on every machine)', () => {
    const rng = new SeedGenerator(42);
    const first = Array.from({ length: 3 }, () => rng.next());
    const again = new SeedGenerator(42);
    expect(Array.from({ length: 3 }, () => again.next())).toEqual(first);
    first.forEach((u) => expect(u >= 0 && u < 1).toBe(true));
    expect(first.map((u) => Math.floor(u * 1e9))).toEqual(FIRST_OF_42);
    expect(new SeedGenerator(43).next()).not.toBe(first[0]);
    expect(new SeedGenerator(-1).next()).not.toBe(new SeedGenerator(2 ** 32 - 1).next()); // all 53 bits of a seed count
  });

  test('its generator is xoshiro128**: from the state {1, 2, 3, 4}, the reference code\'s first outputs', () => {
    const g = new SeedGenerator(1) as unknown as { s: Uint32Array; next32(): number };
    g.s.set([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => g.next32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  test('takes tensors [V] and [B, V], rows of numbers and typed arrays', () => {
    const t = tf.tensor2d([[0, 1, 0], [1, 0, 0]]);
    expect(sample(t, { seed: 1 })).toEqual([1, 0]);
    expect(sample(tf.tensor1d([0, 0, 1]), { seed: 1 })).toEqual([2]);
    expect(sample(new Float32Array([0, 1]), { seed: 1 })).toEqual([1]);
    expect(sample([new Float32Array([1, 0]), new Float32Array([0, 1])], { seed: 1 })).toEqual([0, 1]);
    t.dispose();
  });

  test.each([
    [{ temperature: -1 }, /^sample: temperature must be a finite number >= 0 .*, got -1$/],
    [{ temperature: NaN }, /^sample: temperature must be a finite number >= 0 .*, got NaN$/],
    [{ topK: 0 }, /^sample: topK must be a positive integer, got 0$/],
    [{ topK: 2.5 }, /^sample: topK must be a positive integer, got 2.5$/],
    [{ topP: 0 }, /^sample: topP must be a number in \(0, 1\], got 0$/],
    [{ topP: 1.5 }, /^sample: topP must be a number in \(0, 1\], got 1.5$/],
    [{ seed: 'a' }, /^sample: seed must be an integer or a SeedGenerator, got 'a'$/],
    [{ seed: 1.5 }, /^sample: seed must be an integer or a SeedGenerator, got 1.5$/],
    [{ fromLogits: 1 }, /^sample: fromLogits must be true or false, got 1$/],
    [{ topk: 3 }, /^sample: unknown option 'topk' \(did you mean 'topK'\?\); known options: temperature, topK, topP, seed, fromLogits$/],
  ])('refuses the option %j, naming it, what it takes and what it got', (options, message) => {
    expect(() => sample([0.5, 0.5], options as never)).toThrow(RecurrentConfigError);
    expect(() => sample([0.5, 0.5], options as never)).toThrow(message);
  });

  test.each([
    [[0.5, -0.1], {}, /^sample: probabilities must be finite and >= 0, got -0.1 at index 1 of the row \(pass fromLogits: true for logits\)$/],
    [[[0.5, 0.5], [0, 0]], {}, /^sample: the probabilities of row 1 are all 0; expected a positive sum$/],
    [[0.5, NaN], { fromLogits: true }, /^sample: logits must be real numbers or -Infinity, got NaN at index 1 of the row$/],
    [[-Infinity, -Infinity], { fromLogits: true }, /^sample: every logit of the row is -Infinity; expected at least one id that can be drawn$/],
    [[], {}, /^sample: logitsOrProbabilities must be .*, got an empty array$/],
    [[[0.5, 0.5], [1]], {}, /^sample: the rows of logitsOrProbabilities must all have the same, non-zero length, got lengths \[2, 1\]$/],
    ['abc', {}, /^sample: logitsOrProbabilities must be a tf.Tensor of shape \[V\] or \[B, V\], .*, got 'abc'$/],
  ])('refuses the values %j with a message naming what is wrong and where', (x, options, message) => {
    expect(() => sample(x as never, options)).toThrow(RecurrentInputError);
    expect(() => sample(x as never, options)).toThrow(message);
  });

  test('refuses a tensor of rank 3 and a disposed tensor', () => {
    const t = tf.zeros([1, 2, 3]);
    expect(() => sample(t)).toThrow(/^sample: logitsOrProbabilities must be .* \(non-empty, numeric\), got a float32 tensor of shape \[1, 2, 3\]$/);
    t.dispose();
    expect(() => sample(t)).toThrow(/^sample: logitsOrProbabilities is a disposed tensor$/);
  });

  test('SeedGenerator refuses a seed that is not a safe integer', () => {
    expect(() => new SeedGenerator(0.5)).toThrow(/^SeedGenerator: seed must be a safe integer, got 0.5$/);
  });
});

/** floor(1e9 · u) of seed 42's first three numbers (pinned: a change here changes every seeded text). */
const FIRST_OF_42 = [660615720, 111701963, 79105645];
