import type { DeviceInfo } from '../device/device-info.js';
import { DEFAULT_GPU_TIME, type GpuTimePlan } from '../config/gpu-time.js';
import type { RecordStore } from './record-store.js';
import { isSteadyOp } from './steady-state.js';
import { timestampHealth, TIMING, wroteTimestamps } from '../device/timestamp-check.js';
import { timingSummary, type TimingSummary } from './timing-cost.js';

/**
 * A store's steady ok totals, split by whether the op wrote GPU timestamps; `settle` are the
 * untimed ops right after timed ones, in neither figure (their time is part of the wall all the same).
 */
export function totalsByTiming(store: RecordStore): { untimed: number[]; timed: number[]; settle: number[] } {
  const statuses = store.statusCodes;
  const colds = store.coldFlags;
  const codes = store.timingCodes;
  const totals = store.totalsNs;
  const untimed: number[] = [];
  const timed: number[] = [];
  const settle: number[] = [];
  for (let i = 0; i < store.count; i++) {
    const total = totals[i] ?? NaN;
    if (statuses[i] !== 0 || !isSteadyOp(colds[i] === 1, store.everyOpCold) || Number.isNaN(total)) continue;
    sideOfCode(codes[i] ?? TIMING.untimed, untimed, timed, settle).push(total);
  }
  return { untimed, timed, settle };
}

/** The list an op's total goes to, by its timing code. */
export function sideOfCode<T>(code: number, untimed: T[], timed: T[], settle: T[]): T[] {
  if (code === TIMING.settle) return settle;
  return wroteTimestamps(code) ? timed : untimed;
}

/**
 * The timing of one store's ops (one process's), judged on its steady ok ops: the readings'
 * health, the cost of timing, what the CPU-side figures are of. When the device's timestamps
 * cannot be trusted, every GPU time in the store is dropped here, before anything summarises it:
 * they are not figures.
 */
export function opTiming(
  store: RecordStore,
  plan: GpuTimePlan | undefined,
  device: Pick<DeviceInfo, 'timestampQuantizationDisabled'>,
): TimingSummary {
  const statuses = store.statusCodes;
  const colds = store.coldFlags;
  const steadyOk = (i: number): boolean => statuses[i] === 0 && isSteadyOp(colds[i] === 1, store.everyOpCold);
  const gpu = store.has('kernelGpu') ? store.column('kernelGpu') : new Float64Array(0);
  const health = timestampHealth(store.timingCodes, gpu, device.timestampQuantizationDisabled, steadyOk);
  const { untimed, timed } = totalsByTiming(store);
  const timing = timingSummary(plan ?? DEFAULT_GPU_TIME, [untimed], [timed], health);
  if (!timing.timestamps.trusted)
    for (let i = 0; i < store.count; i++) store.setIfPresent('kernelGpu', i, NaN);
  return timing;
}
