import { ridgePoint, type PeakFigures, type Rate } from './op-rates.js';

/** A limit as `wgprof peak` stores it (peak/peak-types.ts's PeakLimit, the fields read here). */
interface MeasuredLimit extends Rate {
  readonly method: string;
  readonly atBytes?: number;
}

/** What a profile reads of a `wgprof peak` result. */
export interface PeakSource {
  readonly createdAt: string;
  readonly limits: {
    readonly copyBandwidth: MeasuredLimit;
    readonly streamBandwidth: MeasuredLimit;
    readonly f32Flops: MeasuredLimit;
    readonly submitFloor: MeasuredLimit;
    readonly dispatchFloor: MeasuredLimit;
    readonly readbackFloor: MeasuredLimit;
  };
}

/** The peak a profile's shares were taken against, kept in its result. */
export interface PeakReference extends PeakFigures {
  /** When that peak was measured, and whether for this run (--peak) or found saved. */
  readonly measuredAt: string;
  readonly from: 'measured' | 'saved';
  /** Where the bandwidth came from: the copy or the streaming kernel, whichever was higher. */
  readonly bandwidthMethod: string;
  /**
   * What a compute kernel that only streams memory reached (peak's stream kernel): on a device
   * whose copies run faster than any kernel (lavapipe's are memcpy), the nearer yardstick.
   */
  readonly streamBandwidth?: Rate;
  /** f32 operations per byte at which the two limits meet. */
  readonly ridge: number;
  /** The floors of a small op, ns: an empty submit awaited, the smallest dispatch, a 4-byte read-back. */
  readonly floors: { readonly submitNs: number; readonly dispatchNs: number; readonly readbackNs: number };
}

/** The figures a profile takes from a peak: the higher of its two bandwidths, its f32 rate, its floors. */
export function peakReference(peak: PeakSource, from: PeakReference['from']): PeakReference {
  const { copyBandwidth, streamBandwidth, f32Flops } = peak.limits;
  const best = streamBandwidth.value >= copyBandwidth.value ? streamBandwidth : copyBandwidth;
  const figures: PeakFigures = {
    bandwidth: { value: best.value, low: best.low, high: best.high },
    flops: { value: f32Flops.value, low: f32Flops.low, high: f32Flops.high },
  };
  return {
    ...figures,
    measuredAt: peak.createdAt,
    from,
    bandwidthMethod: best.method,
    streamBandwidth: { value: streamBandwidth.value, low: streamBandwidth.low, high: streamBandwidth.high },
    ridge: ridgePoint(figures),
    floors: {
      submitNs: peak.limits.submitFloor.value,
      dispatchNs: peak.limits.dispatchFloor.value,
      readbackNs: peak.limits.readbackFloor.value,
    },
  };
}
