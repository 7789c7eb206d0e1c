/**
 * The timestamp slots of one device of a traced program. As instrument/pass-timestamps.ts, but
 * it returns the raw begin and end of each pass (the trace draws passes on the GPU's clock), and
 * uses the WebGPU flag values as numbers: the preload must not load wgprof's own copy of
 * dawn.node into the program (device/webgpu-globals.ts would).
 */
const PASSES = 2048;
const QUERY_RESOLVE = 0x200;
const COPY_SRC = 0x4;
const COPY_DST = 0x8;
const MAP_READ = 0x1;
const MAP_MODE_READ = 0x1;

export class TraceTimestamps {
  private querySet: GPUQuerySet | undefined;
  private resolveBuffer: GPUBuffer | undefined;
  private readBuffer: GPUBuffer | undefined;
  private used = 0;

  constructor(private readonly device: GPUDevice) {}

  get usedSlots(): number {
    return this.used;
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

  /**
   * Resolves, copies and maps every slot used since the last read, and frees them: begin and end
   * of slot k at 2k and 2k+1. The GPU calls are made before the first await (the caller turns
   * the recorder off around them).
   */
  async read(): Promise<BigUint64Array> {
    const count = this.used;
    this.used = 0;
    if (count === 0 || !this.querySet) return new BigUint64Array(0);
    const bytes = count * 2 * 8;
    this.resolveBuffer ??= this.device.createBuffer({ size: PASSES * 16, usage: QUERY_RESOLVE | COPY_SRC });
    this.readBuffer ??= this.device.createBuffer({ size: PASSES * 16, usage: MAP_READ | COPY_DST });
    const readBuffer = this.readBuffer;
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
}
