import { markdownTable } from 'markdown-table';
import { floorSentence, syncFloorLine } from './floor-words.js';
import { COMPLETION_METHODS } from '../experiments/sync-suite.js';
import type { SyncResult } from '../results/result-types.js';
import { componentTable, tableUnit } from './breakdown-table.js';
import { runHeaderLines } from './phase-table.js';
import { qualitySection } from './quality-section.js';
import { formatCost } from './timing-line.js';
import { formatIn, formatNumber, unitFor } from './units.js';

function bytesLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

/** Size | onSubmittedWorkDone | mapAsync | both: medians from submit to completion. */
export function completionTable(result: SyncResult): string {
  const sizes = [...new Set(result.completion.map((r) => r.bytes))];
  const unit = unitFor(
    Math.min(...result.completion.map((r) => r.summary?.median ?? Number.POSITIVE_INFINITY)),
  );
  const cell = (bytes: number, method: string): string => {
    const s = result.completion.find((r) => r.bytes === bytes && r.method === method)?.summary;
    return s
      ? `${formatIn(s.median, unit)} [${formatIn(s.medianCi.low, unit)}, ${formatIn(s.medianCi.high, unit)}]`
      : '-';
  };
  return markdownTable(
    [
      ['Copy size', ...COMPLETION_METHODS.map((m) => `${m} [${unit.label}]`)],
      ...sizes.map((b) => [bytesLabel(b), ...COMPLETION_METHODS.map((m) => cell(b, m))]),
    ],
    { align: ['r', 'r', 'r', 'r'] },
  );
}

export function batchingTable(result: SyncResult): string {
  const rows = result.batching.rows;
  const unit = unitFor(Math.min(...rows.map((r) => r.summary?.median ?? Number.POSITIVE_INFINITY)));
  const u = unit.label;
  const table = markdownTable(
    [
      ['Kernels per sync (k)', `Median per sync [${u}]`, `95% CI [${u}]`, `Per kernel [${u}]`],
      ...rows.map((r) => [
        String(r.k),
        formatIn(r.summary?.median, unit),
        r.summary
          ? `${formatIn(r.summary.medianCi.low, unit)} - ${formatIn(r.summary.medianCi.high, unit)}`
          : '-',
        formatIn(r.summary ? r.summary.median / r.k : undefined, unit),
      ]),
    ],
    { align: ['r', 'r', 'r', 'r'] },
  );
  const fit = result.batching.fit;
  const line = fit
    ? `Least-squares fit through the medians of ${fit.n} batch sizes: time per sync = s + c * k, with s (fixed sync cost) = ${formatIn(fit.intercept, unit)} ${u} ` +
      `[${formatIn(fit.interceptCi[0], unit)}, ${formatIn(fit.interceptCi[1], unit)}] and c (per kernel) = ${formatIn(fit.slope, unit)} ${u} ` +
      `[${formatIn(fit.slopeCi[0], unit)}, ${formatIn(fit.slopeCi[1], unit)}] (95% CIs), R squared = ${fit.rSquared.toFixed(3)}.`
    : 'No fit.';
  const flag = result.batching.poorFit
    ? `\nPOOR FIT: ${result.batching.poorFit}; read s and c with care.`
    : '';
  return `${table}\n\n${line}${flag}`;
}

export function overheadLine(result: SyncResult): string {
  const o = result.overhead;
  if ('unavailable' in o) return `Sync overhead: unavailable (${o.unavailable}).`;
  const unit = unitFor(o.sync.median);
  const u = unit.label;
  const base = o.timedSync ?? o.sync;
  const ofTimed = o.timing ? ' (untimed ops)' : '';
  const gpuOf = o.timing ? ' (timed ops)' : '';
  const cost = o.timing?.costNs ? ` Timing cost a timed op ${formatCost(o.timing)}.` : '';
  return (
    `Sync overhead of ${result.config.kernel}: sync ${formatIn(o.sync.median, unit)} ${u}${ofTimed}, GPU busy ` +
    `${formatIn(o.gpu.median, unit)} ${u}${gpuOf}; per ${o.timing ? 'timed ' : ''}op (${o.ops}), its sync minus its own GPU time = ` +
    `${formatIn(o.overhead.median, unit)} ${u} [${formatIn(o.overhead.medianCi.low, unit)}, ${formatIn(o.overhead.medianCi.high, unit)}] ` +
    `(median, 95% CI), ${formatNumber((100 * o.overhead.median) / base.median)}% of ${o.timing ? "a timed op's" : 'the'} sync.${cost}`
  );
}

export function renderSync(result: SyncResult): string {
  const floorUnit = tableUnit(result.floor);
  return (
    [
      runHeaderLines(result, 'sync').join('\n'),
      `stopped by ${result.repeat.stoppedBy} after ${(result.repeat.elapsedMs / 1000).toFixed(1)} s`,
      `1. The floor:\n\n${componentTable(result.floor, floorUnit)}`,
      `2. Completion, from submit to resolution (median [95% CI]):\n\n${completionTable(result)}`,
      `3. Batching: k dispatches of ${result.config.kernel} per sync:\n\n${batchingTable(result)}`,
      `4. ${overheadLine(result)}`,
      ...floorSentence(syncFloorLine(result)),
      ...qualitySection(result),
    ].join('\n\n') + '\n'
  );
}
