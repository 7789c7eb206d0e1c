import { bootstrapMedianCi, median, sortedCopy } from '../statistics/index.js';

/**
 * The ratio of two sides measured in pairs (two processes side by side, two runs back to back):
 * the median of the pairs' own ratios, each taken within its pair, where both sides met the
 * machine in the same state, with a percentile-bootstrap 95% CI of that median. Pairs with a
 * value missing on either side, or a denominator of 0, are left out.
 */
export interface PairedRatio {
  /** The kept pairs' two sides, in pair order. */
  readonly numerators: readonly number[];
  readonly denominators: readonly number[];
  /** Each kept pair's numerator / denominator. */
  readonly ratios: readonly number[];
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
}

/** `numerators[i] / denominators[i]` over the pairs; undefined when no pair has both sides. */
export function pairedRatio(
  numerators: readonly (number | undefined)[],
  denominators: readonly (number | undefined)[],
): PairedRatio | undefined {
  const kept = numerators.flatMap((n, i) => {
    const d = denominators[i];
    return n !== undefined && d !== undefined && Number.isFinite(n) && Number.isFinite(d) && d > 0
      ? [[n, d] as const]
      : [];
  });
  if (kept.length === 0) return undefined;
  const ratios = kept.map(([n, d]) => n / d);
  const ci = bootstrapMedianCi(sortedCopy(ratios));
  return {
    numerators: kept.map(([n]) => n),
    denominators: kept.map(([, d]) => d),
    ratios,
    ratio: median(ratios),
    low: ci.low,
    high: ci.high,
  };
}
