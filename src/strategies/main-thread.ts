import { OpRunner } from '../measurement/op-runner.js';
import { openOp } from '../op/op-kinds.js';
import { StrategyBase } from './strategy.js';

/** The baseline: the op runner on the main thread, on the device the run opened before it. */
export class MainThreadStrategy extends StrategyBase {
  private runner: OpRunner | undefined;

  async start(warmupUntilMs?: number): Promise<void> {
    const { gpu, config } = this.context;
    this.runner = new OpRunner(gpu, await openOp(gpu, config), {
      timeoutMs: config.opTimeoutMs,
      ...(config.gpuTime ? { gpuTime: config.gpuTime } : {}),
    });
    // The first op on a freshly compiled pipeline is recorded apart, as the cold op.
    await this.loop(1, 0);
    if (this.store.count > 0) this.store.markCold(this.store.count - 1);
    await this.warmUp((ops, untilMs) => this.loop(0, ops, untilMs), warmupUntilMs);
  }

  async runChunk(ops: number): Promise<void> {
    await this.meter.measure(() => this.loop(ops, 0));
  }

  /** Runs `warmup` then `ops` ops; returns the warm-up ops run. */
  private async loop(ops: number, warmup: number, warmupUntilMs?: number): Promise<number> {
    if (!this.runner) throw new Error('main strategy used before start()');
    const outcome = await this.runner.run(ops, warmup, this.store, undefined, warmupUntilMs);
    for (const [index, activity] of this.runner.takeActivity(this.store)) this.activity.set(index, activity);
    this.lost ??= outcome.deviceLost;
    return outcome.warmedUp;
  }

  async close(): Promise<void> {
    await this.runner?.dispose();
  }
}
