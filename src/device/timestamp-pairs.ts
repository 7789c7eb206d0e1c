import { MapMode } from './webgpu-globals.js';

/** The buffers a query set of timestamps is read back through: resolved, then copied to a mappable one. */
export interface TimestampBuffers {
  readonly querySet: GPUQuerySet;
  readonly resolveBuffer: GPUBuffer;
  readonly readBuffer: GPUBuffer;
}

/**
 * The durations of the first `count` begin/end pairs of a timestamp query set, ns: resolved,
 * copied and mapped in one submit. NaN where a pair is missing or runs backwards. Shared by
 * wgprof's kernels' timer (op/gpu-timer.ts) and the instrumentation's per-pass slots.
 */
export async function readTimestampPairs(
  device: GPUDevice,
  buffers: TimestampBuffers,
  count: number,
): Promise<Float64Array> {
  const durations = new Float64Array(count);
  if (count === 0) return durations;
  const { querySet, resolveBuffer, readBuffer } = buffers;
  const bytes = count * 2 * 8;
  const encoder = device.createCommandEncoder();
  encoder.resolveQuerySet(querySet, 0, count * 2, resolveBuffer, 0);
  encoder.copyBufferToBuffer(resolveBuffer, 0, readBuffer, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await readBuffer.mapAsync(MapMode.READ, 0, bytes);
  try {
    const stamps = new BigUint64Array(readBuffer.getMappedRange(0, bytes));
    for (let i = 0; i < count; i++) {
      const begin = stamps[2 * i] ?? 0n;
      const end = stamps[2 * i + 1] ?? 0n;
      durations[i] = end > begin && begin > 0n ? Number(end - begin) : Number.NaN;
    }
  } finally {
    readBuffer.unmap();
  }
  return durations;
}
