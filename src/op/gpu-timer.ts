import { readTimestampPairs } from '../device/timestamp-pairs.js';
import { BufferUsage } from '../device/webgpu-globals.js';

/**
 * GPU durations of compute passes from timestamp queries. Each op writes a begin/end pair into
 * its own slot of one query set; the whole set is resolved and read back only when the slots run
 * out or the run ends (`flush`), between ops, so no op pays for a mapAsync of its own.
 */
export class GpuTimer {
  readonly querySet: GPUQuerySet;
  readonly resolveBuffer: GPUBuffer;
  readonly readBuffer: GPUBuffer;
  private used = 0;

  /** `slots` ops fit between flushes; a query set holds at most 4,096 queries. */
  constructor(
    private readonly device: GPUDevice,
    readonly slots = 2048,
  ) {
    const bytes = slots * 2 * 8;
    this.querySet = device.createQuerySet({ type: 'timestamp', count: slots * 2 });
    this.resolveBuffer = device.createBuffer({
      size: bytes,
      usage: BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC,
    });
    this.readBuffer = device.createBuffer({
      size: bytes,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
  }

  get full(): boolean {
    return this.used === this.slots;
  }

  /** The timestampWrites for the next op's pass; call only when not `full`. */
  next(): GPUComputePassTimestampWrites {
    const slot = this.used++;
    return {
      querySet: this.querySet,
      beginningOfPassWriteIndex: 2 * slot,
      endOfPassWriteIndex: 2 * slot + 1,
    };
  }

  /**
   * Reads back every slot used since the last flush and frees them. Returns one duration in
   * nanoseconds per slot, in order; NaN where the pair is missing or runs backwards.
   */
  flush(): Promise<Float64Array> {
    const count = this.used;
    this.used = 0;
    return readTimestampPairs(this.device, this, count);
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolveBuffer.destroy();
    this.readBuffer.destroy();
  }
}
