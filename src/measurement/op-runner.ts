import { isStuck, type GpuContext } from '../device/open-device.js';
import { messageOf } from '../errors.js';
import { faultArmed, injectFault } from '../op/fault-injection.js';
import type { OpActivity } from '../instrument/op-activity.js';
import type { OpRecorder } from '../instrument/op-recorder.js';
import { devicesOpened, setActiveRecorder } from '../instrument/webgpu-instrumentation.js';
import { TimestampSlots } from '../device/timestamp-slots.js';
import type { Op } from '../op/op.js';
import { LATE_OP_GRACE_MS, OpTimeoutError, OpWatchdog, settledWithin, slowOpMessage } from './op-watchdog.js';
import type { RecordStore } from './record-store.js';
import { appendReadings, newReadings, timeOp } from './time-op.js';
import {
  DEFAULT_GPU_TIME,
  isTimedOp,
  periodStart,
  settlesAfter,
  type GpuTimePlan,
} from '../config/gpu-time.js';
import { TIMING, type TimingCode } from '../device/timestamp-check.js';
import { checkedReading, gpuSpan, opReading } from './gpu-reading.js';

export interface RunnerOptions {
  /** An op with no answer after this long is recorded as timed out, and the device abandoned. */
  readonly timeoutMs?: number;
  /** Time ops' passes on the GPU with timestamp queries (default: when the device has them). */
  readonly timestamps?: boolean;
  /**
   * Which ops write timestamps (default: one in 2, alternating with untimed ones): the others run
   * exactly as the user's program runs them, and give every CPU-side figure.
   */
  readonly gpuTime?: GpuTimePlan;
  /** Ops whose GPU times the timer holds between read-backs (default: a whole query set's, 2,048). */
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
  /** Warm-up ops run before them: fewer than asked when the warm-up's time ran out. */
  readonly warmedUp: number;
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
 * (it threw, or raised an uncaptured GPU error), timeout (past --op-timeout: if it does not
 * finish in the grace after, the device is abandoned, since a queue that does not finish takes no
 * more work), or lost (its device was gone before it began). Injected faults (WGPROF_INJECT_FAULT)
 * act inside the watched op, so a hang times out like any other op.
 */
export class OpRunner {
  private readonly watchdog: OpWatchdog;
  /** wgprof's kernels' GPU timer: a timestamp slot per timed op. */
  private readonly timer: TimestampSlots | undefined;
  /** False until the timer's query set is known to exist (or known not to): checked before the first op. */
  private timerChecked = false;
  /**
   * Indices (in `pendingStore`) of the timed ops whose GPU times sit in the timer's slots (or the
   * recorder's), in slot order; -1 for a warm-up op's, read and dropped.
   */
  private readonly pending: number[] = [];
  private readonly plan: GpuTimePlan;
  /** Ops this runner began, warm-up included: which of them are timed follows from it. */
  private opsBegun = 0;
  /** True after a warm-up op, until the next recorded one: that one starts a new period. */
  private warmedSinceRecorded = false;
  /** Whether the last op begun wrote timestamps: the untimed op after it settles. */
  private lastTimed = false;
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
  private readonly timeoutMs: number | undefined;

  constructor(
    readonly ctx: GpuContext,
    readonly op: Op,
    options: RunnerOptions = {},
  ) {
    this.watchdog = new OpWatchdog(options.timeoutMs);
    this.timeoutMs = options.timeoutMs;
    this.faults = faultArmed && options.injectFaults !== false;
    this.recorder = op.recorder;
    this.plan = options.gpuTime ?? DEFAULT_GPU_TIME;
    this.timestamps = (options.timestamps ?? ctx.info.timestamps) && this.plan.mode !== 'none';
    this.timer =
      this.timestamps && !this.recorder
        ? new TimestampSlots(ctx.device, options.timerSlots).prepare()
        : undefined;
  }

  /** True when the runner times GPU passes: its stores should have a kernelGpu column. */
  get timesGpu(): boolean {
    return this.timer !== undefined || (this.recorder !== undefined && this.timestamps);
  }

  /**
   * Whether the next op this runner begins is to be timed, and whether it settles after timed
   * ones; counts it. The first recorded op after a warm-up starts a period of the plan (untimed
   * ops first): the warm-up's length varies with --warmup-min, and recorded ops that began
   * wherever it ended could all fall on timed ones in a short run (a 20-op profile of three
   * processes, seven ops each, once had no untimed op on main, so no total).
   */
  private nextPlanned(warmUp: boolean): { timed: boolean; settle: boolean } {
    if (warmUp) this.warmedSinceRecorded = true;
    else if (this.warmedSinceRecorded) {
      this.warmedSinceRecorded = false;
      this.opsBegun = periodStart(this.opsBegun, this.plan);
    }
    const k = this.opsBegun++;
    const timed = isTimedOp(k, this.plan) && this.timesGpu;
    const settle = settlesAfter(this.lastTimed, timed, this.plan);
    this.lastTimed = timed;
    return { timed, settle };
  }

  /**
   * Before the first op: waits until the timer's query set is known to exist (a pass given one
   * that does not would fail its op), and an op module's query set on the op's own device.
   */
  private async checkTimer(): Promise<void> {
    this.timerChecked = true;
    if (this.timer) await this.timer.ready();
    if (this.recorder && this.timestamps && !this.ctx.lost)
      for (const device of [this.ctx.device, ...devicesOpened()]) await this.recorder.prepare(device);
  }

  /**
   * The timestampWrites of an op that is to be timed, with its code: timed, or noQuerySet when
   * there is no slot to give (a recorder's op is timed pass by pass instead).
   */
  private timingOf(timed: boolean): { writes?: GPUComputePassTimestampWrites; code: TimingCode } {
    if (!timed || !this.timesGpu) return { code: TIMING.untimed };
    if (!this.timer) return { code: TIMING.timed };
    const next = this.timer.next();
    return next ? { writes: next.writes, code: TIMING.timed } : { code: TIMING.noQuerySet };
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

  /**
   * Runs one op and appends its record, whatever its end; returns the record's index. Whether it
   * writes GPU timestamps follows the plan, unless `timed` says (a fresh worker's one op, which
   * the main thread's count decides). `warmUp`: an op of a warm-up whose records are dropped (a
   * reused worker's or a pool's), which the plan counts as the runner's own warm-up does.
   */
  async runOp(store: RecordStore, timed?: boolean, warmUp = false): Promise<number> {
    const { ctx } = this;
    if (ctx.lost) return store.appendFailure(process.hrtime.bigint(), 'lost', describeLost(ctx.lost));
    if (!this.timerChecked) await this.checkTimer();
    if (this.needsFlush || (this.pendingStore !== store && this.pending.length > 0))
      await this.flushGpuTimes();
    const errorsBefore = ctx.errors.length;
    const planned = this.nextPlanned(warmUp);
    const timing = this.timingOf(timed ?? planned.timed);
    const { writes } = timing;
    // The first untimed op after timed ones runs as any other, and is kept out of every figure.
    const code =
      timing.code === TIMING.untimed && planned.settle && timed === undefined ? TIMING.settle : timing.code;
    const start = process.hrtime.bigint();
    // The recorder first: the op's create runs as soon as it is called. Only a timed op has it
    // active: an untimed op module's op runs as the user's program runs it.
    const recorder = code === TIMING.timed ? this.recorder : undefined;
    if (recorder) {
      recorder.begin();
      setActiveRecorder(recorder);
    }
    const op = this.timed(writes);
    let index: number;
    try {
      index = appendReadings(store, await this.watchdog.watch(op), this.readings, code);
      this.failIfSlow(store, index);
    } catch (error) {
      if (error instanceof OpTimeoutError) {
        index = store.appendFailure(start, 'timeout', error.message);
        const tookNs = await this.lateOp(op, start, error);
        if (tookNs !== undefined) store.fail(index, 'timeout', slowOpMessage(error.timeoutMs, tookNs));
      } else {
        index = store.appendFailure(start, 'failed', messageOf(error));
      }
      store.setTiming(index, code);
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

  /**
   * An op that finished, but later than its timeout, before the watchdog's next look (it looks
   * every quarter timeout at most, and a busy event loop delays it): timed out all the same, so
   * that --op-timeout means one thing whatever the watchdog's timing.
   */
  private failIfSlow(store: RecordStore, index: number): void {
    // One record's total: `totalsNs` copies every op's, which per op made the loop quadratic
    // (bench row 1b: 14-17 us added per op over 10,000 ops, 1.9 us after this).
    const tookNs = store.total(index);
    if (this.timeoutMs !== undefined && tookNs > this.timeoutMs * 1e6)
      store.fail(index, 'timeout', slowOpMessage(this.timeoutMs, tookNs));
  }

  /**
   * An op past its timeout is given LATE_OP_GRACE_MS more: one that finishes then was only slow (its
   * time, ns from `start`, is returned, and its device kept); one that does not has a GPU that
   * stopped, and its device is abandoned (a queue that does not finish takes no more work).
   */
  private async lateOp(
    op: Promise<unknown>,
    start: bigint,
    error: OpTimeoutError,
  ): Promise<number | undefined> {
    const tookNs = await settledWithin(op, start, LATE_OP_GRACE_MS);
    if (tookNs === undefined) this.ctx.abandon(error.message);
    return tookNs;
  }

  /**
   * Ops run and forgotten: the op's caches, the pipeline and the JIT warm up on the timed path.
   * Stops at `ops`, or at `untilMs` (a Date.now() time: the time budget's end), whichever comes
   * first; returns how many it ran.
   */
  async warmUp(ops: number, untilMs = Number.POSITIVE_INFINITY): Promise<number> {
    this.watchdog.warmingUp = true;
    try {
      return await this.warmUpOps(ops, untilMs);
    } finally {
      this.watchdog.warmingUp = false;
    }
  }

  private async warmUpOps(ops: number, untilMs: number): Promise<number> {
    if (!this.timerChecked) await this.checkTimer();
    let done = 0;
    for (; done < ops && !this.ctx.lost && Date.now() < untilMs; done++) {
      if (this.needsFlush) await this.flushGpuTimes();
      // Timed as the recorded ops will be, so that both kinds are compiled and warm; their
      // readings are read and dropped.
      const { writes, code } = this.timingOf(this.nextPlanned(true).timed);
      const recorder = code === TIMING.timed ? this.recorder : undefined;
      if (recorder) {
        recorder.begin();
        setActiveRecorder(recorder);
      }
      const start = process.hrtime.bigint();
      const op = timeOp(this.op, this.readings, writes);
      try {
        await this.watchdog.watch(op);
      } catch (error) {
        // A warm-up op that throws is the timed ops' business; one that never ends stops here.
        if (error instanceof OpTimeoutError) await this.lateOp(op, start, error);
      } finally {
        if (recorder) {
          setActiveRecorder(undefined);
          recorder.end();
        }
      }
      if (writes || recorder) this.pending.push(-1);
    }
    return done;
  }

  /**
   * The op loop of one thread: `warmup` ops (not recorded), then `ops` recorded into `store`.
   * A failed op, or one only slower than the timeout, is recorded and the loop goes on; a lost
   * device, or an op that hung, ends it with every record taken before kept. GPU times are read
   * back at the end. The warm-up stops early at `warmupUntilMs` (a Date.now() time).
   */
  async run(
    ops: number,
    warmup: number,
    store: RecordStore,
    onOp?: (done: number) => void,
    warmupUntilMs?: number,
  ): Promise<LoopOutcome> {
    const warmedUp = await this.warmUp(warmup, warmupUntilMs);
    const flushedBefore = this.flushNs;
    const loopStart = process.hrtime.bigint();
    // An op that hung abandons the device, which ends the loop; one that was only slow does not.
    for (let i = 0; i < ops && !this.ctx.lost; i++) {
      await this.runOp(store);
      onOp?.(i + 1);
    }
    const wallNs = Number(process.hrtime.bigint() - loopStart) - (this.flushNs - flushedBefore);
    await this.flushGpuTimes();
    const lost = this.ctx.lost;
    if (!lost) return { wallNs, warmedUp };
    return { wallNs, warmedUp, deviceLost: describeLost(lost), ...(this.stuck ? { stuck: true } : {}) };
  }

  /**
   * Reads the timer back and writes each op's GPU time into its record (ok records only).
   * Returns the indices it wrote. A lost or stuck device is not asked: it would never answer.
   */
  async flushGpuTimes(): Promise<number[]> {
    const store = this.pendingStore;
    const indices = this.pending.splice(0);
    if (this.recorder) return this.flushRecorder(this.recorder, store, indices);
    if (!this.timer || indices.length === 0) return [];
    if (this.ctx.lost) {
      // Its stamps were written and will never be read: the ops keep no GPU time, and say why.
      if (store) for (const index of indices) if (index >= 0) store.setTiming(index, TIMING.unread);
      return [];
    }
    const started = process.hrtime.bigint();
    const readings = await this.timer.read();
    this.flushNs += Number(process.hrtime.bigint() - started);
    const written: number[] = [];
    indices.forEach((index, slot) => {
      if (index < 0 || !store || store.status(index) !== 'ok') return;
      const checked = checkedReading(
        readings.codes[slot] ?? TIMING.unread,
        readings.ns[slot] ?? NaN,
        gpuSpan(store, index),
      );
      store.setIfPresent('kernelGpu', index, checked.ns);
      store.setTiming(index, checked.code);
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
      if (index < 0 || !activity || store.status(index) !== 'ok') return;
      if (this.timestamps) {
        // The op's passes ran somewhere in its phases: its whole span bounds them.
        const checked = opReading(activity, store.total(index));
        store.setIfPresent('kernelGpu', index, checked.ns);
        store.setTiming(index, checked.code);
      }
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
