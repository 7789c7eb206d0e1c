import type { Interference } from '../results/result-types.js';
import { median, quantile } from '../statistics/index.js';

/** One measuring process's probe: main-thread ops at its start, after another scenario's process. */
export interface Probe {
  /** The scenario whose process ran just before this one (absent for the run's first). */
  readonly after?: string;
  readonly medianNs: number;
}

/**
 * Each scenario's aftermath, from the probes: the probes taken right after its process against
 * every other probe. A process that leaves the machine slower (threads still exiting, caches
 * thrashed, a GPU left in another power state) shows as a higher probe in the one that follows.
 */
export function interferenceOf(probes: readonly Probe[]): Interference[] {
  const valid = probes.filter((p) => Number.isFinite(p.medianNs));
  const labels = [...new Set(valid.flatMap((p) => (p.after === undefined ? [] : [p.after])))];
  const out: Interference[] = [];
  for (const after of labels) {
    const mine = valid.filter((p) => p.after === after).map((p) => p.medianNs);
    const others = valid.filter((p) => p.after !== after).map((p) => p.medianNs);
    if (mine.length === 0 || others.length === 0) continue;
    const probeNs = median(mine);
    const othersNs = median(others);
    out.push({
      after,
      probeNs,
      othersNs,
      change: probeNs / othersNs - 1,
      probes: mine.length,
      lowestNs: Math.min(...mine),
      othersHighNs: quantile(others, 0.75),
    });
  }
  return out;
}
