import { BufferUsage, MapMode } from '../device/webgpu-globals.js';

/** A query set holds at most 4,096 queries: 2,048 passes between read-backs. */
const PASSES = 2048;

/**
 * The timestamp slots of one device's compute passes. Each timed pass gets a begin/end pair in
 * one query set; the set is resolved and read back only between ops (`read`), so no op pays
 * for a mapAsync of its own. The same scheme as op/gpu-timer.ts, with a slot per pass rather
 * than per op, for a device the op may have opened itself.
 */
export class PassTimestamps {
  private querySet: GPUQuerySet | undefined;
  private resolveBuffer: GPUBuffer | undefined;
  private readBuffer: GPUBuffer | undefined;
  private used = 0;

  constructor(private readonly device: GPUDevice) {}

  /** True when the device can time passes at all (the feature was asked for when it opened). */
  get available(): boolean {
    return this.device.features.has('timestamp-query');
  }

  get usedSlots(): number {
    return this.used;
  }

  get capacity(): number {
    return PASSES;
  }

  /** The next pass's timestampWrites and its slot; undefined when the slots ran out. */
  next(): { writes: GPUComputePassTimestampWrites; slot: number } | undefined {
    if (this.used === PASSES) return undefined;
    this.querySet ??= this.device.createQuerySet({ type: 'timestamp', count: PASSES * 2 });
    const slot = this.used++;
    return {
      slot,
      writes: {
        querySet: this.querySet,
        beginningOfPassWriteIndex: 2 * slot,
        endOfPassWriteIndex: 2 * slot + 1,
      },
    };
  }

  /** Reads back every slot used since the last read and frees them: ns per slot, NaN where missing. */
  async read(): Promise<Float64Array> {
    const count = this.used;
    this.used = 0;
    const durations = new Float64Array(count);
    if (count === 0 || !this.querySet) return durations;
    const bytes = count * 2 * 8;
    this.resolveBuffer ??= this.device.createBuffer({
      size: PASSES * 2 * 8,
      usage: BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC,
    });
    this.readBuffer ??= this.device.createBuffer({
      size: PASSES * 2 * 8,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    const encoder = this.device.createCommandEncoder();
    encoder.resolveQuerySet(this.querySet, 0, count * 2, this.resolveBuffer, 0);
    encoder.copyBufferToBuffer(this.resolveBuffer, 0, this.readBuffer, 0, bytes);
    this.device.queue.submit([encoder.finish()]);
    await this.readBuffer.mapAsync(MapMode.READ, 0, bytes);
    try {
      const stamps = new BigUint64Array(this.readBuffer.getMappedRange(0, bytes));
      for (let i = 0; i < count; i++) {
        const begin = stamps[2 * i] ?? 0n;
        const end = stamps[2 * i + 1] ?? 0n;
        durations[i] = end > begin && begin > 0n ? Number(end - begin) : Number.NaN;
      }
    } finally {
      this.readBuffer.unmap();
    }
    return durations;
  }

  destroy(): void {
    this.querySet?.destroy();
    this.resolveBuffer?.destroy();
    this.readBuffer?.destroy();
  }
}
