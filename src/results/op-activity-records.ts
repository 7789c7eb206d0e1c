import { COUNT_KEYS, type CountKey, type OpActivity } from '../instrument/op-activity.js';
import { isSelected, type OpSelection } from '../measurement/steady-state.js';
import { median, quantile } from '../statistics/index.js';
import type { StrategyResult } from './result-types.js';

/**
 * What an op module's ops did (instrument/op-activity.ts), stored beside the records: a column
 * per count and per pass name, one entry per record, null where the op has no activity (it
 * failed, or its kind is not instrumented) or ran no pass of that name.
 */
export interface StoredActivity {
  readonly counts: Record<CountKey, (number | null)[]>;
  /** Per pass name: the op's GPU time in passes of that name, summed, ns. */
  readonly passNs: Record<string, (number | null)[]>;
  /** Per pass name: how many passes of that name the op ran. */
  readonly passCount: Record<string, (number | null)[]>;
}

/** One pass name's figures over a scenario's steady ops. */
export interface PassSummary {
  readonly name: string;
  /** Passes of this name per op (median). */
  readonly perOp: number;
  /** ns per op in passes of this name. */
  readonly medianNs: number;
  readonly p99Ns: number;
  /** Its share of the ops' summed GPU time, 0 to 1. */
  readonly share: number;
}

/** What a scenario's ops did, per op: the medians of the counts, and the passes by name. */
export interface ActivitySummary {
  readonly ops: number;
  readonly counts: Record<CountKey, number>;
  readonly passes: readonly PassSummary[];
}

/** The activity of `count` records from the ops that had some (by record index). */
export function activityColumns(byIndex: ReadonlyMap<number, OpActivity>, count: number): StoredActivity {
  const column = (): (number | null)[] => new Array<number | null>(count).fill(null);
  const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, column()])) as StoredActivity['counts'];
  const passNs: Record<string, (number | null)[]> = {};
  const passCount: Record<string, (number | null)[]> = {};
  for (const [index, activity] of byIndex) {
    if (index >= count) continue;
    for (const key of COUNT_KEYS) counts[key][index] = activity.counts[key];
    for (const pass of activity.passes) {
      const ns = (passNs[pass.name] ??= column());
      const n = (passCount[pass.name] ??= column());
      ns[index] = (ns[index] ?? 0) + pass.ns;
      n[index] = (n[index] ?? 0) + 1;
    }
  }
  // An op that ran no pass of a name ran zero of them: null is kept for ops with no activity.
  for (const name of Object.keys(passCount)) {
    for (const index of byIndex.keys()) {
      if (index >= count) continue;
      (passCount[name] as (number | null)[])[index] ??= 0;
    }
  }
  return { counts, passNs, passCount };
}

/** The activity of several runs' records laid end to end, as their records are pooled. */
export function concatActivity(
  parts: readonly { activity?: StoredActivity; count: number }[],
): StoredActivity | undefined {
  if (parts.every((p) => p.activity === undefined)) return undefined;
  const names = new Set(parts.flatMap((p) => Object.keys(p.activity?.passNs ?? {})));
  const joined = (pick: (a: StoredActivity) => (number | null)[] | undefined): (number | null)[] =>
    parts.flatMap((p) => {
      const column = p.activity ? pick(p.activity) : undefined;
      return column ?? new Array<number | null>(p.count).fill(null);
    });
  const counts = Object.fromEntries(
    COUNT_KEYS.map((k) => [k, joined((a) => a.counts[k])]),
  ) as StoredActivity['counts'];
  const passNs: Record<string, (number | null)[]> = {};
  const passCount: Record<string, (number | null)[]> = {};
  for (const name of names) {
    passNs[name] = joined((a) => a.passNs[name]);
    passCount[name] = joined((a) => a.passCount[name]);
  }
  return { counts, passNs, passCount };
}

/** The values of a column at the run's selected ok ops, without the nulls and NaNs. */
function selected(run: StrategyResult, column: readonly (number | null)[], selection: OpSelection): number[] {
  const failed = new Set(run.records.failures.map((f) => f.index));
  const cold = new Set(run.records.cold);
  const out: number[] = [];
  column.forEach((v, i) => {
    if (v === null || Number.isNaN(v) || failed.has(i)) return;
    if (isSelected(cold.has(i), run.everyOpCold, selection)) out.push(v);
  });
  return out;
}

/** The summary of a run's stored activity over its steady ops; undefined when it has none. */
export function summarizeActivity(run: StrategyResult): ActivitySummary | undefined {
  const stored = run.records.activity;
  if (!stored) return undefined;
  const submits = selected(run, stored.counts.submits, 'steady');
  if (submits.length === 0) return undefined;
  const counts = Object.fromEntries(
    COUNT_KEYS.map((k) => {
      const values = selected(run, stored.counts[k], 'steady');
      return [k, values.length > 0 ? median(values) : Number.NaN];
    }),
  ) as Record<CountKey, number>;
  const sums = Object.entries(stored.passNs).map(([name, column]) => {
    const values = selected(run, column, 'steady');
    return { name, values, total: values.reduce((a, b) => a + b, 0) };
  });
  const all = sums.reduce((a, s) => a + s.total, 0);
  const passes = sums.map(({ name, values, total }): PassSummary => {
    const perOp = selected(run, stored.passCount[name] ?? [], 'steady');
    return {
      name,
      perOp: perOp.length > 0 ? median(perOp) : Number.NaN,
      medianNs: values.length > 0 ? median(values) : Number.NaN,
      p99Ns: values.length > 0 ? quantile(values, 0.99) : Number.NaN,
      share: all > 0 ? total / all : Number.NaN,
    };
  });
  return { ops: submits.length, counts, passes };
}
