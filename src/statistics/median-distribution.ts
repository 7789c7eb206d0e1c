/**
 * The bootstrap distribution of the median of sorted data, three ways.
 *
 * A bootstrap resample draws n indices uniformly with replacement; since the data are sorted, the
 * resample's median is read from the data at the median of the indices. Its type-7 median is the mean
 * of the order statistics of ranks `lower` and `upper` (equal when n is odd), see {@link medianRanks}.
 *
 * - resampling: draw n indices, count them in an Int32Array histogram reused across resamples, and
 *   walk it to the median ranks: a counting selection, O(n) per resample with no comparisons or
 *   swaps (about 3x faster than quickselecting the drawn indices, measured);
 * - order statistics: the rank-k index equals ⌊n·U₍ₖ₎⌋ where U₍ₖ₎ ~ Beta(k, n − k + 1) is the k-th of
 *   n uniforms, so one resample median can be drawn in O(1), with the same distribution;
 * - exact: P(index of rank k <= j) = P(Binomial(n, (j + 1)/n) >= k), so percentiles of each order
 *   statistic come from a binary search over j (O(log n) incomplete beta evaluations, no randomness).
 */
import { binomialUpperTail } from './incomplete-beta.js';
import { lerp } from './quantiles.js';
import { sampleBeta, type Rng } from './random.js';

/** 1-based ranks of the two middle order statistics of n values (equal when n is odd). */
export function medianRanks(n: number): { lower: number; upper: number } {
  return { lower: Math.ceil(n / 2), upper: Math.floor(n / 2) + 1 };
}

/**
 * The q-quantile (smallest j with CDF >= q) of the 0-based index of the rank-k order statistic of a
 * bootstrap resample of n sorted values.
 */
export function exactOrderStatisticIndex(n: number, rank: number, q: number): number {
  let low = 0;
  let high = n - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (binomialUpperTail(n, (mid + 1) / n, rank) >= q) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * Exact percentile interval of the bootstrap median of sorted data, without resampling. The low end
 * is the α/2 quantile of the lower middle order statistic, the high end the 1 − α/2 quantile of the
 * upper one (the same statistic when n is odd); for even n this brackets the percentile interval of
 * the averaged median, conservative by at most one gap between adjacent sorted values.
 */
export function exactMedianInterval(sorted: ArrayLike<number>, level: number): { low: number; high: number } {
  const n = sorted.length;
  const { lower, upper } = medianRanks(n);
  const alpha = 1 - level;
  const low = sorted[exactOrderStatisticIndex(n, lower, alpha / 2)] ?? NaN;
  const high = sorted[exactOrderStatisticIndex(n, upper, 1 - alpha / 2)] ?? NaN;
  return { low, high };
}

/** How resample medians are drawn: literally, or from the order-statistic distribution. */
export type MedianSampler = 'resample' | 'order-statistic';

/** A function returning one bootstrap-resample median of the sorted data per call. */
export function createMedianSampler(sorted: ArrayLike<number>, rng: Rng, kind: MedianSampler): () => number {
  const n = sorted.length;
  const { lower, upper } = medianRanks(n);
  const value = (index: number): number => sorted[index] ?? NaN;
  if (kind === 'order-statistic') {
    const toIndex = (u: number): number => Math.min(n - 1, Math.floor(u * n));
    return () => {
      const u = sampleBeta(rng, lower, n - lower + 1);
      if (lower === upper) return value(toIndex(u));
      // The next order statistic: u plus the minimum of the n − lower uniforms above it.
      const gap = -Math.expm1(Math.log(1 - rng.next()) / (n - lower));
      return lerp(value(toIndex(u)), value(toIndex(u + (1 - u) * gap)), 0.5);
    };
  }
  const counts = new Int32Array(n);
  return () => {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const index = rng.nextInt(n);
      counts[index] = (counts[index] ?? 0) + 1;
    }
    // Walk the histogram of drawn indices up to the rank-`lower` one (the counts sum to n >= upper).
    let lowIndex = 0;
    let cumulative = counts[0] ?? 0;
    while (cumulative < lower) cumulative += counts[++lowIndex] ?? 0;
    if (cumulative >= upper) return value(lowIndex);
    let highIndex = lowIndex + 1;
    while ((counts[highIndex] ?? 0) === 0) highIndex++;
    return lerp(value(lowIndex), value(highIndex), 0.5);
  };
}
