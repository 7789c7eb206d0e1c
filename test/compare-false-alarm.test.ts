import { beforeAll, describe, expect, it } from 'vitest';
import { compareResults, type Comparison } from '../src/compare/compare-results.js';
import type { Phase } from '../src/op/phases.js';
import type { ProfileResult, StrategyResult } from '../src/results/result-types.js';
import { createRng, type Rng } from '../src/statistics/index.js';
import { runCli } from './support/cli.js';

const PAIRS = 200;

/** A copy of `run` holding only the ops at `indices`, every value times `factor`; all of them steady and ok. */
function subset(run: StrategyResult, indices: readonly number[], factor = 1): StrategyResult {
  const pick = (column: readonly (number | null)[]): (number | null)[] =>
    indices.map((i) => {
      const value = column[i] ?? null;
      return value === null ? null : value * factor;
    });
  const phases: Partial<Record<Phase, (number | null)[]>> = {};
  for (const [phase, column] of Object.entries(run.records.phases)) phases[phase as Phase] = pick(column);
  return {
    ...run,
    everyOpCold: false,
    // The summaries are kept as they are: compareResults reads only which keys they have.
    records: {
      originNs: run.records.originNs,
      startNs: indices.map((i) => run.records.startNs[i] ?? 0),
      totalNs: pick(run.records.totalNs),
      phases,
      cold: [],
      failures: [],
    },
  };
}

/** Fisher-Yates on a copy. */
function shuffled(values: readonly number[], rng: Rng): number[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [out[i], out[j]] = [out[j] ?? 0, out[i] ?? 0];
  }
  return out;
}

describe("compare's false alarms, measured on A/A pairs from one real run", () => {
  let real: ProfileResult;
  let main: StrategyResult;
  let steady: number[];

  beforeAll(() => {
    const run = runCli([
      'profile',
      ...['--strategy', 'main', '--kernel', 'noop', '--size', '1K', '--ops', '400', '--warmup', '20'],
      ...['--json', '--no-save'],
    ]);
    expect(run.status, run.stderr).toBe(0);
    real = JSON.parse(run.stdout) as ProfileResult;
    const first = real.runs[0];
    if (!first) throw new Error('the profile run has no scenario');
    main = first;
    const failed = new Set(main.records.failures.map((f) => f.index));
    const cold = new Set(main.records.cold);
    steady = main.records.totalNs.flatMap((v, i) =>
      v !== null && !failed.has(i) && !cold.has(i) ? [i] : [],
    );
  });

  /** Compares PAIRS random disjoint halves of the run's steady ops, the second half's values times `factor`. */
  function pairs(factor: number, seed: number): Comparison[] {
    const rng = createRng(seed);
    const withRun = (run: StrategyResult): ProfileResult => ({ ...real, runs: [run] });
    return Array.from({ length: PAIRS }, () => {
      const order = shuffled(steady, rng);
      const half = order.length >> 1;
      const a = subset(
        main,
        order.slice(0, half).sort((x, y) => x - y),
      );
      const b = subset(
        main,
        order.slice(half, 2 * half).sort((x, y) => x - y),
        factor,
      );
      return compareResults(withRun(a), withRun(b), { threshold: 0.05 });
    });
  }

  it('calls a regression in at most 5% of A/A pairs (random halves of the same ops)', () => {
    expect(steady.length).toBeGreaterThanOrEqual(390);
    const comparisons = pairs(1, 20261124);
    const flagged = comparisons.filter((c) => c.counts.regression > 0).length;
    const metrics = comparisons.reduce((n, c) => n + c.scenarios.flatMap((s) => s.metrics).length, 0);
    const regressions = comparisons.reduce((n, c) => n + c.counts.regression, 0);
    const totalFlagged = comparisons.filter((c) =>
      c.scenarios.some((s) => s.metrics.some((m) => m.key === 'total' && m.verdict === 'regression')),
    ).length;
    console.info(
      `A/A false alarms: ${flagged}/${PAIRS} pairs with any regression (${((100 * flagged) / PAIRS).toFixed(1)}%), ` +
        `${totalFlagged}/${PAIRS} on the total, ${regressions}/${metrics} phase comparisons`,
    );
    expect(flagged / PAIRS).toBeLessThanOrEqual(0.05);
  });

  it('does call a regression when one half is made twice as slow (the check above is not vacuous)', () => {
    const comparisons = pairs(2, 7);
    const detected = comparisons.filter((c) =>
      c.scenarios.some((s) => s.metrics.some((m) => m.key === 'total' && m.verdict === 'regression')),
    ).length;
    console.info(`2x slowdown: total called a regression in ${detected}/${PAIRS} pairs`);
    expect(detected / PAIRS).toBeGreaterThanOrEqual(0.9);
  });
});
