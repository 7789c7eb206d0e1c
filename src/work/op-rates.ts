import type { Summary } from '../statistics/index.js';
import { arithmeticIntensity, type OpWork } from './op-work.js';

/**
 * An op's rates: its work (work/op-work.ts) over its time, as NVBench reports a benchmark's
 * global memory throughput. Over the kernel's GPU time (how fast the GPU did the work) and over
 * the op's whole time (what the caller gets end to end: creation, dispatch and sync included).
 * Each rate's CI is the time's CI turned over: work / high time to work / low time.
 */

/** A rate per second (bytes or operations) with its 95% CI, or a share (0-1) with its CI. */
export interface Rate {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

export interface Rates {
  readonly bytesPerSecond?: Rate;
  readonly flopsPerSecond?: Rate;
}

/** A rate against the device's measured limits (wgprof peak). */
export interface PeakShare {
  /** Of the device's memory bandwidth. */
  readonly bandwidth?: Rate;
  /** Of its f32 arithmetic throughput (f32 ops only: no other dtype's peak is measured). */
  readonly flops?: Rate;
  /** Which limit binds: the op's operations per byte against the device's ridge point. */
  readonly binds?: 'memory' | 'compute';
}

export interface ScenarioRates {
  /** Over the median GPU time of the kernel (absent without GPU time). */
  readonly kernel?: Rates;
  /** Over the median total per op. */
  readonly op?: Rates;
  /** Shares of the device's measured limits; absent without a peak of the run's adapter. */
  readonly ofPeak?: { readonly kernel?: PeakShare; readonly op?: PeakShare };
}

/** The device's limits as a rate needs them: from a `wgprof peak` of the same adapter. */
export interface PeakFigures {
  /** Bytes read + written per second. */
  readonly bandwidth: Rate;
  /** f32 operations per second. */
  readonly flops: Rate;
}

/** The work over a time summary (ns): a rate per quantity the op declares (none for zero). */
export function ratesOver(work: OpWork, time: Summary | undefined): Rates | undefined {
  if (!time || !(time.median > 0)) return undefined;
  const over = (amount: number): Rate | undefined =>
    amount > 0
      ? {
          value: (amount * 1e9) / time.median,
          low: (amount * 1e9) / Math.max(time.medianCi.high, time.median),
          high: (amount * 1e9) / Math.max(Math.min(time.medianCi.low, time.median), Number.MIN_VALUE),
        }
      : undefined;
  const bytes = over(work.bytes);
  const flops = over(work.flops);
  if (!bytes && !flops) return undefined;
  return { ...(bytes ? { bytesPerSecond: bytes } : {}), ...(flops ? { flopsPerSecond: flops } : {}) };
}

/** Operations per byte at which the device's two limits meet: below it, memory binds. */
export function ridgePoint(peak: PeakFigures): number {
  return peak.flops.value / peak.bandwidth.value;
}

/** A rate's share of a limit, its CI the widest the two CIs allow. */
function shareOf(rate: Rate, limit: Rate): Rate {
  return {
    value: rate.value / limit.value,
    low: rate.low / Math.max(limit.high, limit.value),
    high: rate.high / Math.max(Math.min(limit.low, limit.value), Number.MIN_VALUE),
  };
}

/**
 * The rates as shares of the device's limits, and which limit binds (the roofline's question).
 * `f32`: whether the op's arithmetic is f32, the only kind `wgprof peak` measures.
 */
export function shareOfPeak(work: OpWork, rates: Rates, peak: PeakFigures, f32: boolean): PeakShare {
  const intensity = arithmeticIntensity(work);
  const countsFlops = f32 && work.flops > 0;
  const binds =
    intensity === undefined
      ? countsFlops
        ? 'compute'
        : undefined
      : countsFlops && intensity >= ridgePoint(peak)
        ? 'compute'
        : 'memory';
  return {
    ...(rates.bytesPerSecond ? { bandwidth: shareOf(rates.bytesPerSecond, peak.bandwidth) } : {}),
    ...(countsFlops && rates.flopsPerSecond ? { flops: shareOf(rates.flopsPerSecond, peak.flops) } : {}),
    ...(binds ? { binds } : {}),
  };
}

/** A scenario's rates from its summary, with shares where a peak is given. */
export function scenarioRates(
  work: OpWork,
  summary: { readonly kernelGpu?: Summary; readonly total?: Summary },
  peak: PeakFigures | undefined,
  f32: boolean,
): ScenarioRates | undefined {
  const kernel = ratesOver(work, summary.kernelGpu);
  const op = ratesOver(work, summary.total);
  if (!kernel && !op) return undefined;
  const ofPeak = peak
    ? {
        ...(kernel ? { kernel: shareOfPeak(work, kernel, peak, f32) } : {}),
        ...(op ? { op: shareOfPeak(work, op, peak, f32) } : {}),
      }
    : undefined;
  return { ...(kernel ? { kernel } : {}), ...(op ? { op } : {}), ...(ofPeak ? { ofPeak } : {}) };
}
