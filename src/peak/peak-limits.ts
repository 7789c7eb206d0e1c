import { fitLine, summarize } from '../statistics/index.js';
import type { PeakLimit, PeakLimits, PeakSweepPoint } from './peak-types.js';

/**
 * The numbers of `wgprof peak`, as pure functions: rates from durations, the best size of a
 * sweep, the device's memory bandwidth and its ridge point.
 */

/** A median and its 95% CI, with how many values it is of. */
export interface MedianWithCi {
  readonly value: number;
  readonly low: number;
  readonly high: number;
  readonly samples: number;
}

/**
 * The median of `values` and its bootstrap 95% CI (statistics/summary.ts). Non-finite values are
 * left out; undefined when none is left.
 */
export function medianWithCi(values: readonly number[]): MedianWithCi | undefined {
  const kept = values.filter((v) => Number.isFinite(v));
  if (kept.length === 0) return undefined;
  const s = summarize(kept);
  return { value: s.median, low: s.medianCi.low, high: s.medianCi.high, samples: s.n };
}

/**
 * The median rate, per second, of `work` (bytes or FLOP) done in each of `durationsNs`, with its
 * 95% CI. Each duration becomes a rate first, so the CI is of the rate itself. A duration that is
 * not positive (a wall-clock slope lost in the noise of its floor) has no rate and is left out.
 */
export function rateOf(work: number, durationsNs: readonly number[]): MedianWithCi | undefined {
  return medianWithCi(durationsNs.filter((ns) => ns > 0).map((ns) => (work / ns) * 1e9));
}

/** The point of a sweep with the highest median rate; undefined for an empty sweep. */
export function bestPoint(sweep: readonly PeakSweepPoint[]): PeakSweepPoint | undefined {
  let best: PeakSweepPoint | undefined;
  for (const point of sweep) if (point.samples !== 0 && (!best || point.value > best.value)) best = point;
  return best;
}

/** The measured point of a sweep with the largest buffer; undefined when none was measured. */
export function largestPoint(sweep: readonly PeakSweepPoint[]): PeakSweepPoint | undefined {
  let largest: PeakSweepPoint | undefined;
  for (const point of sweep)
    if (point.samples !== 0 && (!largest || point.bytes > largest.bytes)) largest = point;
  return largest;
}

/**
 * A bandwidth limit from its sweep: the median rate and CI at the largest buffer measured, which
 * no cache holds: what an op whose tensors do not fit one gets. The best smaller buffer's rate
 * is kept beside it as `cache` where it is higher than the largest one's CI (on lavapipe a 4 MiB
 * copy ran at 90.9 GB/s, a 64 MiB one at 16.8). A sweep in which no size could be measured
 * gives a limit of 0 with no samples.
 */
export function bandwidthLimit(sweep: readonly PeakSweepPoint[], method: string): PeakLimit {
  const largest = largestPoint(sweep);
  if (!largest) return { value: 0, low: 0, high: 0, unit: 'B/s', method, samples: 0 };
  const best = bestPoint(sweep);
  const cache = best && best.bytes !== largest.bytes && best.low > largest.high ? best : undefined;
  return {
    value: largest.value,
    low: largest.low,
    high: largest.high,
    unit: 'B/s',
    method,
    atBytes: largest.bytes,
    samples: largest.samples ?? 0,
    ...(cache ? { cache } : {}),
  };
}

/** The device's memory bandwidth: the higher of the copy's and the stream kernel's. */
export function memoryBandwidth(limits: PeakLimits): PeakLimit {
  return limits.streamBandwidth.value >= limits.copyBandwidth.value
    ? limits.streamBandwidth
    : limits.copyBandwidth;
}

/**
 * The ridge point of the device's roofline, FLOP per byte: an op whose arithmetic intensity is
 * below it is bound by memory, above it by arithmetic. NaN when the bandwidth is unknown (0).
 */
export function ridgePoint(limits: PeakLimits): number {
  const bandwidth = memoryBandwidth(limits).value;
  return bandwidth > 0 ? limits.f32Flops.value / bandwidth : Number.NaN;
}

/**
 * One op's time from a wall-clock round, ns: the least-squares slope of each batch's time against
 * its count of ops (statistics/regression.ts). The floor of a submit, paid once per batch,
 * falls into the intercept.
 */
export function slopeOf(counts: readonly number[], timesNs: readonly number[]): number {
  return fitLine(counts, timesNs).slope;
}
