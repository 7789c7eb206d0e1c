import { messageOf } from '../errors.js';
import type { RecordStore } from '../measurement/record-store.js';
import { OpWorkerHandle } from './op-worker-handle.js';
import { StrategyBase } from './strategy.js';
import { DEFAULT_GPU_TIME, isTimedOp } from '../config/gpu-time.js';
import { coldStartOf, recordAnswer } from './worker-records.js';

/**
 * A new worker thread per op, as in the seed's "new thread per op": the worker loads dawn.node,
 * opens its own device, runs one op, closes the device and exits. Every op is cold. The record
 * spans from the Worker constructor to the thread's exit.
 */
export class FreshWorkerStrategy extends StrategyBase {
  /** Ops begun, warm-up included: which of them write timestamps follows from it, as in every thread. */
  private opsBegun = 0;

  async start(warmupUntilMs = Number.POSITIVE_INFINITY): Promise<void> {
    // Warm-up here is only for the operating system's caches: each op is cold by nature.
    const scratch = this.scratchStore();
    const wanted = Math.min(2, this.context.config.warmup);
    let done = 0;
    for (; done < wanted && Date.now() < warmupUntilMs; done++) await this.runOne(scratch);
    this.warmedUp(done, wanted, warmupUntilMs);
  }

  async runChunk(ops: number): Promise<void> {
    await this.meter.measure(async () => {
      for (let i = 0; i < ops && !this.lost; i++) await this.runOne(this.store);
    });
  }

  private async runOne(store: RecordStore): Promise<void> {
    const { config, origin } = this.context;
    const constructedAt = process.hrtime.bigint();
    let handle: OpWorkerHandle;
    try {
      // One in N, one by one: each op has its own worker and device, so none follows a timed one.
      const timed = isTimedOp(this.opsBegun++, config.gpuTime ?? DEFAULT_GPU_TIME, 1);
      handle = await OpWorkerHandle.spawn('fresh', config, origin, 'message', config.opTimeoutMs, { timed });
    } catch (error) {
      store.appendFailure(constructedAt, 'failed', messageOf(error));
      return;
    }
    const reply = await handle.next(config.opTimeoutMs);
    const answeredAt = process.hrtime.bigint();
    if (reply.type === 'no-answer' || reply.type !== 'op' || !handle.life) {
      if (reply.type === 'no-answer' && reply.status === 'timeout') handle.abandon();
      const i = store.appendFailure(
        constructedAt,
        reply.type === 'no-answer' ? reply.status : 'failed',
        reply.type === 'no-answer' ? reply.message : `the worker answered '${reply.type}' to its op`,
      );
      store.markCold(i);
      return;
    }
    const i = recordAnswer(store, reply, handle.life.constructedAt, answeredAt, coldStartOf(handle.life));
    if (reply.activity && store === this.store) this.activity.set(i, reply.activity);
    // A lost device ends the scenario here as in every strategy: the GPU itself went away.
    if (reply.record.status === 'lost' && store === this.store)
      this.lost = reply.record.message ?? 'the device was lost';
    const closed = await handle.next(config.opTimeoutMs);
    const exitedAt = await handle.waitExit(config.opTimeoutMs);
    if (exitedAt === undefined) {
      handle.abandon();
      store.fail(i, 'timeout', 'the worker did not exit after its op');
      return;
    }
    // The record runs to the thread's exit: teardown is closing the device plus the exit itself.
    store.setTotal(i, Number(exitedAt - handle.life.constructedAt));
    if (store.status(i) === 'ok') {
      const inWorkerAfterOp = Number(reply.sentAt - reply.receivedAt) - reply.record.total;
      store.setIfPresent('teardown', i, inWorkerAfterOp + Number(exitedAt - answeredAt));
    }
    if (closed.type === 'closed') this.addThreadCpu(closed.threadCpuNs);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
