import { BufferUsage } from '../device/webgpu-globals.js';
import { sizeLabel, sweepGoesOn } from './peak-plan.js';
import type { PeakContext } from './peak-device.js';
import type { PeakSweepPoint } from './peak-types.js';

/** What measuring one size gave: its point, and one op's median time there (ns), which decides whether the sweep goes on. */
export interface SizeOutcome {
  readonly point: PeakSweepPoint;
  readonly opNs: number;
}

/**
 * Measures `sizes` in order, smallest first, and stops early: at a size the device could not
 * hold (`measure` gives undefined), past 64 MiB once an op takes long (peak-plan.ts), or when
 * the user asks to stop.
 */
export async function runSweep(
  ctx: PeakContext,
  name: string,
  sizes: readonly number[],
  measure: (bytes: number) => Promise<SizeOutcome | undefined>,
): Promise<PeakSweepPoint[]> {
  const points: PeakSweepPoint[] = [];
  for (const bytes of sizes) {
    if (ctx.stop()) break;
    ctx.step(`${name} ${sizeLabel(bytes)}`);
    const outcome = await measure(bytes);
    if (!outcome) break;
    points.push(outcome.point);
    if (!sweepGoesOn(bytes, outcome.opNs)) break;
  }
  return points;
}

/** A pattern of non-zero floats, written into every buffer a sweep reads: no device can skip zeros. */
const PATTERN = Float32Array.from({ length: (4 << 20) / 4 }, (_, i) => 1 + (i % 1000) / 1000);

/** Fills `buffer` (COPY_DST) with the pattern through the queue, in 4 MiB writes. */
export function fillBuffer(device: GPUDevice, buffer: GPUBuffer, bytes: number): void {
  for (let offset = 0; offset < bytes; offset += PATTERN.byteLength) {
    const size = Math.min(PATTERN.byteLength, bytes - offset);
    device.queue.writeBuffer(buffer, offset, PATTERN.buffer, 0, size);
  }
}

/** The usage of a buffer that a sweep reads or writes, and fills. */
export const SWEEP_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
