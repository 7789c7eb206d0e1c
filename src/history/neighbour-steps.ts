import { compareRunSets } from '../compare/compare-run-sets.js';
import type { Comparison } from '../compare/compare-results.js';
import type { ProfileResult, StrategyResult } from '../results/result-types.js';
import type { HistoryStep } from './history-types.js';

/**
 * The result with each scenario's summary cut down to its total: compare then judges the one
 * figure a history follows, and spends no bootstrap on the phases it would not print.
 */
export function totalsOnly(result: ProfileResult): ProfileResult {
  return {
    ...result,
    runs: result.runs.map((run): StrategyResult => ({
      ...run,
      summary: run.summary.total === undefined ? {} : { total: run.summary.total },
    })),
  };
}

/** The step of a scenario (its label) from run `from` to run `to` of a group, 0-based indices. */
export type StepOf = (from: number, to: number, scenario: string) => HistoryStep;

/**
 * Compares two runs of one group as `wgprof compare PREVIOUS NEXT` does (replicate against
 * replicate where both ran replicates, else op against op), on the totals only, and answers the
 * step of any scenario from it. Each pair is compared once, however many scenarios ask.
 */
export function neighbourSteps(results: readonly ProfileResult[], threshold: number): StepOf {
  const comparisons = new Map<string, Comparison>();
  const compared = (from: number, to: number): Comparison => {
    const key = `${from}:${to}`;
    let comparison = comparisons.get(key);
    if (!comparison) {
      const base = results[from];
      const next = results[to];
      if (!base || !next) throw new RangeError(`no run ${from} or ${to} in this group`);
      // The order-statistic sampler draws compare's own bootstrap distribution at a cost that does
      // not grow with the ops: 1,000 results of 5 scenarios without replicates took 9.05 s with
      // resamples drawn literally, 7.8 s of it the bootstrap.
      comparison = compareRunSets([totalsOnly(base)], [totalsOnly(next)], {
        threshold,
        sampler: 'order-statistic',
      });
      comparisons.set(key, comparison);
    }
    return comparison;
  };
  return (from, to, scenario) => {
    const comparison = compared(from, to);
    const fromRun = from + 1;
    const found = comparison.scenarios.find((s) => s.label === scenario);
    const total = found?.metrics.find((m) => m.key === 'total');
    if (total) {
      return {
        fromRun,
        method: comparison.method,
        change: total.change,
        changeCi: total.changeCi,
        verdict: total.verdict,
      };
    }
    const why = found?.skipped.find((s) => s.key === 'total')?.reason;
    return { fromRun, notCompared: why ?? 'the total is missing from one of the two runs' };
  };
}
