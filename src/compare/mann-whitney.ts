/**
 * The Mann-Whitney U test (Wilcoxon rank-sum test), two-sided, by the normal approximation with
 * the tie correction and the continuity correction: the same figures as SciPy's
 * `mannwhitneyu(x, y, alternative='two-sided', method='asymptotic', use_continuity=True)`.
 */
import { twoSidedNormalP } from '../statistics/normal.js';

/** The outcome of {@link mannWhitneyU}; every field is dimensionless. */
export interface MannWhitney {
  /** U of the first sample: the number of (x, y) pairs with x > y, ties counting one half (SciPy's statistic). */
  readonly u: number;
  /**
   * The continuity-corrected standard score of U, signed: above 0 when the first sample tends to be
   * the larger, 0 when U is within 0.5 of its null mean or every value is the same.
   */
  readonly z: number;
  /** Two-sided p-value from the normal approximation, in [0, 1]. */
  readonly pValue: number;
}

function checkedSample(values: ArrayLike<number>, name: string): void {
  if (values.length === 0) throw new RangeError(`mannWhitneyU: ${name} has no values (need at least one)`);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? NaN;
    if (!Number.isFinite(value)) throw new RangeError(`mannWhitneyU: ${name}[${i}] is not finite (${value})`);
  }
}

/**
 * Two-sided Mann-Whitney U test of x against y, normal approximation.
 *
 * With n = n1 + n2 and t_k the sizes of the groups of tied values: U1 = R1 − n1(n1 + 1)/2 (R1 the
 * sum of x's mid-ranks in the pooled sample), mean n1·n2/2, standard deviation
 * √(n1·n2/12 · ((n + 1) − Σ(t_k³ − t_k) / (n(n − 1)))), z = (|U1 − mean| − 0.5) / sd (floored
 * at 0) with the sign of U1 − mean, and p = erfc(|z| / √2). The approximation is meant for
 * samples of about 10 values each or more; it is what a comparison of timings (hundreds of ops)
 * needs. O(n log n).
 *
 * @param x first sample, any order, any unit (the same unit as y); not mutated.
 * @param y second sample.
 * @throws RangeError when a sample is empty or holds a non-finite value.
 */
export function mannWhitneyU(x: ArrayLike<number>, y: ArrayLike<number>): MannWhitney {
  checkedSample(x, 'x');
  checkedSample(y, 'y');
  const n1 = x.length;
  const n2 = y.length;
  const n = n1 + n2;
  const pooled = new Float64Array(n);
  for (let i = 0; i < n1; i++) pooled[i] = x[i] ?? NaN;
  for (let i = 0; i < n2; i++) pooled[n1 + i] = y[i] ?? NaN;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (pooled[a] ?? 0) - (pooled[b] ?? 0));
  let rankSumX = 0;
  let tieTerm = 0;
  for (let start = 0; start < n;) {
    const value = pooled[order[start] ?? 0];
    let end = start + 1;
    while (end < n && pooled[order[end] ?? 0] === value) end++;
    // Positions start..end-1 hold ranks start+1..end: each gets their mean.
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if ((order[k] ?? 0) < n1) rankSumX += midRank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const deviation = u - (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, pValue: 1 };
  const magnitude = Math.max(0, Math.abs(deviation) - 0.5) / Math.sqrt(variance);
  const z = deviation < 0 && magnitude > 0 ? -magnitude : magnitude;
  return { u, z, pValue: twoSidedNormalP(z) };
}
