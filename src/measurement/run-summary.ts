import { isSequential, PHASES, type Phase } from '../op/phases.js';
import { summarize, type Summary } from '../statistics/index.js';
import type { RecordStore } from './record-store.js';
import { selectValues, type OpSelection } from './steady-state.js';
import { sideOf } from './timing-filter.js';

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

/** Summaries of every phase the store records (in phase order), then total and leftover. */
export function summarizeStore(
  store: RecordStore,
  selection: OpSelection = 'steady',
): Partial<Record<SummaryKey, Summary>> {
  const summaries: Partial<Record<SummaryKey, Summary>> = {};
  const add = (key: SummaryKey, column: ArrayLike<number>): void => {
    const values = selectValues(column, store, selection, sideOf(key));
    if (values.length > 0) summaries[key] = summarize(values);
  };
  for (const phase of PHASES) if (store.phases.includes(phase)) add(phase, store.column(phase));
  add('total', store.totalsNs);
  add('leftover', leftoverColumn(store));
  return summaries;
}
