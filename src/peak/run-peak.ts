import type { GpuContext } from '../device/open-device.js';
import { copySweep, COPY_METHOD } from './copy-bandwidth.js';
import { measureF32Flops } from './f32-throughput.js';
import { nowNs, PassTimer, type PeakContext } from './peak-device.js';
import { measureFloors } from './peak-floors.js';
import { bandwidthLimit } from './peak-limits.js';
import { DEFAULT_BUDGET, maxSweepBytes, QUICK_BUDGET, sweepSizes } from './peak-plan.js';
import { FMAS_PER_ITERATION } from './peak-shaders.js';
import type { PeakMeasurement, PeakSettings } from './peak-types.js';
import { streamMethod, streamSweep } from './stream-bandwidth.js';

export interface RunPeakOptions {
  /** The short sweep and budgets of the tests: not the device's limits. */
  readonly quick: boolean;
  /** True once the user asked to stop. */
  readonly stop: () => boolean;
  /** A step starts: its label, steps done, steps in all. */
  readonly onStep: (label: string, done: number, total: number) => void;
}

/**
 * Measures the limits of `gpu`'s device: the floors first (a few thousand tiny ops, before any
 * large buffer exists), then the copy and stream sweeps, then the arithmetic rate.
 */
export async function runPeak(gpu: GpuContext, options: RunPeakOptions): Promise<PeakMeasurement> {
  const start = nowNs();
  const limits = gpu.info.limits;
  const copySizes = sweepSizes(maxSweepBytes(limits, 'copy'), options.quick);
  const streamSizes = sweepSizes(maxSweepBytes(limits, 'stream'), options.quick);
  const total = copySizes.length + streamSizes.length + 2;
  let done = 0;
  const timer = await PassTimer.open(gpu.device);
  const ctx: PeakContext = {
    device: gpu.device,
    budget: options.quick ? QUICK_BUDGET : DEFAULT_BUDGET,
    timer,
    stop: options.stop,
    step: (label) => options.onStep(label, done++, total),
  };
  try {
    const floors = await measureFloors(ctx);
    const copy = await copySweep(ctx, copySizes);
    const stream = await streamSweep(ctx, streamSizes);
    const flops = await measureF32Flops(ctx);
    const settings: PeakSettings = {
      quick: options.quick,
      timing: timer ? 'timestamps' : 'wall-clock',
      maxBytes: maxSweepBytes(limits, 'stream'),
      flops: {
        invocations: flops.invocations,
        iterations: flops.iterations,
        fmasPerIteration: FMAS_PER_ITERATION,
      },
    };
    const lost = gpu.lost;
    return {
      limits: {
        copyBandwidth: bandwidthLimit(copy, COPY_METHOD),
        streamBandwidth: bandwidthLimit(stream, streamMethod(timer !== undefined)),
        f32Flops: flops.limit,
        ...floors,
      },
      sweeps: { copy, stream },
      settings,
      elapsedMs: (nowNs() - start) / 1e6,
      ...(lost ? { deviceLost: `${lost.reason}: ${lost.message}` } : {}),
    };
  } finally {
    timer?.destroy();
  }
}
