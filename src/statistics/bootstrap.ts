/**
 * Percentile bootstrap confidence intervals for the median and for a ratio of medians.
 */
import { createMedianSampler, exactMedianInterval, type MedianSampler } from './median-distribution.js';
import { median, quantileSorted, sortedCopy } from './quantiles.js';
import { createRng, DEFAULT_SEED } from './random.js';

/** Above this many values, `method: 'auto'` computes the bootstrap distribution exactly. */
export const EXACT_BOOTSTRAP_ABOVE = 5000;

/** Default number of Monte Carlo resamples. */
export const DEFAULT_RESAMPLES = 2000;

/** Default confidence level. */
export const DEFAULT_LEVEL = 0.95;

/** A percentile bootstrap confidence interval, in the unit of the statistic. */
export interface BootstrapCi {
  readonly low: number;
  readonly high: number;
  /** Nominal two-sided coverage, e.g. 0.95. */
  readonly level: number;
  /** Hierarchical: replicates resampled, then values within them (hierarchical-bootstrap.ts). */
  readonly method: 'bootstrap-percentile' | 'hierarchical-bootstrap-percentile';
  /** Monte Carlo resamples drawn; 0 when the bootstrap distribution was computed exactly. */
  readonly resamples: number;
  /** True when the percentiles come from the exact bootstrap distribution rather than resamples. */
  readonly exact: boolean;
}

/** A percentile bootstrap interval for statistic(a) / statistic(b). */
export interface RatioCi extends BootstrapCi {
  /** statistic(a) / statistic(b) on the full samples (dimensionless). */
  readonly estimate: number;
}

/** Options shared by the bootstrap functions. */
export interface BootstrapOptions {
  /** Two-sided confidence level in (0, 1); default 0.95. */
  readonly level?: number;
  /** Number of Monte Carlo resamples, a positive integer; default 2000. */
  readonly resamples?: number;
  /** PRNG seed (safe integer); default {@link DEFAULT_SEED}. Same seed, same interval. */
  readonly seed?: number;
}

/** Options of {@link bootstrapMedianCi}. */
export interface MedianCiOptions extends BootstrapOptions {
  /**
   * 'resample': Monte Carlo (resample indices, select their median by counting); 'exact': percentiles of
   * the exact bootstrap distribution (deterministic, O(log n)); 'auto' (default): exact above
   * {@link EXACT_BOOTSTRAP_ABOVE} values, resample otherwise.
   */
  readonly method?: 'auto' | 'resample' | 'exact';
}

/** Options of {@link bootstrapRatioCi}. */
export interface RatioCiOptions extends BootstrapOptions {
  /** The statistic of each sample; default {@link median} (which has a fast path). */
  readonly statistic?: (values: ArrayLike<number>) => number;
  /**
   * For the median only: 'resample' draws each resample literally, 'order-statistic' draws each
   * resample's median in O(1) from its exact distribution; 'auto' (default) picks per sample,
   * order-statistic above {@link EXACT_BOOTSTRAP_ABOVE} values.
   */
  readonly sampler?: 'auto' | MedianSampler;
}

function checked(
  options: BootstrapOptions,
  caller: string,
): { level: number; resamples: number; seed: number } {
  const { level = DEFAULT_LEVEL, resamples = DEFAULT_RESAMPLES, seed = DEFAULT_SEED } = options;
  if (!(level > 0 && level < 1)) throw new RangeError(`${caller}: level must be in (0, 1), got ${level}`);
  if (!Number.isSafeInteger(resamples) || resamples < 1) {
    throw new RangeError(`${caller}: resamples must be a positive integer, got ${resamples}`);
  }
  return { level, resamples, seed };
}

/** Sorts the replicates in place and reads the percentile interval (type-7 quantiles). */
function percentileInterval(replicates: Float64Array, level: number): { low: number; high: number } {
  replicates.sort();
  const alpha = 1 - level;
  return { low: quantileSorted(replicates, alpha / 2), high: quantileSorted(replicates, 1 - alpha / 2) };
}

/**
 * Percentile bootstrap confidence interval of the median (type 7, see {@link median}) of data sorted
 * ascending, in the unit of the data.
 *
 * Monte Carlo path: each resample draws n indices with replacement, counts them in a reused
 * Int32Array and reads the median ranks off the counts (the data being sorted, the median of the
 * indices indexes the resample median, so no values are ever sorted); the
 * interval is the type-7 α/2 and 1 − α/2 quantiles of the replicates. Exact path: see
 * {@link exactMedianInterval}. With one value, or all values equal, the interval is that value.
 *
 * @param sorted finite values sorted ascending (checked, O(n)).
 * @param options level (default 0.95), resamples (default 2000), seed, method (default 'auto').
 * @throws RangeError on empty or unsorted input, or invalid options.
 */
export function bootstrapMedianCi(sorted: ArrayLike<number>, options: MedianCiOptions = {}): BootstrapCi {
  const { level, resamples, seed } = checked(options, 'bootstrapMedianCi');
  const n = sorted.length;
  if (n === 0) throw new RangeError('bootstrapMedianCi: no values (need at least one)');
  for (let i = 0; i < n; i++) {
    const value = sorted[i] ?? NaN;
    if (!Number.isFinite(value) || (i > 0 && !((sorted[i - 1] ?? NaN) <= value))) {
      throw new RangeError(`bootstrapMedianCi: values must be finite and sorted ascending (index ${i})`);
    }
  }
  const first = sorted[0] ?? NaN;
  const base = { level, method: 'bootstrap-percentile' } as const;
  if (first === sorted[n - 1]) return { ...base, low: first, high: first, resamples: 0, exact: true };
  const method = options.method ?? 'auto';
  if (method === 'exact' || (method === 'auto' && n > EXACT_BOOTSTRAP_ABOVE)) {
    return { ...base, ...exactMedianInterval(sorted, level), resamples: 0, exact: true };
  }
  const sample = createMedianSampler(sorted, createRng(seed), 'resample');
  const replicates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) replicates[r] = sample();
  return { ...base, ...percentileInterval(replicates, level), resamples, exact: false };
}

/**
 * Percentile bootstrap confidence interval of statistic(a) / statistic(b), resampling a and b
 * independently (e.g. "strategy X is 3.1x slower than main, 95% CI [2.9, 3.3]" with a = X's times,
 * b = main's). With one value in each sample the interval collapses to the estimate.
 *
 * @param a numerator sample, any order, finite values (not mutated).
 * @param b denominator sample, any order, finite values (not mutated).
 * @param options statistic (default median), level (0.95), resamples (2000), seed, sampler ('auto').
 * @throws RangeError on empty or non-finite input, a zero denominator statistic, a resample whose
 *   ratio is undefined (0/0), or invalid options.
 */
export function bootstrapRatioCi(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: RatioCiOptions = {},
): RatioCi {
  const { level, resamples, seed } = checked(options, 'bootstrapRatioCi');
  const statistic = options.statistic ?? median;
  const sortedA = sortedCopy(a, 'bootstrapRatioCi (a)');
  const sortedB = sortedCopy(b, 'bootstrapRatioCi (b)');
  const fast = statistic === median;
  const denominator = fast ? quantileSorted(sortedB, 0.5) : statistic(b);
  if (denominator === 0 || !Number.isFinite(denominator)) {
    throw new RangeError(`bootstrapRatioCi: the statistic of b is ${denominator}; the ratio is undefined`);
  }
  const estimate = (fast ? quantileSorted(sortedA, 0.5) : statistic(a)) / denominator;
  const rng = createRng(seed);
  const samplerFor = (sorted: Float64Array): (() => number) => {
    if (fast) {
      const choice = options.sampler ?? 'auto';
      const kind =
        choice !== 'auto' ? choice : sorted.length > EXACT_BOOTSTRAP_ABOVE ? 'order-statistic' : 'resample';
      return createMedianSampler(sorted, rng, kind);
    }
    const scratch = new Float64Array(sorted.length);
    return () => {
      for (let i = 0; i < scratch.length; i++) scratch[i] = sorted[rng.nextInt(sorted.length)] ?? NaN;
      return statistic(scratch);
    };
  };
  const sampleA = samplerFor(sortedA);
  const sampleB = samplerFor(sortedB);
  const replicates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    const ratio = sampleA() / sampleB();
    if (Number.isNaN(ratio))
      throw new RangeError('bootstrapRatioCi: a resample gave 0/0; the ratio is undefined');
    replicates[r] = ratio;
  }
  return {
    estimate,
    ...percentileInterval(replicates, level),
    level,
    method: 'bootstrap-percentile',
    resamples,
    exact: false,
  };
}
