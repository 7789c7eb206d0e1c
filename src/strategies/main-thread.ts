import { OpRunner } from '../measurement/op-runner.js';
import { openOp } from '../op/op-kinds.js';
import { StrategyBase } from './strategy.js';

/** The baseline: the op runner on the main thread, on the device the run opened before it. */
export class MainThreadStrategy extends StrategyBase {
  private runner: OpRunner | undefined;

  async start(): Promise<void> {
    const { gpu, config } = this.context;
    this.runner = new OpRunner(gpu, await openOp(gpu, config), { timeoutMs: config.opTimeoutMs });
    // The first op on a freshly compiled pipeline is recorded apart, as the cold op.
    await this.loop(1, 0);
    if (this.store.count > 0) this.store.markCold(this.store.count - 1);
    await this.loop(0, config.warmup);
  }

  async runChunk(ops: number): Promise<void> {
    await this.meter.measure(() => this.loop(ops, 0));
  }

  private async loop(ops: number, warmup: number): Promise<void> {
    if (!this.runner) throw new Error('main strategy used before start()');
    const outcome = await this.runner.run(ops, warmup, this.store);
    for (const [index, activity] of this.runner.takeActivity(this.store)) this.activity.set(index, activity);
    this.lost ??= outcome.deviceLost;
  }

  async close(): Promise<void> {
    await this.runner?.dispose();
  }
}
