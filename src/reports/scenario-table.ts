import { markdownTable } from 'markdown-table';
import type { SummaryKey } from '../measurement/run-summary.js';
import { PHASE_LABEL, PHASES, type Phase } from '../op/phases.js';
import type { ProfileResult, StrategyResult } from '../results/result-types.js';
import { scenarioLabel } from './scenario-label.js';
import { formatIn, formatNumber, unitFor, type TimeUnit } from './units.js';

/** "1.00x", "0.08x [0.07, 0.09]": a speed ratio and its CI. */
export function formatSpeedup(run: StrategyResult): string {
  const s = run.vsMain;
  if (!s) return '-';
  if (run.strategy === 'main') return '1.00x';
  return `${ratio(s.estimate)}x [${ratio(s.low)}, ${ratio(s.high)}]`;
}

function ratio(value: number): string {
  return value >= 10 ? value.toFixed(1) : value >= 0.01 ? value.toFixed(2) : value.toPrecision(2);
}

/** The phases that any run of the result recorded, in phase order. */
export function phasesIn(result: ProfileResult): Phase[] {
  return PHASES.filter((p) => result.runs.some((r) => r.summary[p] !== undefined));
}

/** One unit for the whole table, from main's median op (or the fastest scenario's). */
export function tableUnit(result: ProfileResult): TimeUnit {
  const medians = result.runs.map((r) => r.summary.total?.median ?? Number.POSITIVE_INFINITY);
  return unitFor(Math.min(...medians));
}

/**
 * Scenario | ops/s | vs main | p50 | p99 | each phase's median | CPU per op: where a slow
 * strategy loses its time, at a glance. A phase a scenario does not have shows '-'.
 */
export function scenarioTable(result: ProfileResult): string {
  const unit = tableUnit(result);
  const u = unit.label;
  const phases = phasesIn(result);
  const cell = (run: StrategyResult, key: SummaryKey): string => formatIn(run.summary[key]?.median, unit);
  const rows = result.runs.map((run) => [
    scenarioLabel(run),
    formatNumber(run.opsPerSecond),
    formatSpeedup(run),
    cell(run, 'total'),
    formatIn(run.summary.total?.p99, unit),
    ...phases.map((p) => cell(run, p)),
    formatIn(run.cpuPerOpNs, unit),
  ]);
  const header = [
    'Scenario',
    'ops/s',
    'vs main (95% CI)',
    `p50 [${u}]`,
    `p99 [${u}]`,
    ...phases.map((p) => `${PHASE_LABEL[p]} [${u}]`),
    `CPU/op [${u}]`,
  ];
  return markdownTable([header, ...rows], { align: ['l', ...header.slice(1).map(() => 'r' as const)] });
}
