import { markdownTable } from 'markdown-table';
import { breakdownFloorLine, floorSentence } from './floor-words.js';
import type { AttributionItem } from '../experiments/attribution.js';
import type { ComponentRow } from '../experiments/experiment.js';
import type { BreakdownResult } from '../results/result-types.js';
import { runHeaderLines } from './phase-table.js';
import { qualitySection } from './quality-section.js';
import { formatIn, formatNumber, formatPercent, unitFor, type TimeUnit } from './units.js';

/** One unit per table, from its fastest row. */
export function tableUnit(rows: readonly ComponentRow[]): TimeUnit {
  return unitFor(Math.min(...rows.map((r) => r.summary?.median ?? Number.POSITIVE_INFINITY)));
}

/** Component | where | median | 95% CI | capacity | share: one measured row per component. */
export function componentTable(rows: readonly ComponentRow[], unit: TimeUnit, whole?: number): string {
  const u = unit.label;
  const header = ['Component', 'Where', `Median [${u}]`, `95% CI [${u}]`, 'Capacity (ops/s)', 'n'];
  if (whole !== undefined) header.push('Share of fresh-worker op');
  const body = rows.map((r) => {
    const s = r.summary;
    const cells = [
      r.label,
      r.where === 'worker' ? 'fresh worker' : 'main, warm device',
      formatIn(s?.median, unit),
      s ? `${formatIn(s.medianCi.low, unit)} - ${formatIn(s.medianCi.high, unit)}` : (r.failures[0] ?? '-'),
      r.capacityPerSecond === undefined ? '-' : formatNumber(r.capacityPerSecond),
      String(s?.n ?? 0),
    ];
    if (whole !== undefined) cells.push(s ? formatPercent(s.median / whole) : '-');
    return cells;
  });
  return markdownTable([header, ...body], { align: ['l', 'l', ...header.slice(2).map(() => 'r' as const)] });
}

/** "Of the fresh-worker op's 96 ms: worker create and join 3.1%, loading dawn.node 30%, ...". */
export function attributionLine(items: readonly AttributionItem[], unit: TimeUnit): string {
  if (items.length === 0) return 'No attribution: a worker row has no measurement.';
  const total = items.reduce((a, b) => a + b.ns, 0);
  const parts = items.map(
    (i) => `${i.component} ${formatIn(i.ns, unit)} ${unit.label} (${i.percent.toFixed(1)}%)`,
  );
  return (
    `Attribution of the fresh-worker op (${formatIn(total, unit)} ${unit.label}), by subtracting each measured worker row ` +
    `from the next: ${parts.join(', ')}.`
  );
}

export function renderBreakdown(result: BreakdownResult): string {
  const op = result.rows.find((r) => r.id === 'worker.op')?.summary?.median;
  const worker = result.rows.filter((r) => r.where === 'worker');
  const main = result.rows.filter((r) => r.where === 'main');
  const unit = tableUnit(worker);
  return (
    [
      runHeaderLines(result, 'breakdown').join('\n'),
      `stopped by ${result.repeat.stoppedBy} after ${(result.repeat.elapsedMs / 1000).toFixed(1)} s`,
      `In a fresh worker (each row does what the row above it does, and one more thing):\n\n${componentTable(worker, unit, op)}`,
      attributionLine(result.attribution, unit),
      `On the main thread, with a warm device:\n\n${componentTable(main, tableUnit(main), op)}`,
      ...floorSentence(breakdownFloorLine(result)),
      ...qualitySection(result),
    ].join('\n\n') + '\n'
  );
}
