import { bootstrapRatioCi } from '../statistics/index.js';

/**
 * Within this share of main's speed, either way, a difference is called negligible even when its
 * CI excludes none: the guidance's "fine to use", and the band a verdict settles against.
 */
export const NEGLIGIBLE_SHARE = 0.05;

/** Above this share of main's throughput lost, a pattern is not for per-op work (the guidance's "avoid"). */
export const AVOID_SHARE = 0.5;

/**
 * Whether a scenario's verdict is settled, from its speed relative to main: the whole CI of the
 * share of main's throughput it loses (1 - speed) lies in one verdict's region, so that more ops
 * could narrow it but not move it to another word. Regions: faster below -NEGLIGIBLE_SHARE; fine
 * within ±NEGLIGIBLE_SHARE (inside the band); costs from there to AVOID_SHARE; avoid above (a
 * fresh worker per op: avoid anywhere above the band, its start being most of each op). A CI that
 * straddles an edge is not settled.
 */
export function verdictSettled(
  speed: { readonly low: number; readonly high: number },
  everyOpCold: boolean,
): boolean {
  const [low, high] = [1 - speed.high, 1 - speed.low];
  const band = NEGLIGIBLE_SHARE;
  if (high < -band) return true;
  if (low >= -band && high <= band) return true;
  if (low > band && everyOpCold) return true;
  if (low > band && high < AVOID_SHARE) return true;
  return low >= AVOID_SHARE;
}

/**
 * Whether a verdict that is not settled could be, with `more` replicates beside the `groups` it
 * has: its CI's reach from the estimate, each side, shrunk by sqrt(groups / (groups + more)) (the
 * spread between replicates dominates a profile's CI, and shrinks as the square root of their
 * number), must fit in one verdict's region. An estimate a few percent from an edge, with
 * replicates far apart, cannot settle in the rounds a budget has left: running them would only
 * spend the budget on the same "undecided".
 */
export function couldSettle(
  speed: { readonly estimate: number; readonly low: number; readonly high: number },
  groups: number,
  more: number,
  everyOpCold: boolean,
): boolean {
  if (verdictSettled(speed, everyOpCold)) return true;
  if (more <= 0 || groups < 1) return false;
  const shrink = Math.sqrt(groups / (groups + more));
  const projected = {
    low: speed.estimate - shrink * (speed.estimate - speed.low),
    high: speed.estimate + shrink * (speed.high - speed.estimate),
  };
  return verdictSettled(projected, everyOpCold);
}

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
