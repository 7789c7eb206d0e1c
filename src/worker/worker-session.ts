import { deviceOptions, type ProfileConfig } from '../config/profile-config.js';
import { isStuck, openDevice, type GpuContext } from '../device/open-device.js';
import { messageOf } from '../errors.js';
import { KernelRegistry } from '../kernels/kernel-registry.js';
import { runOpLoop } from '../measurement/op-loop.js';
import { OpTimeoutError, OpWatchdog } from '../measurement/op-watchdog.js';
import { RecordStore, type RecordBatch } from '../measurement/record-store.js';
import { GpuTimer } from '../op/gpu-timer.js';
import { setUpOp, type OpSetup } from '../op/op-setup.js';
import { emptyTiming, type OpTiming } from '../op/op-timing.js';
import { corePhases } from '../op/phases.js';
import { runTimed } from '../op/prepared-op.js';
import { faultArmed, injectFault } from '../op/fault-injection.js';

/**
 * A worker's own device and op: what `init` measures opening, and what each op request runs.
 * This module pulls in dawn.node, so worker entries import it dynamically, after noting the
 * time they started, so that loading dawn.node counts as init rather than as spawn.
 */
export class WorkerSession {
  /** Op ids whose GPU times sit in the timer, in slot order. */
  private readonly pending: number[] = [];
  private readonly flushedIds: number[] = [];
  private readonly flushedNs: number[] = [];
  readonly timing: OpTiming = emptyTiming();
  private readonly watchdog: OpWatchdog;

  private constructor(
    private readonly ctx: GpuContext,
    private readonly setup: OpSetup,
    private readonly timer: GpuTimer | undefined,
    private readonly config: ProfileConfig,
  ) {
    this.watchdog = new OpWatchdog(config.opTimeoutMs);
  }

  static async open(config: ProfileConfig): Promise<WorkerSession> {
    const ctx = await openDevice(deviceOptions(config));
    try {
      const setup = await setUpOp(ctx, KernelRegistry.forDevice(ctx.device), config);
      return new WorkerSession(
        ctx,
        setup,
        ctx.info.timestamps ? new GpuTimer(ctx.device) : undefined,
        config,
      );
    } catch (error) {
      ctx.close();
      throw error;
    }
  }

  /**
   * Runs op `id` into `this.timing`. Returns an error message when the op threw or raised an
   * uncaptured GPU error, undefined when it ended ok.
   */
  async runOp(id: number): Promise<string | undefined> {
    if (this.timer?.full) await this.drainTimer();
    const errorsBefore = this.ctx.errors.length;
    try {
      if (faultArmed) await injectFault(this.ctx.device);
      const writes = this.timer?.next();
      if (writes) this.pending.push(id);
      await this.watchdog.watch(runTimed(this.setup.op, this.timing, writes));
    } catch (error) {
      // The GPU never answered: this device takes no more work. A pool thread opens a new one.
      if (error instanceof OpTimeoutError) this.ctx.abandon(error.message);
      return messageOf(error);
    }
    const raised = this.ctx.errors[errorsBefore];
    if (raised) return `${raised.kind}: ${raised.message}`;
    if (this.ctx.lost) return `device lost: ${this.ctx.lost.message}`;
    return undefined;
  }

  private async drainTimer(): Promise<void> {
    // A stuck device would never map the timer's read-back buffer.
    if (isStuck(this.ctx)) return;
    const ns = (await this.timer?.flush()) ?? new Float64Array(0);
    this.pending.forEach((id, slot) => {
      this.flushedIds.push(id);
      this.flushedNs.push(ns[slot] ?? NaN);
    });
    this.pending.length = 0;
  }

  /** The GPU times of every op since the last call, by op id. */
  async gpuTimes(): Promise<{ ids: number[]; ns: Float64Array }> {
    await this.drainTimer();
    const out = { ids: this.flushedIds.splice(0), ns: Float64Array.from(this.flushedNs.splice(0)) };
    return out;
  }

  /** The persistent worker's job: the whole op loop here, its records returned as one batch. */
  async loop(
    ops: number,
    warmup: number,
    origin: bigint,
  ): Promise<{ batch: RecordBatch; deviceLost?: string }> {
    const store = new RecordStore(corePhases(this.timer !== undefined, this.config.readback), origin, ops);
    const outcome = await runOpLoop(
      this.setup.op,
      this.ctx,
      { ops, warmup, timeoutMs: this.config.opTimeoutMs },
      store,
      this.timer,
    );
    const batch = store.toBatch();
    return outcome.deviceLost === undefined ? { batch } : { batch, deviceLost: outcome.deviceLost };
  }

  get deviceLost(): string | undefined {
    return this.ctx.lost?.message;
  }

  /** True once its device was abandoned (an op never finished): the session can run no more ops. */
  get stuck(): boolean {
    return isStuck(this.ctx);
  }

  /** Frees the op's buffers and destroys the device; returns how long that took, ns. */
  close(): number {
    const start = process.hrtime.bigint();
    this.watchdog.dispose();
    // A device stuck in a kernel is left as it is: destroying anything of it could wait forever.
    if (isStuck(this.ctx)) return 0;
    this.timer?.destroy();
    this.setup.dispose();
    this.ctx.close();
    return Number(process.hrtime.bigint() - start);
  }
}
