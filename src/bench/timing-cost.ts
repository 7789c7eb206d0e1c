/**
 * The cost of timing, as the bench reads it (issue 22): what a timed op (its pass writing GPU
 * timestamps; for an op module, with wgprof's instrumentation active too) costs over an untimed
 * one. Pure arithmetic over what `wgprof profile --json` and the yardstick's bare program report;
 * the rows (rows/timing-cost.ts, rows/yardstick.ts) run them.
 */
import type { ProfileResult } from '../results/result-types.js';
import { bootstrapMedianCi, median, sortedCopy } from '../statistics/index.js';
import type { Figure } from './bench-types.js';
import { pairedRatio } from './paired-ratio.js';

type ProfileRun = ProfileResult['runs'][number];

/** A value with its 95% CI, in one unit. */
export interface Interval {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/** One scenario's cost of timing, as wgprof measured it on its own run. */
export interface OpCost {
  /** A timed op's median total minus an untimed op's, ns, with wgprof's hierarchical 95% CI. */
  readonly costNs: Interval;
  /** The untimed op's median total, ns: what the share is of (wgprof's own denominator). */
  readonly untimedNs: number;
  /**
   * The cost over the untimed op's median total, as a fraction. Its CI is the cost's CI over the
   * same median: the median's own uncertainty is not in it.
   */
  readonly share: Interval;
  /** A timed op's total over an untimed op's: 1 + share. */
  readonly ratio: Interval;
  /** The timed ops' median GPU time, ns; NaN without one. */
  readonly gpuNs: number;
  readonly timedOps: number;
  readonly untimedOps: number;
  /** Measuring processes the figures pool (1 for a run without replicates). */
  readonly replicates: number;
}

/**
 * The cost of timing of one profiled scenario, from its `timing` summary; undefined when the run
 * has none (results from before sampling, or too few ops of either kind: the device without
 * timestamp-query times none).
 */
export function opCost(run: ProfileRun): OpCost | undefined {
  const timing = run.timing;
  const cost = timing?.costNs;
  if (!timing || !cost) return undefined;
  // wgprof's costShare is the cost over its untimed median; without it (a cost of exactly 0) the
  // untimed median total of the summary stands in.
  const untimedNs =
    timing.costShare !== undefined && timing.costShare !== 0 && cost.estimate !== 0
      ? cost.estimate / timing.costShare
      : (run.summary.total?.median ?? Number.NaN);
  const share = {
    value: cost.estimate / untimedNs,
    low: cost.low / untimedNs,
    high: cost.high / untimedNs,
  };
  return {
    costNs: { value: cost.estimate, low: cost.low, high: cost.high },
    untimedNs,
    share,
    ratio: { value: 1 + share.value, low: 1 + share.low, high: 1 + share.high },
    gpuNs: run.summary.kernelGpu?.median ?? Number.NaN,
    timedOps: timing.timedOps,
    untimedOps: timing.untimedOps,
    replicates: run.replicates?.length ?? 1,
  };
}

/**
 * The cost of timing per pass of an op module, from its cost at `fewer` passes and at `more`:
 * (cost(more) - cost(fewer)) / (more - fewer), ns. The two costs come from two separate runs, so
 * their errors are independent; the CI takes the far ends of both CIs, (more.low - fewer.high) and
 * (more.high - fewer.low) over the pass difference: its half-width is the sum of theirs, not the
 * root of the sum of their squares, so it is wider than a 95% interval of the difference needs
 * to be (conservative), and asks for no resampling of the runs' ops.
 */
export function perPassCost(
  fewer: Interval,
  more: Interval,
  fewerPasses: number,
  morePasses: number,
): Interval {
  const passes = morePasses - fewerPasses;
  if (!(passes > 0))
    throw new RangeError(`perPassCost: ${morePasses} passes is not more than ${fewerPasses}`);
  return {
    value: (more.value - fewer.value) / passes,
    low: (more.low - fewer.high) / passes,
    high: (more.high - fewer.low) / passes,
  };
}

/** An interval as a bench figure in `unit`. */
export function intervalFigure(interval: Interval, unit: Figure['unit']): Figure {
  return { value: interval.value, unit, low: interval.low, high: interval.high };
}

/**
 * The cost of timing of two programs over pairs of processes (the yardstick's: one wgprof and
 * one bare process side by side): each side's median of its processes' costs; wgprof - bare as
 * the median of the pairs' own differences, with a percentile-bootstrap 95% CI; and wgprof / bare
 * as the median of the pairs' own ratios with its CI, over the pairs whose bare cost is above 0
 * (a cost can come out at or below 0 in a noisy process: a ratio of it means nothing).
 */
export interface PairedCost {
  /** Pairs with a cost on both sides. */
  readonly pairs: number;
  readonly wgprofNs: number;
  readonly bareNs: number;
  readonly differenceNs: Interval;
  readonly ratio?: Interval;
}

/** Pairs missing a cost on either side are left out; undefined when none is left. */
export function pairedCost(
  wgprof: readonly (number | null | undefined)[],
  bare: readonly (number | null | undefined)[],
): PairedCost | undefined {
  const kept = wgprof.flatMap((w, i) => {
    const b = bare[i];
    return typeof w === 'number' && typeof b === 'number' && Number.isFinite(w) && Number.isFinite(b)
      ? [[w, b] as const]
      : [];
  });
  if (kept.length === 0) return undefined;
  const differences = sortedCopy(kept.map(([w, b]) => w - b));
  const ci = bootstrapMedianCi(differences);
  const ratio = pairedRatio(
    kept.map(([w]) => w),
    kept.map(([, b]) => b),
  );
  return {
    pairs: kept.length,
    wgprofNs: median(kept.map(([w]) => w)),
    bareNs: median(kept.map(([, b]) => b)),
    differenceNs: { value: median(differences), low: ci.low, high: ci.high },
    ...(ratio ? { ratio: { value: ratio.ratio, low: ratio.low, high: ratio.high } } : {}),
  };
}
