import { messageOf } from '../errors.js';
import { RecordStore } from '../measurement/record-store.js';
import { newFaultFlag } from '../op/fault-flag.js';
import { OpWorkerHandle } from './op-worker-handle.js';
import { StrategyBase } from './strategy.js';
import { recordPersistentColdStart } from './worker-records.js';

/**
 * One worker runs the op loop itself, as the seed's persistent worker does: the main thread
 * asks for a chunk of ops, and the worker records them into a record store in shared memory that
 * the main thread reads when the chunk ends, or when the worker dies in the middle of it, so no
 * op it finished is lost. Per-op records carry no handoff: there is none per op. A worker that
 * crashes or stops answering is replaced (the op it took down recorded); a lost device ends the
 * scenario.
 */
export class PersistentWorkerStrategy extends StrategyBase {
  private handle: OpWorkerHandle | undefined;
  /** Shared with every worker this strategy starts: a replacement leaves a fault that fired alone. */
  private readonly faultFlag = newFaultFlag();

  async start(warmupUntilMs?: number): Promise<void> {
    await this.spawnWithColdOp();
    await this.warmUp(
      (ops, untilMs) => (this.handle ? this.loop(0, ops, untilMs) : Promise.resolve(0)),
      warmupUntilMs,
    );
  }

  async runChunk(ops: number): Promise<void> {
    await this.meter.measure(async () => {
      // After a worker was lost, a new one starts with its own cold op (not one of the chunk's).
      if (!this.handle) await this.spawnWithColdOp();
      await this.loop(ops, 0);
    });
  }

  /** A new worker, and its first op recorded apart as its cold op (it counts as one of the chunk's). */
  private async spawnWithColdOp(): Promise<void> {
    const { config, origin } = this.context;
    const at = process.hrtime.bigint();
    try {
      this.handle = await OpWorkerHandle.spawn('persistent', config, origin, 'message', config.opTimeoutMs, {
        faultFlag: this.faultFlag,
      });
    } catch (error) {
      this.store.appendFailure(at, 'failed', `cannot start the persistent worker: ${messageOf(error)}`);
      return;
    }
    const life = this.handle.life;
    const first = this.store.count;
    await this.loop(1, 0);
    if (life && this.store.count > first && this.store.status(first) === 'ok')
      recordPersistentColdStart(this.store, first, life);
    else if (this.store.count > first) this.store.markCold(first);
  }

  /** The worker runs `warmup` then `ops` ops; returns the warm-up ops it ran (0 if it died). */
  private async loop(ops: number, warmup: number, warmupUntilMs?: number): Promise<number> {
    const handle = this.handle;
    if (!handle) return 0;
    const { opTimeoutMs } = this.context.config;
    const { store: chunk, buffer } = RecordStore.shared(this.store.phases, this.store.origin, ops);
    handle.send({
      type: 'loop',
      ops,
      warmup,
      ...(warmupUntilMs === undefined ? {} : { warmupUntilMs }),
      records: buffer,
      phases: this.store.phases,
    });
    // The worker's own watchdog ends an op past --op-timeout; this is the backstop for a worker
    // that stops answering altogether: no new record (or answer) for twice the timeout, the
    // warm-up's ops (at most until its end) counted in.
    const warmupMs = Math.min(
      2 * opTimeoutMs * warmup,
      Math.max(0, (warmupUntilMs ?? Infinity) - Date.now()),
    );
    let reply = await handle.next(2 * opTimeoutMs + warmupMs);
    let seen = chunk.count;
    while (reply.type === 'no-answer' && reply.status === 'timeout' && chunk.count > seen) {
      seen = chunk.count;
      reply = await handle.next(2 * opTimeoutMs);
    }
    const first = this.store.count;
    this.store.appendBatch(chunk.toBatch());
    if (reply.type === 'loop-done') {
      for (const [index, status, message] of reply.failures) this.store.fail(first + index, status, message);
      for (const [index, activity] of reply.activity ?? []) this.activity.set(first + index, activity);
      // A device stuck in a kernel takes no more work: the next chunk starts a new worker.
      if (reply.stuck === true) this.replace(handle, 'abandon');
      else this.lost ??= reply.deviceLost;
      return reply.warmedUp;
    }
    // The worker died or hung in the middle of the chunk: what it recorded is kept above; the op
    // it was running is recorded as what took it down.
    for (let i = first; i < this.store.count; i++) {
      if (this.store.status(i) !== 'ok' && !this.store.errors.has(i))
        this.store.errors.set(i, 'its message was lost with the worker');
    }
    if (chunk.count < ops) {
      const status = reply.type === 'no-answer' ? reply.status : 'failed';
      const message =
        reply.type === 'no-answer'
          ? `the persistent worker ${status === 'timeout' ? 'stopped answering' : 'died'}: ${reply.message}`
          : `the persistent worker answered '${reply.type}' to a loop`;
      this.store.appendFailure(process.hrtime.bigint(), status, message);
    }
    this.replace(handle, reply.type === 'no-answer' && reply.status === 'timeout' ? 'abandon' : 'drop');
    return 0;
  }

  /** Lets go of a worker that can run no more ops: a hung one is abandoned, never terminated. */
  private replace(handle: OpWorkerHandle, how: 'abandon' | 'drop'): void {
    if (how === 'abandon') handle.abandon();
    if (this.handle === handle) this.handle = undefined;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (!handle) return;
    const closed = await handle.close(this.context.config.opTimeoutMs);
    this.addThreadCpu(closed.threadCpuNs);
  }
}
