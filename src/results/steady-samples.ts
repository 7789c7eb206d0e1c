import { isSelected, type OpSelection } from '../measurement/steady-state.js';
import { sideOf, timingFilter } from '../measurement/timing-filter.js';
import { sideOfCode } from '../measurement/op-timing.js';
import type { SummaryKey } from '../measurement/run-summary.js';
import { isSequential, type Phase } from '../op/phases.js';
import type { StoredRecords, StrategyResult } from './result-types.js';

/** Per op: the total minus the sequential phases it recorded (as run-summary.ts's leftover). */
function leftoverOf(records: StoredRecords): (number | null)[] {
  return records.totalNs.map((total, i) => {
    if (total === null) return null;
    let rest = total;
    for (const [phase, column] of Object.entries(records.phases)) {
      const v = column[i];
      if (isSequential(phase as Phase) && v !== null && v !== undefined) rest -= v;
    }
    return rest;
  });
}

/**
 * The per-op values of one phase (or the total, or the leftover) of a stored run, ns, for the
 * ops of `selection` that ended ok and recorded the value, by the one rule of
 * measurement/steady-state.ts, and of the figure's timing side (measurement/timing-filter.ts: the
 * CPU side from untimed ops, the GPU time from timed ones): for readers of result.json (compare, charts, warnings, the pooling
 * of replicates).
 */
export function storedValues(run: StrategyResult, key: SummaryKey, selection: OpSelection): number[] {
  const records = run.records;
  const column =
    key === 'total' ? records.totalNs : key === 'leftover' ? leftoverOf(records) : records.phases[key];
  if (!column) return [];
  const failed = new Set(records.failures.map((f) => f.index));
  const cold = new Set(records.cold);
  const eligible = (index: number): boolean =>
    !failed.has(index) && isSelected(cold.has(index), run.everyOpCold, selection);
  // Every op timed: --gpu-time every (a result without `timing` has no codes, and every op counts).
  const ofSide = timingFilter(records.timing, sideOf(key), run.timing?.gpuTime === 'every');
  const values: number[] = [];
  column.forEach((value, index) => {
    if (value === null || !eligible(index) || !ofSide(index)) return;
    values.push(value);
  });
  return values;
}

/**
 * The steady-state values of one phase (or the total): ops that are not the first of their
 * worker's life (for a fresh worker per op, where every op is cold, all ok ops).
 */
export function steadySamples(run: StrategyResult, key: Phase | 'total'): number[] {
  return storedValues(run, key, 'steady');
}

/**
 * A stored run's steady ok totals split by whether the op wrote GPU timestamps: the two sides the
 * cost of timing and ops/s are taken from. A result without timing codes is all untimed.
 */
export function storedTotalsByTiming(run: StrategyResult): {
  untimed: number[];
  timed: number[];
  settle: number[];
} {
  const records = run.records;
  const failed = new Set(records.failures.map((f) => f.index));
  const cold = new Set(records.cold);
  const untimed: number[] = [];
  const timed: number[] = [];
  const settle: number[] = [];
  records.totalNs.forEach((total, index) => {
    if (total === null || failed.has(index)) return;
    if (!isSelected(cold.has(index), run.everyOpCold, 'steady')) return;
    sideOfCode(records.timing?.[index] ?? 0, untimed, timed, settle).push(total);
  });
  return { untimed, timed, settle };
}
