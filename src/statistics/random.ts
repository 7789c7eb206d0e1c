/**
 * Seeded pseudo-random numbers, so that every bootstrap is reproducible from its seed.
 *
 * The generator is xoshiro128** 1.0 (Blackman & Vigna, 2018): 128 bits of state, period 2^128 − 1,
 * passes BigCrush, and runs on 32-bit integer arithmetic that JavaScript does exactly. The state is
 * filled from a 32-bit seed with splitmix32 so that neighbouring seeds give unrelated streams.
 * Not cryptographic.
 */

/** Seed used when a caller gives none: a fixed constant, so default runs are reproducible. */
export const DEFAULT_SEED = 0x5eed_cafe;

const TWO_POW_32 = 4294967296;
const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** A stream of pseudo-random numbers. */
export interface Rng {
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /**
   * Uniform integer in [0, bound) for an integer 1 <= bound <= 2^21, from one 32-bit draw
   * (floor(u · bound / 2^32); the bias is below bound / 2^32, under 5e-4 at the largest bound).
   * Not validated: this sits in hot loops.
   */
  nextInt(bound: number): number;
  /** Standard normal deviate (mean 0, standard deviation 1) by the Box–Muller transform. */
  nextNormal(): number;
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

class Xoshiro128StarStar implements Rng {
  private spare = 0;
  private hasSpare = false;

  constructor(
    private s0: number,
    private s1: number,
    private s2: number,
    private s3: number,
  ) {}

  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = rotl(s3, 11);
    return result;
  }

  next(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * TWO_POW_26 + low) / TWO_POW_53;
  }

  nextInt(bound: number): number {
    return Math.floor((this.nextUint32() * bound) / TWO_POW_32);
  }

  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.next())); // 1 - next() is in (0, 1]
    const angle = 2 * Math.PI * this.next();
    this.spare = radius * Math.sin(angle);
    this.hasSpare = true;
    return radius * Math.cos(angle);
  }
}

/**
 * A xoshiro128** generator started from an explicit state of four 32-bit words (not all zero).
 * Meant for checking against the reference implementation; use {@link createRng} otherwise.
 */
export function createRngFromState(state: readonly [number, number, number, number]): Rng {
  const [s0, s1, s2, s3] = state.map((word) => word >>> 0) as [number, number, number, number];
  if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('createRngFromState: the state must not be all zero');
  return new Xoshiro128StarStar(s0, s1, s2, s3);
}

/**
 * A reproducible generator: the same integer seed always gives the same stream.
 *
 * @param seed any safe integer; defaults to {@link DEFAULT_SEED}. Its low and high 32 bits are mixed.
 * @throws RangeError when the seed is not a safe integer.
 */
export function createRng(seed: number = DEFAULT_SEED): Rng {
  if (!Number.isSafeInteger(seed))
    throw new RangeError(`createRng: seed must be a safe integer, got ${seed}`);
  let state = (seed ^ Math.floor(seed / TWO_POW_32)) >>> 0;
  const splitmix32 = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  const words: [number, number, number, number] = [splitmix32(), splitmix32(), splitmix32(), splitmix32()];
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
  return createRngFromState(words);
}

/**
 * A Gamma(shape, 1) deviate by Marsaglia & Tsang (2000), with the shape + 1 boost for shape < 1.
 *
 * @param shape a positive, finite shape parameter (dimensionless).
 */
export function sampleGamma(rng: Rng, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) {
    throw new RangeError(`sampleGamma: shape must be positive and finite, got ${shape}`);
  }
  if (shape < 1) return sampleGamma(rng, shape + 1) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.nextNormal();
    const root = 1 + c * x;
    if (root <= 0) continue;
    const v = root * root * root;
    const u = 1 - rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * A Beta(a, b) deviate in [0, 1], as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
 *
 * @param a first positive shape parameter.
 * @param b second positive shape parameter.
 */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
}
