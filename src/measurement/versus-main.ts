import { bootstrapRatioCi } from '../statistics/index.js';

/**
 * Within this share of main's speed, either way, a difference is called negligible even when its
 * CI excludes none: the guidance's "fine to use", and the band a verdict settles against.
 */
export const NEGLIGIBLE_SHARE = 0.05;

/** A scenario's throughput relative to main's: above 1 is faster. With its 95% CI. */
export interface Speedup {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly level: number;
  /**
   * Where a rerun of the same profile would put its estimate, at the same level: the CI's reach
   * times sqrt(2) (statistics/rerun-interval.ts). Only with two replicates or more, whose spread
   * the CI carries; absent in results written before it.
   */
  readonly rerun?: { readonly low: number; readonly high: number };
}

/**
 * Speed relative to main from per-op latencies: concurrency x median(main) / median(scenario),
 * which for one op in flight is the ratio of throughputs (by Little's law it stays so for a pool,
 * as long as it keeps its ops in flight). The CI resamples both samples independently.
 */
export function speedupVersusMain(
  mainTotals: ArrayLike<number>,
  totals: ArrayLike<number>,
  concurrency: number,
): Speedup | undefined {
  if (mainTotals.length === 0 || totals.length === 0) return undefined;
  return speedupOf(bootstrapRatioCi(mainTotals, totals), concurrency);
}

/** A CI of median(main) / median(scenario) as a speed: times the ops the scenario keeps in flight. */
export function speedupOf(
  ratio: { readonly estimate: number; readonly low: number; readonly high: number; readonly level: number },
  concurrency: number,
): Speedup {
  return {
    estimate: ratio.estimate * concurrency,
    low: ratio.low * concurrency,
    high: ratio.high * concurrency,
    level: ratio.level,
  };
}
