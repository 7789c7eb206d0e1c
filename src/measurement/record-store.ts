import { threadId } from 'node:worker_threads';
import type { Phase } from '../op/phases.js';

/**
 * How an op ended. A failed op is a record with its message, not a hole in the data: `failed`
 * (it threw, or raised a GPU error), `timeout` (no answer within --op-timeout), `lost` (its
 * device or its worker went away under it).
 */
export const OP_STATUS = ['ok', 'failed', 'timeout', 'lost'] as const;
export type OpStatus = (typeof OP_STATUS)[number];
export type FailedStatus = Exclude<OpStatus, 'ok'>;

/** The phases an op's own thread times, in the order appendOp takes them. */
export const TIMED_PHASES = ['creation', 'kernelCpu', 'sync', 'readback'] as const;

/**
 * A store's columns as plain typed arrays: what a store copies out (`toBatch`) and takes in
 * (`appendBatch`), whichever thread or process recorded it.
 */
export interface RecordBatch {
  readonly starts: Float64Array;
  readonly totals: Float32Array;
  readonly statuses: Uint8Array;
  readonly colds: Uint8Array;
  /** Each op's GPU timing code (device/timestamp-check.ts's TIMING). */
  readonly timings: Uint8Array;
  readonly threads: Int32Array;
  readonly innerStarts: Float64Array;
  readonly phases: Partial<Record<Phase, Float32Array>>;
  readonly errors: [number, string][];
}

/**
 * One op's record as a plain object: what a worker sends for each op it runs on request (by
 * message), and what the atomics handoff writes into shared memory slot by slot (ROW_SLOTS).
 * Times are ns; `start` and `innerStart` since the run's origin, shared by every thread.
 */
export interface RecordRow {
  readonly start: number;
  readonly innerStart: number;
  readonly total: number;
  readonly status: OpStatus;
  readonly thread: number;
  readonly phases: Partial<Record<Phase, number>>;
  /** Whether it wrote GPU timestamps and how its reading went (TIMING); absent: untimed. */
  readonly timing?: number;
  readonly message?: string;
}

/** The numeric fields of a RecordRow, each at a named float64 slot of a shared block. */
export const ROW_SLOTS = {
  start: 0,
  innerStart: 1,
  total: 2,
  status: 3,
  thread: 4,
  creation: 5,
  kernelCpu: 6,
  kernelGpu: 7,
  sync: 8,
  readback: 9,
  timing: 10,
} as const;
export const ROW_SLOT_COUNT = 11;
type RowPhase = Extract<keyof typeof ROW_SLOTS, Phase>;
const ROW_PHASES: readonly RowPhase[] = ['creation', 'kernelCpu', 'kernelGpu', 'sync', 'readback'];

/** Writes `row` (but its message, which travels apart) into a block of ROW_SLOT_COUNT float64s. */
export function writeRow(slots: Float64Array, row: RecordRow): void {
  slots[ROW_SLOTS.start] = row.start;
  slots[ROW_SLOTS.innerStart] = row.innerStart;
  slots[ROW_SLOTS.total] = row.total;
  slots[ROW_SLOTS.status] = OP_STATUS.indexOf(row.status);
  slots[ROW_SLOTS.thread] = row.thread;
  slots[ROW_SLOTS.timing] = row.timing ?? 0;
  for (const phase of ROW_PHASES) slots[ROW_SLOTS[phase]] = row.phases[phase] ?? NaN;
}

export function readRow(slots: Float64Array, message?: string): RecordRow {
  const phases: Partial<Record<Phase, number>> = {};
  for (const phase of ROW_PHASES) {
    const v = slots[ROW_SLOTS[phase]] ?? NaN;
    if (!Number.isNaN(v)) phases[phase] = v;
  }
  return {
    start: slots[ROW_SLOTS.start] ?? NaN,
    innerStart: slots[ROW_SLOTS.innerStart] ?? NaN,
    total: slots[ROW_SLOTS.total] ?? NaN,
    status: OP_STATUS[slots[ROW_SLOTS.status] ?? 0] ?? 'failed',
    thread: slots[ROW_SLOTS.thread] ?? 0,
    phases,
    timing: slots[ROW_SLOTS.timing] ?? 0,
    ...(message === undefined ? {} : { message }),
  };
}

/** The typed arrays of a store, laid out over one buffer (shared) or each on its own. */
interface Columns {
  starts: Float64Array;
  innerStarts: Float64Array;
  totals: Float32Array;
  statuses: Uint8Array;
  /** 1 for an op that was the first of its worker's life (new isolate, device and pipeline). */
  colds: Uint8Array;
  /** Whether the op wrote GPU timestamps, and how their reading went (TIMING). */
  timings: Uint8Array;
  /** worker_threads' threadId of the thread that ran each op (0: the main thread). */
  threads: Int32Array;
  phases: Map<Phase, Float32Array>;
}

/** A shared store begins with its published record count (int32), then its columns. */
const HEADER_BYTES = 8;

function sharedLayoutBytes(phases: readonly Phase[], capacity: number): number {
  const align8 = (n: number): number => Math.ceil(n / 8) * 8;
  return (
    HEADER_BYTES +
    align8(capacity * 8) * 2 +
    align8(capacity * 4) * (2 + phases.length) +
    align8(capacity) * 3
  );
}

function allocateColumns(phases: readonly Phase[], capacity: number, shared?: SharedArrayBuffer): Columns {
  if (!shared) {
    return {
      starts: new Float64Array(capacity),
      innerStarts: new Float64Array(capacity),
      totals: new Float32Array(capacity),
      statuses: new Uint8Array(capacity),
      colds: new Uint8Array(capacity),
      timings: new Uint8Array(capacity),
      threads: new Int32Array(capacity),
      phases: new Map(phases.map((p) => [p, new Float32Array(capacity)])),
    };
  }
  let offset = HEADER_BYTES;
  const take = <T>(make: (at: number) => T, bytes: number): T => {
    const view = make(offset);
    offset += Math.ceil(bytes / 8) * 8;
    return view;
  };
  const f64 = (): Float64Array => take((at) => new Float64Array(shared, at, capacity), capacity * 8);
  const f32 = (): Float32Array => take((at) => new Float32Array(shared, at, capacity), capacity * 4);
  return {
    starts: f64(),
    innerStarts: f64(),
    totals: f32(),
    threads: take((at) => new Int32Array(shared, at, capacity), capacity * 4),
    phases: new Map(phases.map((p) => [p, f32()])),
    statuses: take((at) => new Uint8Array(shared, at, capacity), capacity),
    colds: take((at) => new Uint8Array(shared, at, capacity), capacity),
    timings: take((at) => new Uint8Array(shared, at, capacity), capacity),
  };
}

/**
 * The records of one strategy's run, column by column in typed arrays: no per-op objects, and
 * about 44 bytes per op on the main thread (56 with a worker's seven phases), so that a million
 * ops cost tens of megabytes. Durations are nanoseconds as float32: exact below 2^24 ns (16.8 ms),
 * and within 64 ns (under the clock's own floor of about 70 ns) up to a second, a relative 6e-8
 * beyond; NaN marks a phase that did not happen in that op. Starts are nanoseconds since `origin`
 * as float64 (exact for 104 days), one process.hrtime.bigint() reading shared by every thread.
 *
 * A store made by `RecordStore.shared` lives in a SharedArrayBuffer of fixed capacity, and
 * publishes its count after each record: the persistent worker records into one, so that the
 * main thread keeps every op it finished even when the worker dies in the middle of a chunk.
 */
export class RecordStore {
  private capacity: number;
  private length = 0;
  private cols: Columns;
  /** The same phase columns as a list, and the ones appendOp fills, looked up once, not per op. */
  private columnList: Float32Array[] = [];
  private timed: (Float32Array | undefined)[] = [];
  private readonly published: Int32Array | undefined;
  /** Messages of the ops that did not end `ok`, by op index. */
  readonly errors = new Map<number, string>();
  /**
   * True when the run times every op (--gpu-time every): its CPU-side figures are then of all its
   * ops (measurement/timing-filter.ts). Set by whoever knows the run's plan.
   */
  everyOpTimed = false;

  /**
   * @param everyOpCold true when each op runs on a thread of its own (a fresh worker per op):
   *   every op is then a first op, and its steady state is made of those.
   */
  constructor(
    readonly phases: readonly Phase[],
    readonly origin: bigint,
    initialCapacity = 1024,
    readonly everyOpCold = false,
    readonly sharedBuffer?: SharedArrayBuffer,
  ) {
    this.capacity = Math.max(1, initialCapacity);
    this.cols = allocateColumns(phases, this.capacity, sharedBuffer);
    this.published = sharedBuffer ? new Int32Array(sharedBuffer, 0, 1) : undefined;
    if (this.published) this.length = Atomics.load(this.published, 0);
    this.indexColumns();
  }

  /** A store of fixed `capacity` in shared memory; `new RecordStore(phases, origin, capacity, false, buffer)` views it elsewhere. */
  static shared(
    phases: readonly Phase[],
    origin: bigint,
    capacity: number,
  ): { store: RecordStore; buffer: SharedArrayBuffer } {
    const buffer = new SharedArrayBuffer(sharedLayoutBytes(phases, Math.max(1, capacity)));
    return { store: new RecordStore(phases, origin, Math.max(1, capacity), false, buffer), buffer };
  }

  private indexColumns(): void {
    this.columnList = [...this.cols.phases.values()];
    this.timed = TIMED_PHASES.map((phase) => this.cols.phases.get(phase));
  }

  get count(): number {
    return this.published ? Atomics.load(this.published, 0) : this.length;
  }

  /** Bytes the columns hold (capacity included): what recording costs in memory. */
  get byteLength(): number {
    const c = this.cols;
    let bytes = 0;
    for (const array of [c.starts, c.totals, c.statuses, c.colds, c.timings, c.threads, c.innerStarts])
      bytes += array.byteLength;
    for (const column of c.phases.values()) bytes += column.byteLength;
    return bytes;
  }

  /** Appends an op that started at `start` (hrtime) with every phase unset; returns its index. */
  append(start: bigint): number {
    return this.appendAt(Number(start - this.origin));
  }

  private appendAt(startNs: number): number {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    const c = this.cols;
    c.starts[i] = startNs;
    c.totals[i] = NaN;
    c.statuses[i] = 0;
    c.colds[i] = 0;
    c.timings[i] = 0;
    c.threads[i] = threadId;
    c.innerStarts[i] = startNs;
    for (const column of this.columnList) column[i] = NaN;
    if (this.published) Atomics.store(this.published, 0, this.length);
    return i;
  }

  /** Appends a completed op from its thread's readings (ns; NaN for a phase it did not have). */
  appendOp(
    start: bigint,
    total: number,
    creation: number,
    kernelCpu: number,
    sync: number,
    readback: number,
    timing = 0,
  ): number {
    const i = this.append(start);
    this.cols.totals[i] = total;
    this.cols.timings[i] = timing;
    // Indexed, not destructured: this runs once per timed op.
    const timed = this.timed;
    const creationColumn = timed[0];
    if (creationColumn) creationColumn[i] = creation;
    const kernelCpuColumn = timed[1];
    if (kernelCpuColumn) kernelCpuColumn[i] = kernelCpu;
    const syncColumn = timed[2];
    if (syncColumn) syncColumn[i] = sync;
    const readbackColumn = timed[3];
    if (readbackColumn) readbackColumn[i] = readback;
    return i;
  }

  /** Appends an op that got no timings (it failed, timed out, or was lost), with its message. */
  appendFailure(start: bigint, status: FailedStatus, message: string): number {
    const i = this.append(start);
    this.cols.totals[i] = Number(process.hrtime.bigint() - start);
    this.fail(i, status, message);
    return i;
  }

  /** Appends the record a worker sent; phases this store lacks are dropped. */
  appendRow(row: RecordRow): number {
    const i = this.appendAt(row.start);
    const c = this.cols;
    c.totals[i] = row.total;
    c.threads[i] = row.thread;
    c.timings[i] = row.timing ?? 0;
    c.innerStarts[i] = row.innerStart;
    for (const [phase, ns] of Object.entries(row.phases) as [Phase, number][])
      this.setIfPresent(phase, i, ns);
    if (row.status !== 'ok') this.fail(i, row.status, row.message ?? `op ${row.status}`);
    return i;
  }

  /** Record `index` as a plain object, to send to another thread. */
  row(index: number): RecordRow {
    const c = this.cols;
    const phases: Partial<Record<Phase, number>> = {};
    for (const [phase, column] of c.phases) {
      const v = column[index] ?? NaN;
      if (!Number.isNaN(v)) phases[phase] = v;
    }
    const status = this.status(index);
    const message = this.errors.get(index);
    return {
      start: c.starts[index] ?? NaN,
      innerStart: c.innerStarts[index] ?? NaN,
      total: c.totals[index] ?? NaN,
      status,
      thread: c.threads[index] ?? 0,
      phases,
      timing: c.timings[index] ?? 0,
      ...(status !== 'ok' && message !== undefined ? { message } : {}),
    };
  }

  set(phase: Phase, index: number, ns: number): void {
    const column = this.cols.phases.get(phase);
    if (!column) throw new Error(`this run records no '${phase}' phase`);
    column[index] = ns;
  }

  setIfPresent(phase: Phase, index: number, ns: number): void {
    const column = this.cols.phases.get(phase);
    if (column) column[index] = ns;
  }

  get(phase: Phase, index: number): number {
    return this.cols.phases.get(phase)?.[index] ?? NaN;
  }

  setStart(index: number, start: bigint): void {
    this.cols.starts[index] = Number(start - this.origin);
  }

  setTotal(index: number, ns: number): void {
    this.cols.totals[index] = ns;
  }

  fail(index: number, status: FailedStatus, message: string): void {
    this.cols.statuses[index] = OP_STATUS.indexOf(status);
    this.errors.set(index, message);
  }

  /** Which thread ran the op, and when the op began inside it. */
  setThread(index: number, thread: number, innerStart: bigint): void {
    this.cols.threads[index] = thread;
    this.cols.innerStarts[index] = Number(innerStart - this.origin);
  }

  markCold(index: number): void {
    this.cols.colds[index] = 1;
  }

  /** Sets op `index`'s GPU timing code (device/timestamp-check.ts's TIMING). */
  setTiming(index: number, code: number): void {
    this.cols.timings[index] = code;
  }

  timing(index: number): number {
    return this.cols.timings[index] ?? 0;
  }

  has(phase: Phase): boolean {
    return this.cols.phases.has(phase);
  }

  status(index: number): OpStatus {
    return OP_STATUS[this.cols.statuses[index] ?? 0] ?? 'ok';
  }

  /** A phase's values for every op, widened to float64 (a copy: the statistics work in float64). */
  column(phase: Phase): Float64Array {
    const column = this.cols.phases.get(phase);
    if (!column) throw new Error(`this run records no '${phase}' phase`);
    return Float64Array.from(column.subarray(0, this.count));
  }

  get startsNs(): Float64Array {
    return this.cols.starts.subarray(0, this.count);
  }

  total(index: number): number {
    return this.cols.totals[index] ?? NaN;
  }

  get totalsNs(): Float64Array {
    return Float64Array.from(this.cols.totals.subarray(0, this.count));
  }

  get statusCodes(): Uint8Array {
    return this.cols.statuses.subarray(0, this.count);
  }

  get coldFlags(): Uint8Array {
    return this.cols.colds.subarray(0, this.count);
  }

  /** Each op's GPU timing code (TIMING): whether it wrote timestamps, and how they read. */
  get timingCodes(): Uint8Array {
    return this.cols.timings.subarray(0, this.count);
  }

  get threadIds(): Int32Array {
    return this.cols.threads.subarray(0, this.count);
  }

  get innerStartsNs(): Float64Array {
    return this.cols.innerStarts.subarray(0, this.count);
  }

  /** Copies of the columns, ready to transfer to another thread or to append elsewhere. */
  toBatch(): RecordBatch {
    const n = this.count;
    const c = this.cols;
    const phases: Partial<Record<Phase, Float32Array>> = {};
    for (const [phase, column] of c.phases) phases[phase] = column.slice(0, n);
    return {
      starts: c.starts.slice(0, n),
      totals: c.totals.slice(0, n),
      statuses: c.statuses.slice(0, n),
      colds: c.colds.slice(0, n),
      timings: c.timings.slice(0, n),
      threads: c.threads.slice(0, n),
      innerStarts: c.innerStarts.slice(0, n),
      phases,
      errors: [...this.errors].filter(([index]) => index < n),
    };
  }

  /** Appends another store's batch (same origin); phases this store lacks are dropped. */
  appendBatch(batch: RecordBatch): void {
    const first = this.length;
    const c = (): Columns => this.cols;
    for (let k = 0; k < batch.starts.length; k++) {
      const i = this.appendAt(batch.starts[k] ?? NaN);
      c().totals[i] = batch.totals[k] ?? NaN;
      c().statuses[i] = batch.statuses[k] ?? 0;
      c().colds[i] = batch.colds[k] ?? 0;
      c().timings[i] = batch.timings[k] ?? 0;
      c().threads[i] = batch.threads[k] ?? 0;
      c().innerStarts[i] = batch.innerStarts[k] ?? NaN;
      for (const [phase, column] of Object.entries(batch.phases) as [Phase, Float32Array][]) {
        this.setIfPresent(phase, i, column[k] ?? NaN);
      }
    }
    for (const [k, message] of batch.errors) this.errors.set(first + k, message);
  }

  private grow(): void {
    if (this.sharedBuffer) throw new Error(`a shared record store holds at most ${this.capacity} ops`);
    this.capacity *= 2;
    const next = allocateColumns([...this.cols.phases.keys()], this.capacity);
    const c = this.cols;
    next.starts.set(c.starts);
    next.innerStarts.set(c.innerStarts);
    next.totals.set(c.totals);
    next.statuses.set(c.statuses);
    next.colds.set(c.colds);
    next.timings.set(c.timings);
    next.threads.set(c.threads);
    for (const [phase, column] of c.phases) next.phases.get(phase)?.set(column);
    this.cols = next;
    this.indexColumns();
  }
}
