import { markdownTable } from 'markdown-table';
import type { ProfileResult } from '../results/result-types.js';
import { formatIn, formatNumber, formatPercent, unitFor } from './units.js';

/** Measured throughput against Little's law beyond this relative gap is flagged. */
export const LITTLE_TOLERANCE = 0.15;

export interface PoolSweepRow {
  readonly size: number;
  readonly opsPerSecond: number;
  readonly medianLatencyNs: number;
  readonly meanLatencyNs: number;
  /** Little's law: throughput = ops in flight / mean latency. */
  readonly predictedOpsPerSecond: number;
  /** measured / predicted - 1. */
  readonly gap: number;
  readonly holds: boolean;
}

/**
 * Latency and throughput per pool size, checked against Little's law. A pool that kept its N
 * ops in flight satisfies it; a gap means ops waited outside the measured latency (the main
 * thread could not keep the pool fed) or the pool's threads fought over the CPU.
 */
export function poolSweepRows(result: ProfileResult): PoolSweepRow[] {
  return result.runs
    .filter((r) => r.strategy === 'pool' && r.summary.total)
    .map((r) => {
      const mean = r.summary.total?.mean ?? NaN;
      const predicted = r.concurrency / (mean / 1e9);
      const gap = r.opsPerSecond / predicted - 1;
      return {
        size: r.concurrency,
        opsPerSecond: r.opsPerSecond,
        medianLatencyNs: r.summary.total?.median ?? NaN,
        meanLatencyNs: mean,
        predictedOpsPerSecond: predicted,
        gap,
        holds: Math.abs(gap) <= LITTLE_TOLERANCE,
      };
    });
}

export function poolSweepTable(rows: readonly PoolSweepRow[]): string {
  const unit = unitFor(Math.min(...rows.map((r) => r.medianLatencyNs)));
  const u = unit.label;
  return markdownTable(
    [
      [
        'Pool size',
        'ops/s',
        `p50 latency [${u}]`,
        `mean latency [${u}]`,
        "Little's law ops/s",
        'Gap',
        'Check',
      ],
      ...rows.map((r) => [
        String(r.size),
        formatNumber(r.opsPerSecond),
        formatIn(r.medianLatencyNs, unit),
        formatIn(r.meanLatencyNs, unit),
        formatNumber(r.predictedOpsPerSecond),
        formatPercent(r.gap),
        r.holds ? 'holds' : 'FLAG: throughput and latency disagree',
      ]),
    ],
    { align: ['r', 'r', 'r', 'r', 'r', 'r', 'l'] },
  );
}
