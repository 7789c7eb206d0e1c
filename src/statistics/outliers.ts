/**
 * How heavy a sample's upper tail is, by Tukey's "far out" fence.
 */
import { quantileSorted, sortedCopy } from './quantiles.js';

/** The values beyond the far-out fence Q3 + 3·IQR (type-7 quartiles), and where the fence is. */
export interface FarOut {
  /** Q3 + 3·IQR, in the unit of the values. */
  readonly fence: number;
  /** How many values lie above the fence. */
  readonly count: number;
  /** count / n, in [0, 1]. */
  readonly share: number;
}

/**
 * The share of values above Q3 + 3·IQR. For a normal sample that share is about 1e-6 (the fence is
 * 4.7 standard deviations above the mean); for an exponential one, e^-4.68 = 0.93%. Only the upper
 * tail counts: durations have a floor, and it is the slow ops that skew a mean and a p99.
 *
 * @param values finite numbers in any order, e.g. durations in ns; the input is not mutated.
 * @throws RangeError when values is empty or holds a non-finite value.
 */
export function farOutShare(values: ArrayLike<number>): FarOut {
  const sorted = sortedCopy(values, 'farOutShare');
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const fence = q3 + 3 * (q3 - q1);
  let count = 0;
  for (let i = sorted.length - 1; i >= 0 && (sorted[i] ?? NaN) > fence; i--) count++;
  return { fence, count, share: count / sorted.length };
}
