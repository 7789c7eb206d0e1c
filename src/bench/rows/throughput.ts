import { runRounds } from '../../measurement/rounds.js';
import { steadyCount } from '../../measurement/steady-state.js';
import type { Strategy } from '../../strategies/strategy.js';
import { benchStrategies, closeAll, NOOP_OP, openBenchGpu } from '../bench-gpu.js';
import type { BenchPlan } from '../bench-plan.js';
import type { CompletedRow } from '../bench-types.js';
import { medianFigure, ratioFigure } from '../figures.js';
import { completedRow } from '../verdict.js';

/** A strategy that also keeps each chunk's throughput: its ops over the meter's wall time for them. */
function keepingRates(strategy: Strategy, rates: number[]): Strategy {
  return {
    scenario: strategy.scenario,
    store: strategy.store,
    meter: strategy.meter,
    get threadCpuNs() {
      return strategy.threadCpuNs;
    },
    get lost() {
      return strategy.lost;
    },
    start: () => strategy.start(),
    close: () => strategy.close(),
    async runChunk(ops) {
      const wallBefore = strategy.meter.wallNs;
      const countBefore = strategy.store.count;
      await strategy.runChunk(ops);
      const wallNs = strategy.meter.wallNs - wallBefore;
      if (wallNs > 0) rates.push(((strategy.store.count - countBefore) * 1e9) / wallNs);
    },
  };
}

/**
 * Row 3: ops/s of `persistent` and `pool` (size 1) against `main` on the noop op, with wgprof's
 * real strategies and rounds scheduler (chunks of 20 ops, interleaved). Each chunk's throughput is
 * one sample, measured as wgprof's own ops/s is (the strategy's chunk meter).
 */
export async function throughputRows(plan: BenchPlan): Promise<CompletedRow[]> {
  const bench = await openBenchGpu({ ...NOOP_OP, strategy: 'main,pool,persistent', poolSize: '1' });
  const strategies = benchStrategies(bench);
  try {
    for (const strategy of strategies) await strategy.start();
    const rates = strategies.map(() => [] as number[]);
    const wrapped = strategies.map((s, k) => keepingRates(s, rates[k] ?? []));
    const { config } = bench.context;
    const outcome = await runRounds(wrapped, {
      count: plan.throughput.ops,
      maxNoise: 0,
      timeBudgetMs: Number.POSITIVE_INFINITY,
      chunk: config.chunk,
      minCount: 0,
    });
    const rateOf = (label: string): number[] =>
      rates[strategies.findIndex((s) => s.scenario.label === label)] ?? [];
    const main = rateOf('main');
    const overall = Object.fromEntries(
      strategies.map((s) => [s.scenario.label, (steadyCount(s.store) * 1e9) / Math.max(1, s.meter.wallNs)]),
    );
    const row = (id: string, label: string, why: string): CompletedRow => {
      const ratio = ratioFigure(rateOf(label), main);
      return completedRow({
        id,
        measure: `throughput: ${label} vs main, ops/s on noop`,
        wgprof: medianFigure(rateOf(label), 'ops/s'),
        baseline: medianFigure(main, 'ops/s'),
        ratio,
        target: { text: '>= 0.95x', direction: 'at-least', limit: 0.95, checked: ratio },
        note:
          `median ops/s of ${rateOf(label).length} chunks of ${config.chunk} ops per strategy, ` +
          `${outcome.rounds} interleaved rounds in ${(outcome.elapsedMs / 1000).toFixed(1)} s (runRounds). ${why}`,
        details: {
          overallOpsPerSecond: overall,
          rounds: outcome.rounds,
          opsPerStrategy: plan.throughput.ops,
        },
      });
    };
    return [
      row(
        '3a',
        'persistent',
        'The persistent worker runs the op loop itself: one message per chunk, not per op.',
      ),
      row(
        '3b',
        'pool/1',
        'With one op in flight each op waits for its handoff as well (row 2h), so ops/s is 1 / (op + handoff).',
      ),
    ];
  } finally {
    await closeAll(strategies, bench);
  }
}
