/**
 * Begin/end timestamp slots in one query set, for compute passes: each timed pass takes a pair,
 * and the set is resolved and read back only between ops (`read`), so no op pays for a mapAsync
 * of its own. The one implementation behind wgprof's kernel timer (a slot per op), the op-module
 * instrumentation and the trace recorder (a slot per pass, on whatever device the pass is on).
 *
 * The WebGPU flags are the spec's numbers, not dawn.node's `globals`: the trace's preload runs in
 * the user's program and must not load wgprof's own copy of dawn.node (device/webgpu-globals.ts
 * would). The query set and buffers are made on first use.
 */
const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, QUERY_RESOLVE: 0x200 } as const;
const MAP_MODE_READ = 0x1;

/** A query set holds at most 4,096 queries: 2,048 pairs. */
export const MAX_TIMESTAMP_SLOTS = 2048;

export class TimestampSlots {
  private querySet: GPUQuerySet | undefined;
  private resolveBuffer: GPUBuffer | undefined;
  private readBuffer: GPUBuffer | undefined;
  private used = 0;

  constructor(
    private readonly device: GPUDevice,
    readonly capacity = MAX_TIMESTAMP_SLOTS,
  ) {}

  /** Makes the query set and buffers now, so that the first timed op does not (wgprof's kernel timer). */
  prepare(): this {
    this.querySet ??= this.device.createQuerySet({ type: 'timestamp', count: this.capacity * 2 });
    const size = this.capacity * 2 * 8;
    this.resolveBuffer ??= this.device.createBuffer({ size, usage: USAGE.QUERY_RESOLVE | USAGE.COPY_SRC });
    this.readBuffer ??= this.device.createBuffer({ size, usage: USAGE.MAP_READ | USAGE.COPY_DST });
    return this;
  }

  get usedSlots(): number {
    return this.used;
  }

  get full(): boolean {
    return this.used === this.capacity;
  }

  /** The next pass's timestampWrites and its slot; undefined when the slots ran out. */
  next(): { writes: GPUComputePassTimestampWrites; slot: number } | undefined {
    if (this.full) return undefined;
    this.querySet ??= this.device.createQuerySet({ type: 'timestamp', count: this.capacity * 2 });
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

  /**
   * Resolves, copies and maps every slot used since the last read, and frees them: begin and end
   * of slot k at 2k and 2k+1 (GPU clock, ns). The GPU calls are made before the first await.
   */
  async readStamps(): Promise<BigUint64Array> {
    const count = this.used;
    this.used = 0;
    if (count === 0 || !this.querySet) return new BigUint64Array(0);
    const bytes = count * 2 * 8;
    const size = this.capacity * 2 * 8;
    this.resolveBuffer ??= this.device.createBuffer({ size, usage: USAGE.QUERY_RESOLVE | USAGE.COPY_SRC });
    const readBuffer = (this.readBuffer ??= this.device.createBuffer({
      size,
      usage: USAGE.MAP_READ | USAGE.COPY_DST,
    }));
    const encoder = this.device.createCommandEncoder();
    encoder.resolveQuerySet(this.querySet, 0, count * 2, this.resolveBuffer, 0);
    encoder.copyBufferToBuffer(this.resolveBuffer, 0, readBuffer, 0, bytes);
    this.device.queue.submit([encoder.finish()]);
    await readBuffer.mapAsync(MAP_MODE_READ, 0, bytes);
    try {
      return new BigUint64Array(readBuffer.getMappedRange(0, bytes).slice(0));
    } finally {
      readBuffer.unmap();
    }
  }

  /** The same read as durations: ns per slot, NaN where the pair is missing or runs backwards. */
  async read(): Promise<Float64Array> {
    const stamps = await this.readStamps();
    const durations = new Float64Array(stamps.length / 2);
    for (let i = 0; i < durations.length; i++) {
      const begin = stamps[2 * i] ?? 0n;
      const end = stamps[2 * i + 1] ?? 0n;
      durations[i] = end > begin && begin > 0n ? Number(end - begin) : Number.NaN;
    }
    return durations;
  }

  destroy(): void {
    this.querySet?.destroy();
    this.resolveBuffer?.destroy();
    this.readBuffer?.destroy();
  }
}
