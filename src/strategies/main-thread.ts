import { isStuck } from '../device/open-device.js';
import { KernelRegistry } from '../kernels/kernel-registry.js';
import { ChunkMeter } from '../measurement/chunk-meter.js';
import { runOpLoop } from '../measurement/op-loop.js';
import { RecordStore } from '../measurement/record-store.js';
import { GpuTimer } from '../op/gpu-timer.js';
import { setUpOp, type OpSetup } from '../op/op-setup.js';
import { corePhases } from '../op/phases.js';
import type { Scenario } from './scenario.js';
import type { Strategy, StrategyContext } from './strategy.js';

/** The baseline: the op loop on the main thread, on the device the run opened before it. */
export class MainThreadStrategy implements Strategy {
  readonly store: RecordStore;
  readonly meter = new ChunkMeter();
  readonly threadCpuNs = undefined;
  lost: string | undefined;
  private setup: OpSetup | undefined;
  private timer: GpuTimer | undefined;

  constructor(
    readonly scenario: Scenario,
    private readonly context: StrategyContext,
  ) {
    const { gpu, config, origin } = context;
    this.store = new RecordStore(corePhases(gpu.info.timestamps, config.readback), origin);
  }

  async start(): Promise<void> {
    const { gpu, config } = this.context;
    this.setup = await setUpOp(gpu, KernelRegistry.forDevice(gpu.device), config);
    this.timer = gpu.info.timestamps ? new GpuTimer(gpu.device) : undefined;
    // The first op on a freshly compiled pipeline is recorded apart, as the cold op.
    await this.loop(1, 0);
    if (this.store.count > 0) this.store.markCold(this.store.count - 1);
    await this.loop(0, config.warmup);
  }

  async runChunk(ops: number): Promise<void> {
    await this.meter.measure(() => this.loop(ops, 0));
  }

  private async loop(ops: number, warmup: number): Promise<void> {
    if (!this.setup) throw new Error('main strategy used before start()');
    const outcome = await runOpLoop(
      this.setup.op,
      this.context.gpu,
      { ops, warmup, timeoutMs: this.context.config.opTimeoutMs },
      this.store,
      this.timer,
    );
    this.lost ??= outcome.deviceLost;
  }

  close(): Promise<void> {
    // A device stuck in a kernel is left as it is: destroying its buffers could wait on its queue.
    if (isStuck(this.context.gpu)) return Promise.resolve();
    this.timer?.destroy();
    this.setup?.dispose();
    return Promise.resolve();
  }
}
