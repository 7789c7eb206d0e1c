import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { messageOf } from '../errors.js';
import { ChunkMeter } from '../measurement/chunk-meter.js';
import { RecordStore } from '../measurement/record-store.js';
import { corePhases, type Phase } from '../op/phases.js';
import type { PoolReply, PoolTask, PoolWorkerData } from '../worker/pool-task.js';
import type { Scenario } from './scenario.js';
import type { Strategy, StrategyContext } from './strategy.js';
import { assignGpuTimes, recordLostOp, recordWorkerOp } from './worker-records.js';

const POOL_TASK_FILE = fileURLToPath(new URL('../../dist/worker/pool-task.js', import.meta.url));

type OpReply = Extract<PoolReply, { type: 'op' }>;

/**
 * N long-lived workers on piscina, each with its own device, fed one op per task while the main
 * thread keeps N ops in flight. piscina ends its threads with terminate(), which aborts the
 * process if a thread is inside a dawn.node call, so before destroy() every thread closes its
 * device in a close task that waits at a barrier: N such tasks can only land one per thread.
 */
export class WorkerPoolStrategy implements Strategy {
  readonly store: RecordStore;
  readonly meter = new ChunkMeter();
  threadCpuNs: number | undefined;
  readonly lost = undefined;
  private pool: Piscina<PoolTask, PoolReply> | undefined;
  private nextId = 0;
  private readonly idToIndex = new Map<number, number>();
  /** Ops that timed out still occupy a thread: the pool cannot be closed cleanly after one. */
  private stuck = 0;

  constructor(
    readonly scenario: Scenario,
    private readonly context: StrategyContext,
  ) {
    const { gpu, config, origin } = context;
    this.store = new RecordStore(
      ['init', ...corePhases(gpu.info.timestamps, config.readback), 'handoff'] as Phase[],
      origin,
    );
  }

  private get size(): number {
    return this.scenario.concurrency;
  }

  async start(): Promise<void> {
    const data: PoolWorkerData = { config: this.context.config };
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
    const scratch = new RecordStore(this.store.phases, this.context.origin);
    await this.runOps(this.context.config.warmup, scratch);
  }

  async runChunk(ops: number): Promise<void> {
    await this.meter.measure(() => this.runOps(ops, this.store));
    const replies = this.pool ? await this.everyThread(this.pool, 'flush') : [];
    for (const reply of replies) {
      if (reply?.type === 'gpu-times') assignGpuTimes(this.store, this.idToIndex, reply.ids, reply.ns);
    }
  }

  /** Keeps `size` ops in flight until `ops` have been run. */
  private async runOps(ops: number, store: RecordStore): Promise<void> {
    let issued = 0;
    const lane = async (): Promise<void> => {
      while (issued < ops) {
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
      }, opTimeoutMs);
    });
    let reply: PoolReply | 'timeout';
    try {
      // No AbortSignal: piscina would terminate() the thread mid-call. A late answer is dropped.
      reply = await Promise.race([pool.run({ type: 'op', id }), timeout]);
    } catch (error) {
      recordLostOp(store, requestedAt, 'failed', `pool task failed: ${messageOf(error)}`);
      return;
    } finally {
      clearTimeout(timer);
    }
    const answeredAt = process.hrtime.bigint();
    if (reply === 'timeout') {
      this.stuck++;
      recordLostOp(store, requestedAt, 'timeout', `no answer within ${opTimeoutMs} ms`);
      return;
    }
    if (reply.type !== 'op') return;
    const op: OpReply = reply;
    const cold = op.cold ? { start: requestedAt, initNs: op.cold.initNs, beforeRequestNs: 0 } : undefined;
    const index = recordWorkerOp(store, requestedAt, answeredAt, op, op.threadId, cold);
    if (store === this.store) this.idToIndex.set(id, index);
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
    for (const reply of replies) {
      if (reply?.type === 'closed' && reply.threadCpuNs !== undefined)
        this.threadCpuNs = (this.threadCpuNs ?? 0) + reply.threadCpuNs;
    }
    if (replies.every((r) => r?.type === 'closed' && r.joined)) await pool.destroy();
  }
}
