/**
 * Pure functions on a device's passes as intervals: the GPU's busy time, its clock's offset from
 * the process's, and how much of a wait the GPU was busy. An interval is [start, end) in ns.
 */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** The union of `intervals`, sorted and with overlapping or touching ones merged. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const i of sorted) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ start: i.start, end: i.end });
  }
  return merged;
}

/** Total length of merged (disjoint, sorted) intervals, ns. */
export function coveredNs(merged: readonly Interval[]): number {
  let sum = 0;
  for (const i of merged) sum += i.end - i.start;
  return sum;
}

/** How much of [start, end) the merged intervals cover, ns. */
export function overlapNs(merged: readonly Interval[], start: number, end: number): number {
  // The first interval that ends after `start`.
  let lo = 0;
  let hi = merged.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((merged[mid]?.end ?? 0) <= start) lo = mid + 1;
    else hi = mid;
  }
  let sum = 0;
  for (let k = lo; k < merged.length; k++) {
    const i = merged[k];
    if (!i || i.start >= end) break;
    sum += Math.min(end, i.end) - Math.max(start, i.start);
  }
  return sum;
}

/** What bounds the GPU clock's offset: a pass starts after its submit began, and ends before a later wait returned. */
export interface ClockBounds {
  /** max over passes of (submit start - GPU begin): the offset is at least this. */
  readonly lower: number;
  /** min over waits of (wait end - GPU end of the passes submitted before it): at most this. */
  readonly upper: number;
}

/**
 * The offset to add to the GPU's timestamps to put them on the process's clock: 0 where the
 * bounds allow it (Vulkan on Linux often stamps with the same monotonic clock), else the nearest
 * bound; the lower bound where the bounds disagree (a pass cannot begin before its submit).
 */
export function gpuClockOffset(bounds: ClockBounds): number {
  const { lower, upper } = bounds;
  if (!Number.isFinite(lower)) return 0;
  if (lower > upper) return lower;
  return Math.min(Math.max(0, lower), upper);
}

export interface TimedPass {
  readonly submitAt: number;
  readonly gpuBegin: number;
  readonly gpuEnd: number;
}

/** The bounds on one device's clock offset, from its passes and its waits (each [at, at + dur)). */
export function clockBounds(passes: readonly TimedPass[], waits: readonly Interval[]): ClockBounds {
  let lower = Number.NEGATIVE_INFINITY;
  for (const p of passes) lower = Math.max(lower, p.submitAt - p.gpuBegin);
  const bySubmit = [...passes].sort((a, b) => a.submitAt - b.submitAt);
  const latestEnd: number[] = [];
  let most = Number.NEGATIVE_INFINITY;
  for (const p of bySubmit) latestEnd.push((most = Math.max(most, p.gpuEnd)));
  let upper = Number.POSITIVE_INFINITY;
  for (const w of waits) {
    // Passes submitted before the wait began.
    let lo = 0;
    let hi = bySubmit.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((bySubmit[mid]?.submitAt ?? 0) < w.start) lo = mid + 1;
      else hi = mid;
    }
    const end = latestEnd[lo - 1];
    if (end !== undefined) upper = Math.min(upper, w.end - end);
  }
  return { lower, upper };
}
