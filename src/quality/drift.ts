import { isSteadyOp } from '../measurement/steady-state.js';
import type { StrategyResult } from '../results/result-types.js';
import { fitLine, median } from '../statistics/index.js';

/** Fewest rounds a trend is fitted through: with fewer, a line's CI says nothing. */
export const MIN_DRIFT_ROUNDS = 4;

/**
 * The median total of each round of a scenario's steady ops, in round order. The rounds run
 * `chunk` ops of each scenario in turn, and a scenario's steady ops are stored in the order they
 * ran, so its ops fall into rounds by their position: the first `chunk` are round 1, and so on.
 * Failed ops keep their place but give no value; a round with under half its ops ok is left out.
 */
export function roundMedians(run: StrategyResult, chunk: number): number[] {
  const { totalNs, cold, failures } = run.records;
  const colds = new Set(cold);
  const failed = new Set(failures.map((f) => f.index));
  const rounds: number[][] = [];
  let position = 0;
  totalNs.forEach((value, index) => {
    if (!isSteadyOp(colds.has(index), run.everyOpCold)) return;
    const round = Math.floor(position++ / chunk);
    rounds[round] ??= [];
    if (value !== null && !failed.has(index)) rounds[round].push(value);
  });
  return rounds.filter((values) => values.length >= chunk / 2).map(median);
}

/** A straight line through per-round medians: how far the baseline moved over the run. */
export interface Drift {
  readonly rounds: number;
  /** The line's value at the first and at the last round, ns. */
  readonly first: number;
  readonly last: number;
  /** (last - first) / the median of the round medians: the change over the run, as a share. */
  readonly change: number;
  /** 95% CI of the line's slope, ns per round. */
  readonly slopeCi: readonly [number, number];
}

/** The trend of per-round medians (least squares over the round index); undefined when too few. */
export function fitDrift(medians: readonly number[]): Drift | undefined {
  if (medians.length < MIN_DRIFT_ROUNDS) return undefined;
  const fit = fitLine(
    medians.map((_, i) => i),
    medians,
  );
  const first = fit.intercept;
  const last = fit.intercept + fit.slope * (medians.length - 1);
  return {
    rounds: medians.length,
    first,
    last,
    change: (last - first) / median(medians),
    slopeCi: fit.slopeCi,
  };
}

/**
 * Drift beyond noise: the slope's CI excludes zero (the round-to-round scatter cannot explain it)
 * and the line moves by more than `share` of the median over the run (enough to matter at the
 * precision the run aimed for).
 */
export function isDrift(drift: Drift, share: number): boolean {
  const [low, high] = drift.slopeCi;
  return (low > 0 || high < 0) && Math.abs(drift.change) > share;
}
