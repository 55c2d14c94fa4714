/**
 * A seeded stream of uniform numbers, the same on every backend, machine and
 * JavaScript engine: integer arithmetic only (`Math.imul`, shifts), so a seed
 * gives the same draws wherever it runs.
 *
 * The generator is xoshiro128** (Blackman and Vigna, "Scrambled linear
 * pseudorandom number generators", 2018; 128 bits of state, period 2^128 − 1),
 * its state filled from the seed by SplitMix32 (so that nearby seeds give
 * unrelated streams). A uniform number takes two 32-bit outputs: 53 random bits.
 */
import { RecurrentConfigError, fmtValue } from '../errors';

/** SplitMix32's next value from `x`, and the state after it. */
function splitMix32(x: number): [number, number] {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [(z ^ (z >>> 16)) >>> 0, x];
}

/**
 * A stream of random numbers from a seed, as Keras 3's `keras.random.SeedGenerator`:
 * pass one as the `seed` of {@link sample} and each call draws new numbers
 * from the stream, while an integer seed gives the same draw at every call.
 *
 * @example
 * ```ts
 * import { SeedGenerator, sample } from 'tfjs-recurrent';
 * const rng = new SeedGenerator(42);
 * const p = [0.1, 0.6, 0.3];
 * const ids = [0, 1, 2, 3, 4].map(() => sample(p, { seed: rng })[0]); // five draws from one stream
 * const again = new SeedGenerator(42);
 * const same = [0, 1, 2, 3, 4].map(() => sample(p, { seed: again })[0]); // the same five ids
 * ```
 */
export class SeedGenerator {
  /** The seed the stream started from. */
  readonly seed: number;
  private readonly s = new Uint32Array(4);

  /** @param seed any safe integer (negative ones too); its high and low 32 bits both count */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
      throw new RecurrentConfigError(`SeedGenerator: seed must be a safe integer, got ${fmtValue(seed)}`);
    }
    this.seed = seed;
    let x = (seed | 0) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x27d4eb2d);
    for (let i = 0; i < 4; i++) [this.s[i], x] = splitMix32(x);
    if (this.s.every((v) => v === 0)) this.s[0] = 1; // (xoshiro's one forbidden state; SplitMix32 never gives it)
  }

  /** xoshiro128**'s next 32-bit output. */
  private next32(): number {
    const s = this.s;
    const out = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return out;
  }

  /** The next number of the stream, uniform in [0, 1), with 53 random bits. */
  next(): number {
    const hi = this.next32() >>> 5; //                      27 bits
    const lo = this.next32() >>> 6; //                      26 bits
    return (hi * 67108864 + lo) / 9007199254740992; //      (hi · 2^26 + lo) / 2^53
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
