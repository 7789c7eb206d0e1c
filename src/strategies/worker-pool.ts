import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { timerDelay } from '../config/size.js';
import { messageOf } from '../errors.js';
import type { RecordStore } from '../measurement/record-store.js';
import type { PoolReply, PoolTask, PoolWorkerData } from '../worker/pool-task.js';
import { StrategyBase } from './strategy.js';
import { assignGpuTimes, recordAnswer } from './worker-records.js';

const POOL_TASK_FILE = fileURLToPath(new URL('../../dist/worker/pool-task.js', import.meta.url));

/**
 * N long-lived workers on piscina, each with its own device, fed one op per task while the main
 * thread keeps N ops in flight. piscina ends its threads with terminate(), which aborts the
 * process if a thread is inside a dawn.node call, so before destroy() every thread closes its
 * device in a close task that waits at a barrier: N such tasks can only land one per thread.
 */
export class WorkerPoolStrategy extends StrategyBase {
  private pool: Piscina<PoolTask, PoolReply> | undefined;
  private nextId = 0;
  private readonly idToIndex = new Map<number, number>();
  /** Ops that timed out still occupy a thread: the pool cannot be closed cleanly after one. */
  private stuck = 0;

  private get size(): number {
    return this.scenario.concurrency;
  }

  async start(): Promise<void> {
    const data: PoolWorkerData = { config: this.context.config, origin: this.context.origin };
    this.pool = new Piscina<PoolTask, PoolReply>({
      filename: POOL_TASK_FILE,
      minThreads: this.size,
      maxThreads: this.size,
      idleTimeout: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: 1,
      workerData: data,
    });
    // One cold op per thread, all at once so that each lands on its own thread.
    await this.runOps(this.size, this.store);
    await this.runOps(this.context.config.warmup, this.scratchStore());
  }

  async runChunk(ops: number): Promise<void> {
    await this.meter.measure(() => this.runOps(ops, this.store));
    const replies = this.pool ? await this.everyThread(this.pool, 'flush') : [];
    for (const reply of replies) {
      if (reply?.type === 'gpu-times') assignGpuTimes(this.store, this.idToIndex, reply, this.activity);
    }
  }

  /** Keeps `size` ops in flight until `ops` have been run. */
  private async runOps(ops: number, store: RecordStore): Promise<void> {
    let issued = 0;
    const lane = async (): Promise<void> => {
      while (issued < ops && !this.lost) {
        issued++;
        await this.runOne(store);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.size, ops) }, lane));
  }

  private async runOne(store: RecordStore): Promise<void> {
    const pool = this.pool;
    if (!pool) throw new Error('pool strategy used before start()');
    const id = this.nextId++;
    const { opTimeoutMs } = this.context.config;
    const requestedAt = process.hrtime.bigint();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, timerDelay(opTimeoutMs));
    });
    let reply: PoolReply | 'timeout';
    try {
      // No AbortSignal: piscina would terminate() the thread mid-call. A late answer is dropped.
      reply = await Promise.race([pool.run({ type: 'op', id }), timeout]);
    } catch (error) {
      store.appendFailure(requestedAt, 'failed', `the pool thread crashed: ${messageOf(error)}`);
      return;
    } finally {
      clearTimeout(timer);
    }
    const answeredAt = process.hrtime.bigint();
    if (reply === 'timeout') {
      this.stuck++;
      store.appendFailure(
        requestedAt,
        'timeout',
        `no answer from the pool within ${opTimeoutMs} ms (--op-timeout)`,
      );
      return;
    }
    if (reply.type !== 'op') return;
    const cold = reply.cold
      ? { start: requestedAt, initNs: reply.cold.initNs, beforeRequestNs: 0 }
      : undefined;
    const index = recordAnswer(store, reply, requestedAt, answeredAt, cold);
    if (store === this.store) this.idToIndex.set(id, index);
    if (reply.record.status === 'lost') this.lost = reply.record.message ?? 'the device was lost';
  }

  /** Runs one flush or close task on every thread at once, held together by a barrier. */
  private async everyThread(
    pool: Piscina<PoolTask, PoolReply>,
    type: 'flush' | 'close',
  ): Promise<(PoolReply | undefined)[]> {
    if (this.stuck > 0) return [];
    const barrier = new SharedArrayBuffer(4);
    const tasks = Array.from({ length: this.size }, () =>
      pool
        .run({ type, barrier, parties: this.size, timeoutMs: this.context.config.opTimeoutMs })
        .catch(() => undefined),
    );
    return Promise.all(tasks);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    if (!pool) return;
    this.pool = undefined;
    if (this.stuck > 0) {
      // A thread may still be inside a GPU call: leave the pool to the process's end.
      return;
    }
    const replies = await this.everyThread(pool, 'close');
    for (const reply of replies) if (reply?.type === 'closed') this.addThreadCpu(reply.threadCpuNs);
    if (replies.every((r) => r?.type === 'closed' && r.joined)) await pool.destroy();
  }
}
