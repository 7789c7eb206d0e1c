import { hierarchicalDifferenceCi, median } from '../statistics/index.js';
import { formatGpuTime, type GpuTimePlan } from '../config/gpu-time.js';
import { judgeTimestamps, type TimestampHealth } from '../device/timestamp-check.js';

/**
 * What timing cost, and what the run's figures are of: the other half of the rule in
 * timing-filter.ts. Timed and untimed ops alternate in the same threads and processes, so the
 * difference of their totals is what writing the timestamps (and, for an op module, the
 * instrumentation's patches) added to each timed op: measured, not assumed, on every run.
 */

/** A timed op's total minus an untimed op's (medians), ns, with its CI. */
export interface TimingCost {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly level: number;
}

export interface TimingSummary {
  /** --gpu-time as given back: sample, 1/N, every or none. */
  readonly gpuTime: string;
  /** Steady ops that ended ok and wrote timestamps. */
  readonly timedOps: number;
  /** Steady ops that ended ok and wrote none: the CPU-side figures' ops. */
  readonly untimedOps: number;
  /**
   * What the CPU-side figures (phases, total, ops/s, vs main) are of: `untimed` ops, as the
   * user's program runs them; or `all` ops, timing included (every op was timed).
   */
  readonly figuresOf: 'untimed' | 'all';
  /** What a timed op cost over an untimed one; absent without enough of both. */
  readonly costNs?: TimingCost;
  /** The cost as a share of the untimed op's median total. */
  readonly costShare?: number;
  /** How the timestamp readings went, and whether the run's GPU times are figures at all. */
  readonly timestamps: TimestampHealth & { readonly trusted: boolean; readonly reason?: string };
}

/** A scenario (or a measured row) and its timing: what the warnings and the timing line read. */
export interface Timed {
  readonly label: string;
  readonly timing?: TimingSummary;
}

/** Ops on each side below which the cost of timing is not estimated. */
export const MIN_COST_OPS = 5;

/**
 * The timing summary of a scenario from its ops' totals split by timing, grouped by replicate
 * (one group for one process): the cost's CI resamples the replicates, then the ops in each.
 */
export function timingSummary(
  plan: GpuTimePlan,
  untimed: readonly (readonly number[])[],
  timed: readonly (readonly number[])[],
  health: TimestampHealth,
): TimingSummary {
  const untimedOps = untimed.reduce((n, g) => n + g.length, 0);
  const timedOps = timed.reduce((n, g) => n + g.length, 0);
  const verdict = judgeTimestamps(health);
  const base = {
    gpuTime: formatGpuTime(plan),
    timedOps,
    untimedOps,
    figuresOf: plan.mode === 'every' ? ('all' as const) : ('untimed' as const),
    timestamps: {
      ...health,
      trusted: verdict.trusted,
      ...(verdict.reason === undefined ? {} : { reason: verdict.reason }),
    },
  };
  // Each replicate's timed ops against its own untimed ops: a replicate with only one kind (a few
  // ops, all inside one block) pairs with nothing.
  const paired = timed
    .map((t, i) => [t, untimed[i] ?? []] as const)
    .filter(([t, u]) => t.length > 0 && u.length > 0);
  const count = (side: 0 | 1): number => paired.reduce((n, pair) => n + pair[side].length, 0);
  if (count(0) < MIN_COST_OPS || count(1) < MIN_COST_OPS) return base;
  const ci = hierarchicalDifferenceCi(
    paired.map(([t]) => t),
    paired.map(([, u]) => u),
  );
  const untimedMedian = median(untimed.flat());
  return {
    ...base,
    costNs: { estimate: ci.estimate, low: ci.low, high: ci.high, level: ci.level },
    ...(Number.isFinite(untimedMedian) && untimedMedian > 0
      ? { costShare: ci.estimate / untimedMedian }
      : {}),
  };
}

/** True when the cost's CI excludes zero: timing changed the op beyond the noise. */
export function costBeyondNoise(timing: TimingSummary | undefined): boolean {
  const c = timing?.costNs;
  return c !== undefined && (c.low > 0 || c.high < 0);
}

/**
 * The wall time that belongs to the untimed ops, as their share of the ops' summed time: timed
 * ops take longer, so `ok / wall` would count their cost in ops/s. 1 when none was timed.
 */
export function untimedWallShare(
  untimedTotals: readonly number[],
  timedTotals: readonly number[],
  settleTotals: readonly number[] = [],
): number {
  const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
  const u = sum(untimedTotals);
  const all = u + sum(timedTotals) + sum(settleTotals);
  return all > 0 && untimedTotals.length > 0 ? u / all : 1;
}

/** Ops per second of the untimed ops: their count over their share of the wall time. */
export function untimedOpsPerSecond(
  wallNs: number,
  untimedTotals: readonly number[],
  timedTotals: readonly number[],
  okOps: number,
  settleTotals: readonly number[] = [],
): number {
  if (wallNs <= 0) return 0;
  if (untimedTotals.length === 0) return okOps / (wallNs / 1e9);
  const share = untimedWallShare(untimedTotals, timedTotals, settleTotals);
  return untimedTotals.length / ((wallNs * share) / 1e9);
}
