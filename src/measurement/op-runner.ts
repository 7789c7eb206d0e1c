import { isStuck, type GpuContext } from '../device/open-device.js';
import { messageOf } from '../errors.js';
import { faultArmed, injectFault } from '../op/fault-injection.js';
import type { OpActivity } from '../instrument/op-activity.js';
import type { OpRecorder } from '../instrument/op-recorder.js';
import { setActiveRecorder } from '../instrument/webgpu-instrumentation.js';
import { GpuTimer } from '../op/gpu-timer.js';
import type { Op } from '../op/op.js';
import { OpTimeoutError, OpWatchdog } from './op-watchdog.js';
import type { RecordStore } from './record-store.js';
import { appendReadings, newReadings, timeOp } from './time-op.js';

export interface RunnerOptions {
  /** An op with no answer after this long is recorded as timed out, and the device abandoned. */
  readonly timeoutMs?: number;
  /** Time each op's pass on the GPU with timestamp queries (default: when the device has them). */
  readonly timestamps?: boolean;
  /** Ops whose GPU times the timer holds between read-backs (default: GpuTimer's). */
  readonly timerSlots?: number;
  /**
   * False for ops that are wgprof's own and not the scenario's (the interference probe): an
   * injected fault (WGPROF_INJECT_FAULT) counts only the ops a scenario runs.
   */
  readonly injectFaults?: boolean;
}

export interface LoopOutcome {
  /** Wall time of the recorded ops, without the timer's read-backs between them, ns. */
  readonly wallNs: number;
  /** Set when the device was lost or abandoned: the loop stopped and kept what it recorded. */
  readonly deviceLost?: string;
  /** True when it was abandoned (an op never finished), not lost: another device may do. */
  readonly stuck?: boolean;
}

/** How a lost or abandoned device is named in records and results. */
export function describeLost(lost: { reason: string; message: string }): string {
  return `${lost.reason}: ${lost.message}`;
}

/**
 * The one op runner: every thread that runs ops (the main thread, each kind of worker, the
 * experiments, the bench) runs them through this, on its own device. It owns the thread's op,
 * its GPU timer and its watchdog, and turns every way an op can end into a record: ok, failed
 * (it threw, or raised an uncaptured GPU error), timeout (past --op-timeout: the device is then
 * abandoned, since a queue that does not finish takes no more work), or lost (its device was
 * gone before it began). Injected faults (WGPROF_INJECT_FAULT) act inside the watched op, so a
 * hang times out like any other op.
 */
export class OpRunner {
  private readonly watchdog: OpWatchdog;
  private readonly timer: GpuTimer | undefined;
  /** Indices (in `pendingStore`) of the ops whose GPU times sit in the timer's slots, in slot order. */
  private readonly pending: number[] = [];
  private pendingStore: RecordStore | undefined;
  /** The op in flight's readings, reused from op to op. */
  private readonly readings = newReadings();
  /** Time spent reading the timer back, ns: kept out of a loop's wall time. */
  private flushNs = 0;
  private readonly faults: boolean;
  /** An op module's recorder: it times the op's passes in place of `timer`. */
  private readonly recorder: OpRecorder | undefined;
  /** Activity of ok ops flushed and not yet taken, by store. */
  private readonly activities = new Map<RecordStore, Map<number, OpActivity>>();
  private readonly timestamps: boolean;

  constructor(
    readonly ctx: GpuContext,
    readonly op: Op,
    options: RunnerOptions = {},
  ) {
    this.watchdog = new OpWatchdog(options.timeoutMs);
    this.faults = faultArmed && options.injectFaults !== false;
    this.recorder = op.recorder;
    this.timestamps = options.timestamps ?? ctx.info.timestamps;
    this.timer = this.timestamps && !this.recorder ? new GpuTimer(ctx.device, options.timerSlots) : undefined;
  }

  /** True when the runner times GPU passes: its stores should have a kernelGpu column. */
  get timesGpu(): boolean {
    return this.timer !== undefined || (this.recorder !== undefined && this.timestamps);
  }

  /** Ops awaiting their GPU times. */
  private get pendingCount(): number {
    return this.pending.length;
  }

  private get needsFlush(): boolean {
    return this.timer?.full === true || this.recorder?.nearlyFull === true;
  }

  /**
   * The activity (calls counted, passes timed) of the ok ops of `store` flushed since the last
   * call, by record index: an op module's, empty for wgprof's own kernels.
   */
  takeActivity(store: RecordStore): Map<number, OpActivity> {
    const taken = this.activities.get(store) ?? new Map<number, OpActivity>();
    this.activities.delete(store);
    return taken;
  }

  /** Runs one op and appends its record, whatever its end; returns the record's index. */
  async runOp(store: RecordStore): Promise<number> {
    const { ctx } = this;
    if (ctx.lost) return store.appendFailure(process.hrtime.bigint(), 'lost', describeLost(ctx.lost));
    if (this.needsFlush || (this.pendingStore !== store && this.pendingCount > 0)) await this.flushGpuTimes();
    const errorsBefore = ctx.errors.length;
    const writes = this.timer?.next();
    const start = process.hrtime.bigint();
    let index: number;
    const recorder = this.recorder;
    try {
      if (recorder) {
        recorder.begin();
        setActiveRecorder(recorder);
      }
      index = appendReadings(store, await this.watchdog.watch(this.timed(writes)), this.readings);
    } catch (error) {
      if (error instanceof OpTimeoutError) {
        index = store.appendFailure(start, 'timeout', error.message);
        ctx.abandon(error.message);
      } else {
        index = store.appendFailure(start, 'failed', messageOf(error));
      }
    } finally {
      if (recorder) {
        setActiveRecorder(undefined);
        recorder.end();
      }
    }
    if (writes || recorder) {
      this.pending.push(index);
      this.pendingStore = store;
    }
    const raised = ctx.errors[errorsBefore];
    if (raised && store.status(index) === 'ok')
      store.fail(index, 'failed', `${raised.kind}: ${raised.message}`);
    // An op during which its device went away measured nothing real (a destroyed queue answers at once).
    const lostSince = this.lostNow();
    if (lostSince && !this.stuck && store.status(index) === 'ok')
      store.fail(index, 'lost', describeLost(lostSince));
    return index;
  }

  private async timed(writes: GPUComputePassTimestampWrites | undefined): Promise<bigint> {
    if (this.faults) await injectFault(this.ctx.device);
    return timeOp(this.op, this.readings, writes);
  }

  /** Ops run and forgotten: the op's caches, the pipeline and the JIT warm up on the timed path. */
  async warmUp(ops: number): Promise<void> {
    for (let i = 0; i < ops && !this.ctx.lost; i++) {
      try {
        await this.watchdog.watch(timeOp(this.op, this.readings));
      } catch (error) {
        // A warm-up op that throws is the timed ops' business; one that never ends stops here.
        if (error instanceof OpTimeoutError) this.ctx.abandon(error.message);
      }
    }
  }

  /**
   * The op loop of one thread: `warmup` ops (not recorded), then `ops` recorded into `store`.
   * A failed op is recorded and the loop goes on; a lost device, or an op past the timeout,
   * ends it with every record taken before kept. GPU times are read back at the end.
   */
  async run(
    ops: number,
    warmup: number,
    store: RecordStore,
    onOp?: (done: number) => void,
  ): Promise<LoopOutcome> {
    await this.warmUp(warmup);
    const flushedBefore = this.flushNs;
    const loopStart = process.hrtime.bigint();
    for (let i = 0; i < ops && !this.ctx.lost; i++) {
      const index = await this.runOp(store);
      onOp?.(i + 1);
      if (store.status(index) === 'timeout') break;
    }
    const wallNs = Number(process.hrtime.bigint() - loopStart) - (this.flushNs - flushedBefore);
    await this.flushGpuTimes();
    const lost = this.ctx.lost;
    if (!lost) return { wallNs };
    return { wallNs, deviceLost: describeLost(lost), ...(this.stuck ? { stuck: true } : {}) };
  }

  /**
   * Reads the timer back and writes each op's GPU time into its record (ok records only).
   * Returns the indices it wrote. A lost or stuck device is not asked: it would never answer.
   */
  async flushGpuTimes(): Promise<number[]> {
    const store = this.pendingStore;
    const indices = this.pending.splice(0);
    if (this.recorder) return this.flushRecorder(this.recorder, store, indices);
    if (!this.timer || !store || this.ctx.lost) return [];
    const started = process.hrtime.bigint();
    const durations = await this.timer.flush();
    this.flushNs += Number(process.hrtime.bigint() - started);
    const written: number[] = [];
    indices.forEach((index, slot) => {
      if (store.status(index) !== 'ok') return;
      store.setIfPresent('kernelGpu', index, durations[slot] ?? NaN);
      written.push(index);
    });
    return written;
  }

  /** An op module's flush: each op's passes summed into its GPU time, its activity kept. */
  private async flushRecorder(
    recorder: OpRecorder,
    store: RecordStore | undefined,
    indices: readonly number[],
  ): Promise<number[]> {
    const started = process.hrtime.bigint();
    // A lost or stuck device would never answer a read-back: its passes stay untimed.
    const skip = (device: GPUDevice): boolean => this.ctx.lost !== undefined && device === this.ctx.device;
    const activities = await recorder.flush(skip);
    this.flushNs += Number(process.hrtime.bigint() - started);
    if (!store) return [];
    let kept = this.activities.get(store);
    if (!kept) {
      kept = new Map();
      this.activities.set(store, kept);
    }
    const written: number[] = [];
    indices.forEach((index, k) => {
      const activity = activities[k];
      if (!activity || store.status(index) !== 'ok') return;
      if (this.timestamps) store.setIfPresent('kernelGpu', index, activity.gpuNs);
      kept.set(index, activity);
      written.push(index);
    });
    return written;
  }

  /** The device's loss as of now (a getter that an earlier check must not narrow). */
  private lostNow(): GpuContext['lost'] {
    return this.ctx.lost;
  }

  /** True once its device was abandoned: nothing of it may be destroyed (that would wait). */
  get stuck(): boolean {
    return isStuck(this.ctx);
  }

  /** Frees the op and the timer; a stuck device's are left alone. Does not close the device. */
  async dispose(): Promise<void> {
    this.watchdog.dispose();
    if (this.stuck) return;
    this.timer?.destroy();
    await this.op.dispose();
    this.recorder?.dispose();
  }
}
