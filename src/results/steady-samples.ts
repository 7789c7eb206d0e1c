import { isSteadyOp } from '../measurement/steady-state.js';
import type { Phase } from '../op/phases.js';
import type { StrategyResult } from './result-types.js';

/**
 * The steady-state per-op values of one phase (or the total) of a stored run, ns: ops that ended
 * ok, that are not the first of their worker's life (for a fresh worker per op, where every op is
 * cold, all ok ops), and that recorded the value, by the one rule of measurement/steady-state.ts,
 * for readers of result.json (compare, charts, warnings).
 */
export function steadySamples(run: StrategyResult, key: Phase | 'total'): number[] {
  const records = run.records;
  const column = key === 'total' ? records.totalNs : records.phases[key];
  if (!column) return [];
  const failed = new Set(records.failures.map((f) => f.index));
  const cold = new Set(records.cold);
  const values: number[] = [];
  column.forEach((value, index) => {
    if (value === null || failed.has(index)) return;
    if (!isSteadyOp(cold.has(index), run.everyOpCold)) return;
    values.push(value);
  });
  return values;
}
