import { markdownTable } from 'markdown-table';
import type { ProfileResult } from '../results/result-types.js';
import { formatIn, unitFor } from './units.js';

/**
 * The first op of each worker's life (new isolate, new device, first pipeline) beside the
 * steady state. For `fresh` every op is cold: its steady state is its cold ops, and the table
 * says so rather than pretend it has a warm state.
 */
export function coldWarmTable(result: ProfileResult): string {
  const unit = unitFor(
    Math.min(...result.runs.map((r) => r.summary.total?.median ?? Number.POSITIVE_INFINITY)),
  );
  const u = unit.label;
  const rows = result.runs.map((r) => {
    const cold = r.coldSummary.total;
    const warm = r.summary.total;
    if (r.everyOpCold) {
      return [
        r.label,
        String(cold?.n ?? 0),
        formatIn(cold?.median, unit),
        '-',
        'every op is cold: a new worker, device and pipeline each time',
      ];
    }
    const note = cold && warm ? `first op ${(cold.median / warm.median).toFixed(1)}x a warm one` : '';
    return [r.label, String(cold?.n ?? 0), formatIn(cold?.median, unit), formatIn(warm?.median, unit), note];
  });
  return markdownTable([['Scenario', 'Cold ops', `Cold p50 [${u}]`, `Warm p50 [${u}]`, 'Note'], ...rows], {
    align: ['l', 'r', 'r', 'r', 'l'],
  });
}
