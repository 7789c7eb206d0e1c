/**
 * How many events result.json keeps (`wgprof trace --max-events`): a long trace logs events
 * without bound, and the result, its report and its timeline would grow with them. The summary
 * counts every event all the same (trace-summary.ts reads each one as it goes).
 */

/** The default of --max-events: about 94 MB of result.json (94 bytes an event, seen in a trace of small GPU ops). */
export const DEFAULT_MAX_EVENTS = 1_000_000;

/**
 * Shares `max` out among threads that logged `counts` events: each thread keeps its first events,
 * as many as its share; a thread with fewer than an even share keeps all of them and leaves the
 * rest to the others (water-filling). The shares add up to min(max, all the events).
 */
export function eventShares(counts: readonly number[], max: number): number[] {
  const order = counts.map((_, k) => k).sort((a, b) => (counts[a] ?? 0) - (counts[b] ?? 0));
  const shares = counts.map(() => 0);
  let left = max;
  for (const [rank, k] of order.entries()) {
    const even = Math.floor(left / (order.length - rank));
    const share = Math.min(counts[k] ?? 0, even);
    shares[k] = share;
    left -= share;
  }
  return shares;
}

/** The events the threads logged, how many result.json keeps, and the cap that decided it. */
export interface StoredEvents {
  readonly logged: number;
  readonly kept: number;
  /** logged - kept: counted in the summary, not stored. */
  readonly dropped: number;
  readonly max: number;
}
