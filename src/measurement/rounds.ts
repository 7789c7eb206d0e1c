import type { Strategy } from '../strategies/strategy.js';
import { summarize } from '../statistics/index.js';
import { steadyValues, steadyCount } from './run-summary.js';

/** What ends a run: a fixed op count, every median known to --max-noise, or the time budget. */
export type StopReason = 'ops' | 'noise' | 'time-budget' | 'device-lost' | 'interrupted';

export interface RoundsPlan {
  /** Timed ops per strategy; when set, the run stops there and noise is not consulted. */
  readonly ops?: number;
  /** The 95% CI half-width of the median of `total`, as a share of the median. */
  readonly maxNoise: number;
  readonly timeBudgetMs: number;
  /** Ops per strategy per round. */
  readonly chunk: number;
  /** Fewest warm ops per strategy before noise may stop the run. */
  readonly minOps: number;
}

export interface RoundsOutcome {
  readonly rounds: number;
  readonly stoppedBy: StopReason;
  readonly elapsedMs: number;
}

/** The relative half-width of the CI of the median of a strategy's steady-state totals. */
export function noiseOf(strategy: Strategy): number {
  const warm = steadyValues(strategy.store.totalsNs, strategy.store);
  if (warm.length < 2) return Number.POSITIVE_INFINITY;
  const s = summarize(warm);
  return (s.medianCi.high - s.medianCi.low) / 2 / s.median;
}

/**
 * Runs the strategies interleaved, a chunk each per round (main, fresh, reused, ... then again),
 * so that drift on a noisy machine falls on all of them alike and ratios taken within the run
 * stay fair. Stops at the fixed op count, or when every strategy's median is precise enough,
 * or when the time budget is spent, whichever comes first.
 */
export async function runRounds(
  strategies: readonly Strategy[],
  plan: RoundsPlan,
  onChunk?: (label: string, round: number, done: number) => void,
  shouldStop: () => boolean = () => false,
): Promise<RoundsOutcome> {
  const started = Date.now();
  const elapsed = (): number => Date.now() - started;
  const timed = (s: Strategy): number => steadyCount(s.store);
  let rounds = 0;
  for (;;) {
    rounds++;
    for (const strategy of strategies) {
      if (strategy.lost) continue;
      const left = plan.ops === undefined ? plan.chunk : Math.min(plan.chunk, plan.ops - timed(strategy));
      if (left <= 0) continue;
      if (shouldStop()) return { rounds, stoppedBy: 'interrupted', elapsedMs: elapsed() };
      onChunk?.(strategy.scenario.label, rounds, timed(strategy));
      await strategy.runChunk(left);
    }
    const done = Math.min(...strategies.map(timed));
    if (strategies.some((s) => s.lost)) return { rounds, stoppedBy: 'device-lost', elapsedMs: elapsed() };
    if (plan.ops !== undefined) {
      if (strategies.every((s) => timed(s) >= (plan.ops ?? 0)))
        return { rounds, stoppedBy: 'ops', elapsedMs: elapsed() };
    } else if (done >= plan.minOps && strategies.every((s) => noiseOf(s) <= plan.maxNoise)) {
      return { rounds, stoppedBy: 'noise', elapsedMs: elapsed() };
    }
    if (elapsed() >= plan.timeBudgetMs) return { rounds, stoppedBy: 'time-budget', elapsedMs: elapsed() };
  }
}
