import { isSequential, PHASES, type Phase } from '../op/phases.js';
import { summarize, type Summary } from '../statistics/index.js';
import type { RecordStore } from './record-store.js';

/** What a run is summarised by: each recorded phase, the end-to-end total, and the leftover. */
export type SummaryKey = Phase | 'total' | 'leftover';

/**
 * Per op: the end-to-end time minus the sum of the sequential phases it recorded. Missing
 * instrumentation shows up here instead of hiding; a healthy run has a leftover of about the
 * clock's own cost, times the number of phase boundaries.
 */
export function leftoverColumn(store: RecordStore): Float64Array {
  const totals = store.totalsNs;
  const out = Float64Array.from(totals);
  for (const phase of store.phases) {
    if (!isSequential(phase)) continue;
    const column = store.column(phase);
    for (let i = 0; i < out.length; i++) {
      const v = column[i] ?? NaN;
      if (!Number.isNaN(v)) out[i] = (out[i] ?? NaN) - v;
    }
  }
  return out;
}

/** Which ops a summary takes: the steady state (warm ops), or the first op of each worker's life. */
export type OpSelection = 'steady' | 'cold';

/** The values of the ops that ended ok, recorded this value, and belong to `selection`. */
export function selectValues(
  column: ArrayLike<number>,
  store: RecordStore,
  selection: OpSelection,
): Float64Array {
  const statuses = store.statusCodes;
  const colds = store.coldFlags;
  const wantCold = selection === 'cold' ? 1 : store.everyOpCold ? 1 : 0;
  const out = new Float64Array(column.length);
  let n = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i] ?? NaN;
    if (statuses[i] === 0 && colds[i] === wantCold && !Number.isNaN(v)) out[n++] = v;
  }
  return out.subarray(0, n);
}

export function steadyValues(column: ArrayLike<number>, store: RecordStore): Float64Array {
  return selectValues(column, store, 'steady');
}

/** Ops that count towards a strategy's steady state (ok or not): what --ops counts. */
export function steadyCount(store: RecordStore): number {
  if (store.everyOpCold) return store.count;
  let n = 0;
  for (const c of store.coldFlags) if (c === 0) n++;
  return n;
}

/** Summaries of every phase the store records (in phase order), then total and leftover. */
export function summarizeStore(
  store: RecordStore,
  selection: OpSelection = 'steady',
): Partial<Record<SummaryKey, Summary>> {
  const summaries: Partial<Record<SummaryKey, Summary>> = {};
  const add = (key: SummaryKey, column: ArrayLike<number>): void => {
    const values = selectValues(column, store, selection);
    if (values.length > 0) summaries[key] = summarize(values);
  };
  for (const phase of PHASES) if (store.phases.includes(phase)) add(phase, store.column(phase));
  add('total', store.totalsNs);
  add('leftover', leftoverColumn(store));
  return summaries;
}
