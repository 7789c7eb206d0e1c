import { messageOf } from '../errors.js';
import { ChunkMeter } from '../measurement/chunk-meter.js';
import { RecordStore } from '../measurement/record-store.js';
import { corePhases, type Phase } from '../op/phases.js';
import { OpWorkerHandle, WorkerCrash } from './op-worker-handle.js';
import type { Scenario } from './scenario.js';
import type { Strategy, StrategyContext } from './strategy.js';
import { coldStartOf, recordLostOp, recordWorkerOp } from './worker-records.js';

/**
 * A new worker thread per op, as in the seed's "new thread per op": the worker loads dawn.node,
 * opens its own device, runs one op, closes the device and exits. Every op is cold. The record
 * spans from the Worker constructor to the thread's exit.
 */
export class FreshWorkerStrategy implements Strategy {
  readonly store: RecordStore;
  readonly meter = new ChunkMeter();
  threadCpuNs: number | undefined;
  readonly lost = undefined;

  constructor(
    readonly scenario: Scenario,
    private readonly context: StrategyContext,
  ) {
    const { gpu, config, origin } = context;
    const phases = [
      'spawn',
      'init',
      ...corePhases(gpu.info.timestamps, config.readback),
      'handoff',
      'teardown',
    ] as Phase[];
    this.store = new RecordStore(phases, origin, 1024, true);
  }

  async start(): Promise<void> {
    // Warm-up here is only for the operating system's caches: each op is cold by nature.
    const scratch = new RecordStore(this.store.phases, this.context.origin, 16, true);
    for (let i = 0; i < Math.min(2, this.context.config.warmup); i++) await this.runOne(scratch);
  }

  async runChunk(ops: number): Promise<void> {
    await this.meter.measure(async () => {
      for (let i = 0; i < ops; i++) await this.runOne(this.store);
    });
  }

  private async runOne(store: RecordStore): Promise<void> {
    const { config, origin } = this.context;
    const constructedAt = process.hrtime.bigint();
    let handle: OpWorkerHandle;
    try {
      handle = await OpWorkerHandle.spawn('fresh', config, origin, 'message', config.opTimeoutMs);
    } catch (error) {
      recordLostOp(store, constructedAt, 'failed', messageOf(error));
      return;
    }
    let reply;
    try {
      reply = await handle.next(config.opTimeoutMs);
    } catch (error) {
      recordLostOp(
        store,
        constructedAt,
        'failed',
        error instanceof WorkerCrash ? error.message : messageOf(error),
      );
      return;
    }
    const answeredAt = process.hrtime.bigint();
    if (reply === 'timeout' || reply.type !== 'op' || !handle.life) {
      handle.abandon();
      recordLostOp(
        store,
        constructedAt,
        'timeout',
        `no answer from the worker within ${config.opTimeoutMs} ms`,
      );
      return;
    }
    const closed = await handle.next(config.opTimeoutMs).catch(() => 'timeout' as const);
    const exitedAt = await handle.waitExit(config.opTimeoutMs);
    const i = recordWorkerOp(
      store,
      handle.life.constructedAt,
      answeredAt,
      reply,
      handle.threadId,
      coldStartOf(handle.life),
    );
    if (exitedAt === undefined) {
      handle.abandon();
      store.fail(i, 'timeout', 'the worker did not exit after its op');
      return;
    }
    // The record runs to the thread's exit: teardown is closing the device plus the exit itself.
    const total = Number(exitedAt - handle.life.constructedAt);
    store.setTotal(i, total);
    store.set(
      'teardown',
      i,
      Number(reply.sentAt - reply.receivedAt) - (reply.timing?.total ?? 0) + Number(exitedAt - answeredAt),
    );
    if (closed !== 'timeout' && closed.type === 'closed' && closed.threadCpuNs !== undefined) {
      this.threadCpuNs = (this.threadCpuNs ?? 0) + closed.threadCpuNs;
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
