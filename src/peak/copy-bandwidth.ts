import { median } from '../statistics/index.js';
import { batchCounts, sizeBudgetMs } from './peak-plan.js';
import { nowNs, scoped, submitAndWait, wallSlopes, type PeakContext } from './peak-device.js';
import { rateOf } from './peak-limits.js';
import { fillBuffer, runSweep, SWEEP_USAGE, type SizeOutcome } from './peak-sweep.js';
import type { PeakSweepPoint } from './peak-types.js';

/** How the copy bandwidth is measured, for the result. */
export const COPY_METHOD =
  'copyBufferToBuffer on the device, k copies per submit awaited with onSubmittedWorkDone; a copy = the slope of wall time over k; bytes read + written';

/**
 * The device-local copy's bandwidth over `sizes`: bytes read plus bytes written per second
 * (a copy of N bytes moves 2N, as NVBench counts). WebGPU has no timestamps outside passes, so a
 * copy is timed on the CPU as the slope of k copies per submit against k.
 */
export function copySweep(ctx: PeakContext, sizes: readonly number[]): Promise<PeakSweepPoint[]> {
  return runSweep(ctx, 'copy', sizes, (bytes) => measureCopy(ctx, bytes));
}

async function measureCopy(ctx: PeakContext, bytes: number): Promise<SizeOutcome | undefined> {
  const { device, budget } = ctx;
  const made = await scoped(device, () => [
    device.createBuffer({ label: 'wgprof peak copy src', size: bytes, usage: SWEEP_USAGE }),
    device.createBuffer({ label: 'wgprof peak copy dst', size: bytes, usage: SWEEP_USAGE }),
  ]);
  if ('error' in made) return undefined;
  const [src, dst] = made.value as [GPUBuffer, GPUBuffer];
  try {
    fillBuffer(device, src, bytes);
    const encode = (encoder: GPUCommandEncoder, k: number): void => {
      for (let i = 0; i < k; i++) encoder.copyBufferToBuffer(src, 0, dst, 0, bytes);
    };
    const once = async (): Promise<number> => {
      const encoder = device.createCommandEncoder();
      encode(encoder, 1);
      return submitAndWait(device, [encoder.finish()]);
    };
    // The first copies pay for the fill and Dawn's lazy zeroing of dst: untimed.
    await once();
    await once();
    const oneNs = median([await once(), await once(), await once()]);
    const slopes = await wallSlopes(device, encode, batchCounts(oneNs, budget.batchNs), {
      minRounds: budget.minSamples,
      untilNs: nowNs() + sizeBudgetMs(bytes, budget) * 1e6,
      stop: ctx.stop,
    });
    const rate = rateOf(2 * bytes, slopes);
    return rate ? { point: { bytes, ...rate }, opNs: median(slopes) } : undefined;
  } finally {
    src.destroy();
    dst.destroy();
  }
}
