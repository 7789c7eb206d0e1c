import { classifyStamps, TIMING } from './timestamp-check.js';
import { falsifyStamps, timestampFault } from './timestamp-faults.js';

/**
 * Begin/end timestamp slots in one query set, for compute passes: each timed pass takes a pair,
 * and the set is resolved and read back only between ops (`read`), so no op pays for a mapAsync
 * of its own. The one implementation behind wgprof's kernel timer (a slot per timed op), the
 * op-module instrumentation and the trace recorder (a slot per pass, on whatever device the pass
 * is on).
 *
 * Query sets are few: one per device, made once and reused, and at most QUERY_SET_BUDGET per
 * thread (a Metal device holds only about 32 counter sample buffers at once, gpuweb issue 3652).
 * A query set is made inside error scopes and handed out only once they say it exists: a pass
 * given an invalid query set would fail the submit it is in, the user's work included. Until
 * then (`ready()`), and for good if it failed, `next()` gives no slot and the reason is kept.
 *
 * The WebGPU flags are the spec's numbers, not dawn.node's `globals`: the trace's preload runs in
 * the user's program and must not load wgprof's own copy of dawn.node (device/webgpu-globals.ts
 * would).
 */
const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, QUERY_RESOLVE: 0x200 } as const;
const MAP_MODE_READ = 0x1;

/** A query set holds at most 4,096 queries: 2,048 pairs. */
export const MAX_TIMESTAMP_SLOTS = 2048;

/**
 * Query sets one thread may hold at once: a profile's thread has one device, a pool of 8 one
 * per worker thread; a traced thread past this many devices leaves the rest untimed, and says so.
 */
export const QUERY_SET_BUDGET = 8;

let liveQuerySets = 0;

/** Query sets this thread holds now: what the budget counts. */
export function querySetsHeld(): number {
  return liveQuerySets;
}

/** Per slot, the GPU duration (ns; NaN where the reading failed) and its code (TIMING). */
export interface SlotReadings {
  readonly ns: Float64Array;
  readonly codes: Uint8Array;
}

type State = 'none' | 'pending' | 'ready' | 'failed';

export class TimestampSlots {
  private querySet: GPUQuerySet | undefined;
  private resolveBuffer: GPUBuffer | undefined;
  private readBuffer: GPUBuffer | undefined;
  private used = 0;
  private state: State = 'none';
  private checking: Promise<boolean> | undefined;
  /** Why no slot can be given: the query set could not be made. */
  failure: string | undefined;

  constructor(
    private readonly device: GPUDevice,
    readonly capacity = MAX_TIMESTAMP_SLOTS,
  ) {}

  /** Makes the query set and buffers now (inside error scopes); `ready()` tells whether it worked. */
  prepare(): this {
    this.makeQuerySet();
    return this;
  }

  /** True once the query set exists; false for good when it could not be made. */
  ready(): Promise<boolean> {
    this.makeQuerySet();
    return this.checking ?? Promise.resolve(this.state === 'ready');
  }

  private makeQuerySet(): void {
    if (this.state !== 'none') return;
    if (liveQuerySets >= QUERY_SET_BUDGET) {
      this.fail(`over wgprof's budget of ${QUERY_SET_BUDGET} query sets per thread`);
      return;
    }
    this.state = 'pending';
    const device = this.device;
    const size = this.capacity * 2 * 8;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    device.pushErrorScope('internal');
    // The injected fault asks for one query more than a set may hold: Dawn's own validation error.
    const count = this.capacity * 2 + (timestampFault === 'no-query-set' ? 4097 : 0);
    this.querySet = device.createQuerySet({ type: 'timestamp', count });
    this.resolveBuffer = device.createBuffer({ size, usage: USAGE.QUERY_RESOLVE | USAGE.COPY_SRC });
    this.readBuffer = device.createBuffer({ size, usage: USAGE.MAP_READ | USAGE.COPY_DST });
    liveQuerySets++;
    const scopes = [device.popErrorScope(), device.popErrorScope(), device.popErrorScope()];
    this.checking = Promise.all(scopes).then(
      (errors) => {
        const error = errors.find((e) => e !== null);
        if (error) this.fail(`the query set could not be made: ${error.message.split('\n')[0] ?? ''}`);
        else if (this.state === 'pending') this.state = 'ready';
        return this.state === 'ready';
      },
      (error: unknown) => {
        this.fail(
          `the query set could not be made: ${error instanceof Error ? error.message : String(error)}`,
        );
        return false;
      },
    );
  }

  private fail(reason: string): void {
    if (this.state === 'failed') return;
    const held = this.querySet !== undefined;
    this.state = 'failed';
    this.failure = reason;
    this.release();
    if (held) liveQuerySets--;
  }

  /** Whether timed passes can be given slots now (the query set exists). */
  get usable(): boolean {
    return this.state === 'ready';
  }

  get usedSlots(): number {
    return this.used;
  }

  get full(): boolean {
    return this.used === this.capacity;
  }

  /**
   * The next pass's timestampWrites and its slot; undefined when the slots ran out, or the query
   * set is not (yet) known to exist: the first call starts making it.
   */
  next(): { writes: GPUComputePassTimestampWrites; slot: number } | undefined {
    if (this.state === 'none') this.makeQuerySet();
    if (this.state !== 'ready' || this.full || !this.querySet) return undefined;
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
    const { querySet, resolveBuffer, readBuffer } = this;
    if (count === 0 || !querySet || !resolveBuffer || !readBuffer) return new BigUint64Array(0);
    const bytes = count * 2 * 8;
    const encoder = this.device.createCommandEncoder();
    encoder.resolveQuerySet(querySet, 0, count * 2, resolveBuffer, 0);
    encoder.copyBufferToBuffer(resolveBuffer, 0, readBuffer, 0, bytes);
    this.device.queue.submit([encoder.finish()]);
    await readBuffer.mapAsync(MAP_MODE_READ, 0, bytes);
    try {
      return falsifyStamps(new BigUint64Array(readBuffer.getMappedRange(0, bytes).slice(0)), timestampFault);
    } finally {
      readBuffer.unmap();
    }
  }

  /** The same read as durations with their codes: NaN and zero or reversed where a pair fails. */
  async read(): Promise<SlotReadings> {
    return readingsOf(await this.readStamps());
  }

  /** Frees the query set and buffers; the slots give nothing after. */
  destroy(): void {
    const held = this.querySet !== undefined && this.state !== 'failed';
    this.release();
    if (held) liveQuerySets--;
    if (this.state !== 'failed') {
      this.state = 'failed';
      this.failure = 'its query set was destroyed';
    }
  }

  private release(): void {
    this.querySet?.destroy();
    this.resolveBuffer?.destroy();
    this.readBuffer?.destroy();
    this.querySet = undefined;
    this.resolveBuffer = undefined;
    this.readBuffer = undefined;
  }
}

/** Durations and codes of read-back stamps (begin and end of slot k at 2k and 2k + 1). */
export function readingsOf(stamps: BigUint64Array): SlotReadings {
  const n = Math.floor(stamps.length / 2);
  const ns = new Float64Array(n);
  const codes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const begin = stamps[2 * i] ?? 0n;
    const end = stamps[2 * i + 1] ?? 0n;
    const code = classifyStamps(begin, end);
    codes[i] = code;
    ns[i] = code === TIMING.timed ? Number(end - begin) : Number.NaN;
  }
  return { ns, codes };
}
