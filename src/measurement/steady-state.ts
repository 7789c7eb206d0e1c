import type { RecordStore } from './record-store.js';
import { timingFilter, type TimingSide } from './timing-filter.js';

/**
 * Which ops make a scenario's steady state, the one rule every reader uses (the live record
 * store here, stored results through results/steady-samples.ts): the ops that were not the first
 * of their worker's life (new isolate, device and pipeline), or, for a fresh worker per op, where
 * every op is a first op, all of them.
 */
export function isSteadyOp(cold: boolean, everyOpCold: boolean): boolean {
  return everyOpCold || !cold;
}

/** Which ops a summary takes: the steady state, or the first op of each worker's life. */
export type OpSelection = 'steady' | 'cold';

export function isSelected(cold: boolean, everyOpCold: boolean, selection: OpSelection): boolean {
  return selection === 'cold' ? cold : isSteadyOp(cold, everyOpCold);
}

/**
 * The values of the ops that ended ok, recorded this value, belong to `selection`, and are of
 * `side`'s timing (measurement/timing-filter.ts: CPU-side figures from untimed ops, GPU time
 * from timed ones).
 */
export function selectValues(
  column: ArrayLike<number>,
  store: RecordStore,
  selection: OpSelection,
  side: TimingSide = 'cpu',
): Float64Array {
  const statuses = store.statusCodes;
  const colds = store.coldFlags;
  const eligible = (i: number): boolean =>
    statuses[i] === 0 && isSelected(colds[i] === 1, store.everyOpCold, selection);
  const ofSide = timingFilter(store.timingCodes, side, store.everyOpTimed);
  const out = new Float64Array(column.length);
  let n = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i] ?? NaN;
    if (eligible(i) && !Number.isNaN(v) && ofSide(i)) out[n++] = v;
  }
  return out.subarray(0, n);
}

/** The steady state's CPU-side values (untimed ops): totals, CPU phases. */
export function steadyValues(column: ArrayLike<number>, store: RecordStore): Float64Array {
  return selectValues(column, store, 'steady');
}

/** Ops that count towards a scenario's steady state (ok or not): what --ops counts. */
export function steadyCount(store: RecordStore): number {
  let n = 0;
  for (const c of store.coldFlags) if (isSteadyOp(c === 1, store.everyOpCold)) n++;
  return n;
}
