import { deviceOptions } from '../config/device-options.js';
import type { RunConfig } from '../config/profile-config.js';
import { openDevice, type GpuContext } from '../device/open-device.js';
import { OpRunner, type LoopOutcome } from '../measurement/op-runner.js';
import { RecordStore, type FailedStatus, type RecordRow } from '../measurement/record-store.js';
import type { FaultShare } from '../op/fault-flag.js';
import { shareFault } from '../op/fault-injection.js';
import { openOp } from '../op/op-kinds.js';
import { corePhases, type Phase } from '../op/phases.js';
import type { OpActivity } from '../instrument/op-activity.js';
import type { GpuTimes } from './protocol.js';

/**
 * A worker's own device and op runner: what `init` measures opening, and what each request runs.
 * Per-op requests (fresh, reused, pool) append to the session's own store and answer with that
 * record; the persistent worker's chunks record into a store the main thread shares. This module
 * pulls in dawn.node, so worker entries import it dynamically, after noting the time they
 * started, so that loading dawn.node counts as init rather than as spawn.
 */
export class WorkerSession {
  private readonly store: RecordStore;
  /** The request id of each record in `store`, for GPU times reported later by id. */
  private readonly ids: number[] = [];
  /**
   * Holds the thread open while the session lives: an op that never settles (a hang) would
   * otherwise leave a worker with nothing to wait on, and Node would end it (exit code 13)
   * before its watchdog could record the op as timed out.
   */
  private readonly keepAlive = setInterval(() => undefined, 1 << 30);

  private constructor(
    private readonly ctx: GpuContext,
    private readonly runner: OpRunner,
    private readonly config: RunConfig,
    origin: bigint,
  ) {
    this.store = new RecordStore(this.phases, origin);
  }

  /** `fault`: what the strategy told this worker of an injected fault (WGPROF_INJECT_FAULT). */
  static async open(config: RunConfig, origin: bigint, fault?: FaultShare): Promise<WorkerSession> {
    shareFault(fault);
    const ctx = await openDevice(deviceOptions(config));
    try {
      const runner = new OpRunner(ctx, await openOp(ctx, config), {
        timeoutMs: config.opTimeoutMs,
        ...(config.gpuTime ? { gpuTime: config.gpuTime } : {}),
      });
      return new WorkerSession(ctx, runner, config, origin);
    } catch (error) {
      ctx.close();
      throw error;
    }
  }

  /** The phases this worker's records carry. */
  get phases(): Phase[] {
    return corePhases(this.runner.timesGpu, this.config.readback);
  }

  /** Runs op `id` and returns its record (whatever its end); `warmUp` for an op of the warm-up. */
  async runOp(id: number, warmUp = false): Promise<RecordRow> {
    const index = await this.runner.runOp(this.store, undefined, warmUp);
    this.ids[index] = id;
    return this.store.row(index);
  }

  /**
   * A fresh worker's one op, with its GPU time (and an op module's activity) read back before the
   * answer; `timed` says whether it writes timestamps (the main thread's count of ops decides).
   */
  async runOnlyOp(timed?: boolean): Promise<{ record: RecordRow; activity?: OpActivity }> {
    const index = await this.runner.runOp(this.store, timed);
    await this.runner.flushGpuTimes();
    const activity = this.runner.takeActivity(this.store).get(index);
    return { record: this.store.row(index), ...(activity ? { activity } : {}) };
  }

  /** The GPU times of every op since the last call, by request id, with an op module's activity. */
  async gpuTimes(): Promise<GpuTimes> {
    const written = await this.runner.flushGpuTimes();
    const taken = this.runner.takeActivity(this.store);
    const activity = written.map((index) => taken.get(index));
    return {
      ids: written.map((index) => this.ids[index] ?? -1),
      ns: Float64Array.from(written, (index) => this.store.get('kernelGpu', index)),
      codes: Uint8Array.from(written, (index) => this.store.timing(index)),
      ...(taken.size > 0 && activity.every((a) => a !== undefined) ? { activity } : {}),
    };
  }

  /** The persistent worker's chunk, recorded into the store the main thread shares. */
  async loop(
    { ops, warmup, warmupUntilMs }: { ops: number; warmup: number; warmupUntilMs?: number },
    records: SharedArrayBuffer,
    phases: readonly Phase[],
  ): Promise<
    LoopOutcome & { failures: [number, FailedStatus, string][]; activity?: [number, OpActivity][] }
  > {
    const store = new RecordStore(phases, this.store.origin, Math.max(1, ops), false, records);
    const outcome = await this.runner.run(ops, warmup, store, undefined, warmupUntilMs);
    const failures: [number, FailedStatus, string][] = [];
    for (const [index, message] of store.errors) {
      const status = store.status(index);
      if (status !== 'ok') failures.push([index, status, message]);
    }
    const activity = [...this.runner.takeActivity(store)];
    return { ...outcome, failures, ...(activity.length > 0 ? { activity } : {}) };
  }

  /** True once its device was abandoned (an op never finished): the session can run no more ops. */
  get stuck(): boolean {
    return this.runner.stuck;
  }

  /**
   * For a session closed stuck: destroys its abandoned device after all if its queue turns out to
   * be idle within `waitMs` (the op hung elsewhere than on the GPU). True once nothing of dawn.node
   * is left pending in it, so that its thread may be terminated.
   */
  releaseIfIdle(waitMs: number): Promise<boolean> {
    return this.ctx.closeIfIdle(waitMs);
  }

  /** Frees the op (its teardown, for an op module) and destroys the device; returns how long that took, ns. */
  async close(): Promise<number> {
    const start = process.hrtime.bigint();
    clearInterval(this.keepAlive);
    await this.runner.dispose();
    // A device stuck in a kernel is left as it is: destroying anything of it could wait forever.
    if (this.runner.stuck) return 0;
    this.ctx.close();
    return Number(process.hrtime.bigint() - start);
  }
}
