import { readTimestampPairs } from '../device/timestamp-pairs.js';
import { BufferUsage } from '../device/webgpu-globals.js';

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

  constructor(private readonly device: GPUDevice) {
    this.available = device.features.has('timestamp-query');
  }

  /**
   * True when the device can time passes at all (the feature was asked for when it opened). Read
   * once: `device.features` is a native call, and this is asked on every pass (0.23 us each).
   */
  readonly available: boolean;

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
  read(): Promise<Float64Array> {
    const count = this.used;
    this.used = 0;
    if (count === 0 || !this.querySet) return Promise.resolve(new Float64Array(count));
    this.resolveBuffer ??= this.device.createBuffer({
      size: PASSES * 2 * 8,
      usage: BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC,
    });
    this.readBuffer ??= this.device.createBuffer({
      size: PASSES * 2 * 8,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    const { querySet, resolveBuffer, readBuffer } = this;
    return readTimestampPairs(this.device, { querySet, resolveBuffer, readBuffer }, count);
  }

  destroy(): void {
    this.querySet?.destroy();
    this.resolveBuffer?.destroy();
    this.readBuffer?.destroy();
  }
}
