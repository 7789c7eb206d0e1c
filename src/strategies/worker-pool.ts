import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { timerDelay } from '../config/size.js';
import { messageOf } from '../errors.js';
import { LATE_OP_GRACE_MS, watchdogCheckMs } from '../measurement/op-watchdog.js';
import type { RecordStore } from '../measurement/record-store.js';
import { newFaultFlag } from '../op/fault-flag.js';
import type { PoolReply, PoolTask, PoolWorkerData } from '../worker/pool-task.js';
import { StrategyBase, type StuckThread } from './strategy.js';
import { assignGpuTimes, recordAnswer } from './worker-records.js';

const POOL_TASK_FILE = fileURLToPath(new URL('../../dist/worker/pool-task.bundle.js', import.meta.url));

/** Past its --op-timeout, how long a pool thread is given to answer its op at last, ms. */
export function stuckAfterMs(opTimeoutMs: number): number {
  // The thread's own watchdog gives up on the op within a check of the timeout, then waits the
  // late-op grace before it answers; a second more covers the answer's way back.
  return watchdogCheckMs(opTimeoutMs) + LATE_OP_GRACE_MS + 1000;
}

/** `task`, or 'timeout' if it has not settled within `ms`. */
async function within<T>(task: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, timerDelay(ms), 'timeout');
  });
  try {
    return await Promise.race([task, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * N long-lived workers on piscina, each with its own device, fed one op per task while the main
 * thread keeps N ops in flight, one per lane. piscina ends its threads with terminate(), which
 * aborts the process if a thread is inside a dawn.node call, so before destroy() every thread
 * closes its device in a close task that waits at a barrier: N such tasks can only land one per
 * thread. A thread that does not answer an op within --op-timeout, nor in the grace after it, is
 * stuck: its lane sends no more work (piscina would queue it behind the stuck op, and every later
 * op would wait out the timeout), and when no thread is left the scenario ends as a main thread's
 * hung op ends it.
 */
export class WorkerPoolStrategy extends StrategyBase {
  private pool: Piscina<PoolTask, PoolReply> | undefined;
  private nextId = 0;
  private readonly idToIndex = new Map<number, number>();
  /** Which thread took each lane's op in flight: each thread writes its threadId at its lane's slot. */
  private readonly claims = new SharedArrayBuffer(4 * this.scenario.concurrency);
  /** Lanes whose op a stuck thread still holds, until it answers at last. */
  private readonly stuckLanes = new Set<number>();
  /** Every thread found stuck during the run, for the result. */
  readonly stuckThreads: StuckThread[] = [];

  /** The pool's worker threads while it runs (piscina's own list; empty before start() and after close()). */
  get threads(): readonly Worker[] {
    return this.pool?.threads ?? [];
  }

  private get size(): number {
    return this.scenario.concurrency;
  }

  async start(warmupUntilMs?: number): Promise<void> {
    const data: PoolWorkerData = {
      config: this.context.config,
      origin: this.context.origin,
      claims: this.claims,
      faultFlag: newFaultFlag(),
    };
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
    const scratch = this.scratchStore();
    await this.warmUp((ops, untilMs) => this.runOps(ops, scratch, untilMs), warmupUntilMs);
  }

  async runChunk(ops: number): Promise<void> {
    await this.meter.measure(() => this.runOps(ops, this.store));
    const replies = this.pool ? await this.everyThread(this.pool, 'flush') : [];
    for (const reply of replies) {
      if (reply?.type === 'gpu-times') assignGpuTimes(this.store, this.idToIndex, reply, this.activity);
    }
  }

  /**
   * Keeps an op in flight on every lane whose thread is not stuck, until `ops` have been run or
   * `untilMs` (a Date.now() time) has come; returns how many were sent.
   */
  private async runOps(ops: number, store: RecordStore, untilMs = Number.POSITIVE_INFINITY): Promise<number> {
    let issued = 0;
    const lane = async (slot: number): Promise<void> => {
      while (issued < ops && !this.lost && Date.now() < untilMs) {
        issued++;
        if ((await this.runOne(store, slot)) === 'stuck') return;
      }
    };
    const free = Array.from({ length: this.size }, (_, slot) => slot).filter((s) => !this.stuckLanes.has(s));
    await Promise.all(free.slice(0, ops).map(lane));
    if (this.stuckLanes.size === this.size) this.lost ??= this.noThreadLeft();
    return issued;
  }

  /** Runs one op on lane `slot`; 'stuck' when its thread did not answer, and the lane must stop. */
  private async runOne(store: RecordStore, slot: number): Promise<'answered' | 'stuck'> {
    const pool = this.pool;
    if (!pool) throw new Error('pool strategy used before start()');
    const id = this.nextId++;
    const { opTimeoutMs } = this.context.config;
    const claims = new Int32Array(this.claims);
    Atomics.store(claims, slot, 0);
    const requestedAt = process.hrtime.bigint();
    // No AbortSignal: piscina would terminate() the thread mid-call. A late answer is dropped.
    const task = pool.run({ type: 'op', id, slot, ...(store === this.store ? {} : { warmUp: true }) });
    let reply: PoolReply | 'timeout';
    try {
      reply = await within(task, opTimeoutMs);
    } catch (error) {
      store.appendFailure(requestedAt, 'failed', `the pool thread crashed: ${messageOf(error)}`);
      return 'answered';
    }
    const answeredAt = process.hrtime.bigint();
    if (reply === 'timeout') {
      const threadId = Atomics.load(claims, slot);
      const index = store.appendFailure(
        requestedAt,
        'timeout',
        `no answer from ${threadId > 0 ? `pool thread ${threadId}` : 'the pool'} within ${opTimeoutMs} ms (--op-timeout)`,
      );
      return this.awaitLateAnswer(task, slot, threadId, store === this.store ? index : undefined);
    }
    if (reply.type !== 'op') return 'answered';
    const cold = reply.cold
      ? { start: requestedAt, initNs: reply.cold.initNs, beforeRequestNs: 0 }
      : undefined;
    const index = recordAnswer(store, reply, requestedAt, answeredAt, cold);
    if (store === this.store) this.idToIndex.set(id, index);
    if (reply.record.status === 'lost') this.lost = reply.record.message ?? 'the device was lost';
    return 'answered';
  }

  /**
   * After a timeout the thread usually answers soon (its own watchdog gives up on the op, and it
   * opens a new device for the next); one that does not within stuckAfterMs is stuck, and its
   * lane is retired until it answers at last, if ever.
   */
  private async awaitLateAnswer(
    task: Promise<PoolReply>,
    slot: number,
    threadId: number,
    index: number | undefined,
  ): Promise<'answered' | 'stuck'> {
    const settled = task.then(
      () => undefined,
      () => undefined,
    );
    if ((await within(settled, stuckAfterMs(this.context.config.opTimeoutMs))) !== 'timeout')
      return 'answered';
    this.stuckLanes.add(slot);
    this.stuckThreads.push({ threadId, ...(index === undefined ? {} : { index }) });
    void settled.then(() => this.stuckLanes.delete(slot));
    return 'stuck';
  }

  /** Why the scenario ends when every thread is stuck, as a main thread's hung op is named. */
  private noThreadLeft(): string {
    const { opTimeoutMs } = this.context.config;
    const ids = this.stuckThreads.map((t) => (t.threadId > 0 ? String(t.threadId) : '?'));
    const one = ids.length === 1;
    const threads = one ? `thread ${ids[0] ?? '?'}` : `threads ${ids.join(', ')}`;
    return (
      `stuck: no pool thread is left to run ops: ${threads} did not answer an op within ` +
      `--op-timeout (${opTimeoutMs} ms) nor in the ${(stuckAfterMs(opTimeoutMs) / 1000).toFixed(2)} s after, ` +
      `so ${one ? 'it was' : 'they were'} sent no more ops`
    );
  }

  /**
   * Runs one flush or close task on every thread that is not stuck, all at once, held together by
   * a barrier: a task waits in it until all have arrived, so no two land on one thread.
   */
  private async everyThread(
    pool: Piscina<PoolTask, PoolReply>,
    type: 'flush' | 'close',
  ): Promise<(PoolReply | undefined)[]> {
    const parties = this.size - this.stuckLanes.size;
    if (parties <= 0) return [];
    const barrier = new SharedArrayBuffer(4);
    const tasks = Array.from({ length: parties }, () =>
      pool.run({ type, barrier, parties, timeoutMs: this.context.config.opTimeoutMs }).catch(() => undefined),
    );
    return Promise.all(tasks);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    if (!pool) return;
    this.pool = undefined;
    const replies = await this.everyThread(pool, 'close');
    for (const reply of replies) if (reply?.type === 'closed') this.addThreadCpu(reply.threadCpuNs);
    // Every thread closed its devices, those abandoned after a timeout included: the threads can
    // be ended. A thread still inside a GPU call (stuck), or holding a device whose queue never
    // finished, would abort the process if terminated: then the pool is left as it is (piscina
    // unrefs idle threads), and the measuring process exits without waiting for it.
    const safe = (r: PoolReply | undefined): boolean => r?.type === 'closed' && r.joined && r.safe;
    if (replies.length === this.size && replies.every(safe)) await pool.destroy();
  }
}
