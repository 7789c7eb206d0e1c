import { threadId } from 'node:worker_threads';
import type { Phase } from '../op/phases.js';
import type { OpTiming } from '../op/op-timing.js';

/** How an op ended. A failed op is a record with its message, not a hole in the data. */
export const OP_STATUS = ['ok', 'failed', 'timeout'] as const;
export type OpStatus = (typeof OP_STATUS)[number];

/** The phases an op's own timing carries, in the order appendTiming writes them. */
const TIMED_PHASES = ['creation', 'kernelCpu', 'sync', 'readback'] as const;

/** A store's columns as plain arrays, to send between threads (transferred, not copied). */
export interface RecordBatch {
  readonly starts: Float64Array;
  readonly totals: Float32Array;
  readonly statuses: Uint8Array;
  readonly threads: Int32Array;
  readonly innerStarts: Float64Array;
  readonly phases: Partial<Record<Phase, Float32Array>>;
  readonly errors: [number, string][];
}

/**
 * The records of one strategy's run, column by column in typed arrays: no per-op objects, and
 * about 44 bytes per op on the main thread (56 with a worker's seven phases), so that a million
 * ops cost tens of megabytes. Durations are nanoseconds as float32: exact below 2^24 ns (16.8 ms),
 * and within 64 ns (under the clock's own floor of about 70 ns) up to a second, a relative 6e-8
 * beyond; NaN marks a phase that did not happen in that op. Starts are nanoseconds since `origin`
 * as float64 (exact for 104 days), one process.hrtime.bigint() reading shared by every thread.
 */
export class RecordStore {
  private capacity: number;
  private length = 0;
  private starts: Float64Array;
  private totals: Float32Array;
  private statuses: Uint8Array;
  /** 1 for an op that was the first of its worker's life (new isolate, device and pipeline). */
  private colds: Uint8Array;
  /** worker_threads' threadId of the thread that ran each op (0: the main thread). */
  private threads: Int32Array;
  /** When the op began inside the thread that ran it (ns since origin): after spawn and handoff. */
  private innerStarts: Float64Array;
  private readonly columns = new Map<Phase, Float32Array>();
  /** The same columns as a list, and the ones appendTiming fills, looked up once, not per op. */
  private columnList: Float32Array[] = [];
  private timed: (Float32Array | undefined)[] = [];
  /** Messages of the ops that did not end `ok`, by op index. */
  readonly errors = new Map<number, string>();

  /**
   * @param everyOpCold true when each op runs on a thread of its own (a fresh worker per op):
   *   every op is then a first op, and its steady state is made of those.
   */
  constructor(
    readonly phases: readonly Phase[],
    readonly origin: bigint,
    initialCapacity = 1024,
    readonly everyOpCold = false,
  ) {
    this.capacity = Math.max(1, initialCapacity);
    this.starts = new Float64Array(this.capacity);
    this.totals = new Float32Array(this.capacity);
    this.statuses = new Uint8Array(this.capacity);
    this.colds = new Uint8Array(this.capacity);
    this.threads = new Int32Array(this.capacity);
    this.innerStarts = new Float64Array(this.capacity);
    for (const phase of phases) this.columns.set(phase, new Float32Array(this.capacity));
    this.indexColumns();
  }

  private indexColumns(): void {
    this.columnList = [...this.columns.values()];
    this.timed = TIMED_PHASES.map((phase) => this.columns.get(phase));
  }

  get count(): number {
    return this.length;
  }

  /** Bytes the columns hold (capacity included): what recording costs in memory. */
  get byteLength(): number {
    let bytes = 0;
    for (const array of [this.starts, this.totals, this.statuses, this.colds, this.threads, this.innerStarts])
      bytes += array.byteLength;
    for (const column of this.columns.values()) bytes += column.byteLength;
    return bytes;
  }

  /** Appends an op that started at `start` (hrtime) with every phase unset; returns its index. */
  append(start: bigint): number {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    this.starts[i] = Number(start - this.origin);
    this.totals[i] = NaN;
    this.statuses[i] = 0;
    this.colds[i] = 0;
    this.threads[i] = threadId;
    this.innerStarts[i] = this.starts[i] ?? NaN;
    for (const column of this.columnList) column[i] = NaN;
    return i;
  }

  /** Appends a completed op from the timings its thread took. */
  appendTiming(timing: OpTiming): number {
    const i = this.append(timing.start);
    this.totals[i] = timing.total;
    // Indexed, not destructured: this runs once per timed op.
    const timed = this.timed;
    const creation = timed[0];
    if (creation) creation[i] = timing.creation;
    const kernelCpu = timed[1];
    if (kernelCpu) kernelCpu[i] = timing.kernelCpu;
    const sync = timed[2];
    if (sync) sync[i] = timing.sync;
    const readback = timed[3];
    if (readback) readback[i] = timing.readback;
    return i;
  }

  set(phase: Phase, index: number, ns: number): void {
    const column = this.columns.get(phase);
    if (!column) throw new Error(`this run records no '${phase}' phase`);
    column[index] = ns;
  }

  private setIfPresent(phase: Phase, index: number, ns: number): void {
    const column = this.columns.get(phase);
    if (column) column[index] = ns;
  }

  setStart(index: number, start: bigint): void {
    this.starts[index] = Number(start - this.origin);
  }

  setTotal(index: number, ns: number): void {
    this.totals[index] = ns;
  }

  fail(index: number, status: Exclude<OpStatus, 'ok'>, message: string): void {
    this.statuses[index] = OP_STATUS.indexOf(status);
    this.errors.set(index, message);
  }

  /** Which thread ran the op, and when the op began inside it. */
  setThread(index: number, thread: number, innerStart: bigint): void {
    this.threads[index] = thread;
    this.innerStarts[index] = Number(innerStart - this.origin);
  }

  markCold(index: number): void {
    this.colds[index] = 1;
  }

  has(phase: Phase): boolean {
    return this.columns.has(phase);
  }

  status(index: number): OpStatus {
    return OP_STATUS[this.statuses[index] ?? 0] ?? 'ok';
  }

  /** A phase's values for every op, widened to float64 (a copy: the statistics work in float64). */
  column(phase: Phase): Float64Array {
    const column = this.columns.get(phase);
    if (!column) throw new Error(`this run records no '${phase}' phase`);
    return Float64Array.from(column.subarray(0, this.length));
  }

  get startsNs(): Float64Array {
    return this.starts.subarray(0, this.length);
  }

  total(index: number): number {
    return this.totals[index] ?? NaN;
  }

  get totalsNs(): Float64Array {
    return Float64Array.from(this.totals.subarray(0, this.length));
  }

  get statusCodes(): Uint8Array {
    return this.statuses.subarray(0, this.length);
  }

  get coldFlags(): Uint8Array {
    return this.colds.subarray(0, this.length);
  }

  get threadIds(): Int32Array {
    return this.threads.subarray(0, this.length);
  }

  get innerStartsNs(): Float64Array {
    return this.innerStarts.subarray(0, this.length);
  }

  /** Copies of the columns, ready to transfer to another thread. */
  toBatch(): RecordBatch {
    const phases: Partial<Record<Phase, Float32Array>> = {};
    for (const [phase, column] of this.columns) phases[phase] = column.slice(0, this.length);
    return {
      starts: this.starts.slice(0, this.length),
      totals: this.totals.slice(0, this.length),
      statuses: this.statuses.slice(0, this.length),
      threads: this.threads.slice(0, this.length),
      innerStarts: this.innerStarts.slice(0, this.length),
      phases,
      errors: [...this.errors],
    };
  }

  /** Appends another thread's batch (same origin); phases this store lacks are dropped. */
  appendBatch(batch: RecordBatch): void {
    const first = this.length;
    for (let k = 0; k < batch.starts.length; k++) {
      const i = this.append(this.origin + BigInt(Math.round(batch.starts[k] ?? 0)));
      this.totals[i] = batch.totals[k] ?? NaN;
      this.statuses[i] = batch.statuses[k] ?? 0;
      this.threads[i] = batch.threads[k] ?? 0;
      this.innerStarts[i] = batch.innerStarts[k] ?? NaN;
      for (const [phase, column] of Object.entries(batch.phases) as [Phase, Float32Array][]) {
        this.setIfPresent(phase, i, column[k] ?? NaN);
      }
    }
    for (const [k, message] of batch.errors) this.errors.set(first + k, message);
  }

  private grow(): void {
    this.capacity *= 2;
    this.starts = resized(this.starts, this.capacity);
    this.totals = resized(this.totals, this.capacity);
    this.statuses = resized(this.statuses, this.capacity);
    this.colds = resized(this.colds, this.capacity);
    this.threads = resized(this.threads, this.capacity);
    this.innerStarts = resized(this.innerStarts, this.capacity);
    for (const [phase, column] of this.columns) this.columns.set(phase, resized(column, this.capacity));
    this.indexColumns();
  }
}

function resized<T extends Float64Array | Float32Array | Uint8Array | Int32Array>(
  array: T,
  capacity: number,
): T {
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array);
  return next;
}
