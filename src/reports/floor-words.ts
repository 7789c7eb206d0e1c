import type { BreakdownResult, SyncResult } from '../results/result-types.js';
import { formatDuration } from './units.js';
import { formatShare } from './rates.js';

/**
 * The seed's component question, "how much of this op is the GPU's minimum round trip?",
 * answered against this adapter's measured floors (wgprof peak): a line for breakdown's and
 * sync's views and reports. Undefined without a peak of the adapter.
 */

const share = (part: number, whole: number): string => formatShare(part / whole);

/** Breakdown: the smallest dispatch's round trip against the fresh-worker op and the main-thread op. */
export function breakdownFloorLine(result: BreakdownResult): string | undefined {
  const floor = result.peak?.floors.dispatchNs;
  if (floor === undefined || !(floor > 0)) return undefined;
  const op = result.rows.find((r) => r.id === 'worker.op')?.summary?.median;
  const main = result.rows.find((r) => r.id === 'main.op')?.summary?.median;
  const parts = [
    ...(op ? [`${share(floor, op)} of the fresh-worker op`] : []),
    ...(main ? [`${share(floor, main)} of the main-thread op`] : []),
  ];
  if (parts.length === 0) return undefined;
  return `the GPU's minimum round trip here (wgprof peak: the smallest dispatch, submitted and awaited) is ${formatDuration(floor)}: ${parts.join(', ')}`;
}

/**
 * Sync: this run's own floor beside the adapter's measured one (an empty submit awaited, the
 * smallest dispatch submitted and awaited), so that a floor that moved since the peak shows.
 */
export function syncFloorLine(result: SyncResult): string | undefined {
  const peak = result.peak;
  if (!peak || !(peak.floors.submitNs > 0)) return undefined;
  const floors = peak.floors;
  return `this adapter's measured floors (wgprof peak of ${peak.measuredAt.slice(0, 10)}): an empty submit awaited ${formatDuration(floors.submitNs)}, the smallest dispatch ${formatDuration(floors.dispatchNs)}`;
}

/** The line as a sentence of a report, or nothing. */
export function floorSentence(line: string | undefined): string[] {
  return line === undefined ? [] : [`${line.charAt(0).toUpperCase()}${line.slice(1)}.`];
}
