/**
 * One-call description of a sample of measurements (typically durations in one unit).
 */
import { mean, medianAbsoluteDeviation, sampleStandardDeviation } from 'simple-statistics';

import { bootstrapMedianCi, type BootstrapCi, type MedianCiOptions } from './bootstrap.js';
import { quantileSorted, sortedCopy } from './quantiles.js';

/** Summary statistics of a sample; every field except n and cv is in the unit of the values. */
export interface Summary {
  /** Number of values. */
  readonly n: number;
  /** Type-7 median (see {@link quantileSorted}). */
  readonly median: number;
  /** Type-7 90th percentile. */
  readonly p90: number;
  /** Type-7 99th percentile. */
  readonly p99: number;
  readonly mean: number;
  /** Sample standard deviation (divides by n − 1); 0 when n = 1. */
  readonly stdev: number;
  /** Coefficient of variation stdev / mean (dimensionless); 0 when the mean is 0. */
  readonly cv: number;
  /** Median absolute deviation from the median, unscaled (not multiplied by 1.4826). */
  readonly mad: number;
  readonly min: number;
  readonly max: number;
  /** Percentile bootstrap confidence interval of the median. */
  readonly medianCi: BootstrapCi;
}

/** Options of {@link summarize}: those of the median confidence interval. */
export type SummarizeOptions = MedianCiOptions;

/**
 * Summarizes a sample: sorts one Float64Array copy (the input is never mutated), reads quantiles
 * from it, takes mean, sample standard deviation and MAD from simple-statistics, and bootstraps the
 * median's confidence interval (see {@link bootstrapMedianCi}; defaults: level 0.95, 2000 resamples,
 * fixed seed, exact distribution above 5000 values).
 *
 * @param values finite numbers in any order, e.g. durations in milliseconds; number[] or typed array.
 * @throws RangeError when values is empty or holds a non-finite value.
 */
export function summarize(values: ArrayLike<number>, options: SummarizeOptions = {}): Summary {
  const sorted = sortedCopy(values, 'summarize');
  const n = sorted.length;
  const min = sorted[0] ?? NaN;
  const max = sorted[n - 1] ?? NaN;
  const medianCi = bootstrapMedianCi(sorted, options);
  const quantiles = {
    median: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p99: quantileSorted(sorted, 0.99),
  };
  if (min === max) {
    return { n, ...quantiles, mean: min, stdev: 0, cv: 0, mad: 0, min, max, medianCi };
  }
  const plain = Array.from(sorted);
  const average = Math.min(max, Math.max(min, mean(plain)));
  const stdev = n > 1 ? sampleStandardDeviation(plain) : 0;
  const cv = average === 0 ? 0 : stdev / average;
  return {
    n,
    ...quantiles,
    mean: average,
    stdev,
    cv,
    mad: medianAbsoluteDeviation(plain),
    min,
    max,
    medianCi,
  };
}
