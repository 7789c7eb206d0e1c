/**
 * What `wgprof peak` measures: the adapter's own limits, each with its 95% CI, the way it was
 * measured and, for the rates, the size at which it was reached. No WebGPU adapter reports its
 * bandwidth or arithmetic rate, so these are measured on the device itself (as clpeak and ze_peak
 * do). This file holds types only: the result, the reports and `profile` all read them.
 */

/** One measured limit of the device. */
export interface PeakLimit {
  /**
   * The limit: B/s for bandwidth (the median at the largest buffer the sweep measured, past the
   * caches), FLOP/s for arithmetic, ns for floors (the median).
   */
  readonly value: number;
  /** 95% CI of `value`, low end, in its unit. */
  readonly low: number;
  /** 95% CI of `value`, high end, in its unit. */
  readonly high: number;
  readonly unit: 'B/s' | 'FLOP/s' | 'ns';
  /** One line: how it was measured. */
  readonly method: string;
  /** Bandwidth: the buffer size (bytes, of one buffer) at which it was reached. */
  readonly atBytes?: number;
  /**
   * Bandwidth: the best smaller buffer's rate, where it beat the largest one's CI: a buffer that
   * fits a cache (on lavapipe a 4 MiB copy ran at 5x a 64 MiB one). An op's share of the device's
   * bandwidth is taken against `value`, never this.
   */
  readonly cache?: PeakSweepPoint;
  /** Arithmetic: invocations of the FMA kernel per dispatch. */
  readonly atInvocations?: number;
  /** How many measurements the value is the median of (rounds of k-copies, timed passes, ops). */
  readonly samples: number;
}

/** One size of a bandwidth sweep: the median rate there, B/s, and its 95% CI. */
export interface PeakSweepPoint {
  /** Size of one buffer, bytes (a copy of it moves twice as many). */
  readonly bytes: number;
  readonly value: number;
  readonly low: number;
  readonly high: number;
  /** How many measurements the median is of; absent when the size could not be measured. */
  readonly samples?: number;
}

/** Every limit `wgprof peak` measures. */
export interface PeakLimits {
  /** Device-local copyBufferToBuffer, timed on the CPU by the slope over k copies per submit. */
  readonly copyBandwidth: PeakLimit;
  /** A compute kernel reading one buffer and writing another (vec4<f32>). */
  readonly streamBandwidth: PeakLimit;
  /** Long independent FMA chains: 2 FLOP per FMA. */
  readonly f32Flops: PeakLimit;
  /** An empty submit awaited with onSubmittedWorkDone. */
  readonly submitFloor: PeakLimit;
  /** One workgroup of an empty kernel: encode, submit, wait. */
  readonly dispatchFloor: PeakLimit;
  /** 4 bytes copied to a MAP_READ buffer, mapped, read, unmapped. */
  readonly readbackFloor: PeakLimit;
}

/** Both bandwidth sweeps, a point per buffer size, smallest first. */
export interface PeakSweeps {
  readonly copy: readonly PeakSweepPoint[];
  readonly stream: readonly PeakSweepPoint[];
}

/** How a peak run was set up: what the result's figures depend on besides the device. */
export interface PeakSettings {
  /** --quick: the small sweep and short budgets the tests use; not the device's limits. */
  readonly quick: boolean;
  /** How the kernels were timed: the pass's own timestamps, or wall-clock slopes. */
  readonly timing: 'timestamps' | 'wall-clock';
  /** The largest buffer the device allowed the sweeps (bytes): min of its buffer limits. */
  readonly maxBytes: number;
  /** The FMA kernel's shape: invocations per dispatch and loop iterations of each. */
  readonly flops: {
    readonly invocations: number;
    readonly iterations: number;
    readonly fmasPerIteration: number;
  };
}

/** What a peak run measured on its device; the measuring process adds the result's envelope. */
export interface PeakMeasurement {
  readonly limits: PeakLimits;
  readonly sweeps: PeakSweeps;
  readonly settings: PeakSettings;
  /** From the first measurement to the last, ms. */
  readonly elapsedMs: number;
  /** Set when the device was lost during the run: its figures are not the device's. */
  readonly deviceLost?: string;
}
