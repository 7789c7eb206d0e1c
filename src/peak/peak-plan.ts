/**
 * How much `wgprof peak` measures, and for how long: the sizes of its sweeps, the budgets that
 * keep a default run under 30 s on lavapipe (a CPU of 2 cores), and the counts of its wall-clock
 * regressions. Pure: the device's limits and earlier measurements in, numbers out.
 */

const MIB = 1 << 20;

/** The sweep's sizes, one buffer each; a size past 64 MiB is measured only on a fast device. */
export const SWEEP_BYTES: readonly number[] = [1, 4, 16, 64, 256, 1024].map((m) => m * MIB);

/** --quick's sweep: enough to check the machinery, not the device's limit. */
export const QUICK_SWEEP_BYTES: readonly number[] = [1, 4].map((m) => m * MIB);

/** Every size up to 64 MiB is measured; past it, only while the last size's op took less than this. */
export const ALWAYS_UP_TO_BYTES = 64 * MIB;
export const GROW_BELOW_NS = 2e6;

/** Budgets of one run, ms, and the time one wall-clock batch or FMA dispatch aims at, ns. */
export interface PeakBudget {
  /** Per size of each bandwidth sweep. */
  readonly perSizeMs: number;
  readonly flopsMs: number;
  readonly floorsMs: number;
  /** Rounds of the three floors at most (each round one op of each). */
  readonly floorRounds: number;
  /** What the largest batch of a wall-clock regression should take: well above its floor's noise. */
  readonly batchNs: number;
  /** What one FMA dispatch should take. */
  readonly dispatchNs: number;
  /** Rounds (or timed passes) per size at least, budget or not. */
  readonly minSamples: number;
}

export const DEFAULT_BUDGET: PeakBudget = {
  perSizeMs: 1100,
  flopsMs: 2500,
  floorsMs: 2500,
  floorRounds: 1500,
  batchNs: 20e6,
  dispatchNs: 20e6,
  minSamples: 5,
};

export const QUICK_BUDGET: PeakBudget = {
  perSizeMs: 150,
  flopsMs: 300,
  floorsMs: 400,
  floorRounds: 150,
  batchNs: 4e6,
  dispatchNs: 4e6,
  minSamples: 3,
};

/** The largest buffer a sweep may use, bytes: the copy needs one buffer, the stream kernel a binding. */
export function maxSweepBytes(
  limits: { readonly maxBufferSize: number; readonly maxStorageBufferBindingSize: number },
  kind: 'copy' | 'stream',
): number {
  return kind === 'copy'
    ? limits.maxBufferSize
    : Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
}

/** The sizes a sweep may measure, smallest first: those of the plan that the device allows. */
export function sweepSizes(maxBytes: number, quick: boolean): number[] {
  return (quick ? QUICK_SWEEP_BYTES : SWEEP_BYTES).filter((bytes) => bytes <= maxBytes);
}

/** Whether the sweep goes on past `bytes`, whose op took `opNs`: always up to 64 MiB, then only on a fast device. */
/**
 * How long one size of a sweep is measured, ms: three times the budget from 64 MiB on. The
 * largest buffer measured is the device's bandwidth (past the caches), and on lavapipe a 64 MiB
 * copy is 5-8 ms: with one budget it got 5 to 9 rounds, and its CI ran from 0.78 to 34.6 GB/s
 * on a busy machine.
 */
export function sizeBudgetMs(bytes: number, budget: PeakBudget): number {
  return bytes >= ALWAYS_UP_TO_BYTES ? 3 * budget.perSizeMs : budget.perSizeMs;
}

export function sweepGoesOn(bytes: number, opNs: number): boolean {
  return bytes < ALWAYS_UP_TO_BYTES || opNs < GROW_BELOW_NS;
}

/**
 * The batch sizes of a wall-clock regression (k ops in one submit, each awaited): up to the k
 * whose batch takes about `batchNs`, at least 4 and at most 64, in four steps. The slope of time
 * against k is one op's time; the submit's floor, the same in every batch, is its intercept.
 */
export function batchCounts(oneOpNs: number, batchNs: number): number[] {
  const most = Math.max(4, Math.min(64, Math.round(batchNs / Math.max(oneOpNs, 1))));
  return [...new Set([1, 2, 3, 4].map((q) => Math.max(1, Math.round((most * q) / 4))))];
}

/**
 * The FMA kernel's loop count for a dispatch of `targetNs`, from a dispatch of `iterations` that
 * took `tookNs`: proportional, at least 1, at most 2^20.
 */
export function scaledIterations(iterations: number, tookNs: number, targetNs: number): number {
  const scaled = Math.round((iterations * targetNs) / Math.max(tookNs, 1));
  return Math.max(1, Math.min(1 << 20, scaled));
}

/** "64 MiB", "512 KiB": a buffer's size as the sweeps write it. */
export function sizeLabel(bytes: number): string {
  return bytes >= MIB ? `${bytes / MIB} MiB` : `${bytes / 1024} KiB`;
}
