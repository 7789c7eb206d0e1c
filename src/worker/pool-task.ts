import { threadId, workerData } from 'node:worker_threads';
import type { RunConfig } from '../config/profile-config.js';
import { faultShareAtStart } from '../op/fault-flag.js';
import { threadCpuNs, type GpuTimes, type OpAnswer } from './protocol.js';
import { describeUncaughtExceptions } from './uncaught-message.js';
import type { WorkerSession } from './worker-session.js';

/**
 * The task module piscina runs in each pool thread: one op per task, on the thread's own device,
 * opened on its first task (so that task is the thread's cold op). Flush and close tasks end in
 * a barrier, so that N such tasks for N threads land one on each thread.
 */
export interface PoolWorkerData {
  readonly config: RunConfig;
  readonly origin: bigint;
  /** One Int32 per lane: the thread that takes a lane's op writes its threadId there, first thing. */
  readonly claims: SharedArrayBuffer;
  /** Set by the pool's thread in which an injected fault fired (op/fault-flag.ts). */
  readonly faultFlag: SharedArrayBuffer;
}

export type PoolTask =
  | { readonly type: 'op'; readonly id: number; readonly slot: number; readonly warmUp?: boolean }
  | {
      readonly type: 'flush' | 'close';
      readonly barrier: SharedArrayBuffer;
      readonly parties: number;
      readonly timeoutMs: number;
    };

export type PoolReply =
  | (OpAnswer & {
      readonly threadId: number;
      /** Set on the thread's first op on a device: how long opening it took. */
      readonly cold?: { readonly initNs: number };
    })
  | ({ readonly type: 'gpu-times'; readonly joined: boolean } & GpuTimes)
  | {
      readonly type: 'closed';
      readonly closeNs: number;
      readonly threadCpuNs?: number;
      /** False while the thread holds a device whose GPU work never finished: it must not be terminated. */
      readonly safe: boolean;
      readonly joined: boolean;
    };

describeUncaughtExceptions();
// Read as the thread begins (piscina loads this module before it sends the thread a task): a
// thread that replaces one that a fault took down leaves the fault alone.
const fault = faultShareAtStart((workerData as PoolWorkerData).faultFlag);

let session: WorkerSession | undefined;
/**
 * Sessions closed stuck (an op never finished): their devices were left undestroyed, and one
 * whose queue still runs keeps a dawn.node promise pending, which makes terminating this thread
 * abort the process. The close task destroys those whose queues turn out idle.
 */
let abandoned: WorkerSession[] = [];
/** How long the close task waits for an abandoned device's queue to say it is idle, ms. */
const IDLE_QUEUE_WAIT_MS = 250;

async function openSession(): Promise<WorkerSession> {
  const { WorkerSession } = await import('./worker-session.js');
  const data = workerData as PoolWorkerData;
  return WorkerSession.open(data.config, data.origin, fault);
}

/** Waits until `parties` threads have arrived; false if that takes longer than `timeoutMs`. */
function barrier(shared: SharedArrayBuffer, parties: number, timeoutMs: number): boolean {
  const count = new Int32Array(shared);
  Atomics.add(count, 0, 1);
  Atomics.notify(count, 0);
  const deadline = Date.now() + timeoutMs;
  for (let seen = Atomics.load(count, 0); seen < parties; seen = Atomics.load(count, 0)) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(count, 0, seen, left);
  }
  return true;
}

export default async function poolTask(task: PoolTask): Promise<PoolReply> {
  if (task.type === 'op') {
    const receivedAt = process.hrtime.bigint();
    // So that the main thread can name this thread if the op never comes back.
    Atomics.store(new Int32Array((workerData as PoolWorkerData).claims), task.slot, threadId);
    let cold: { initNs: number } | undefined;
    if (!session) {
      session = await openSession();
      cold = { initNs: Number(process.hrtime.bigint() - receivedAt) };
    }
    const record = await session.runOp(task.id, task.warmUp === true);
    const reply = {
      type: 'op',
      id: task.id,
      receivedAt,
      sentAt: process.hrtime.bigint(),
      record,
      threadId,
    } as const;
    // A device stuck in a kernel is left behind (close() leaves it alone: destroying it would wait
    // for it); this thread's next task opens a new one, as its cold op.
    if (session.stuck) {
      await session.close();
      abandoned.push(session);
      session = undefined;
    }
    return cold ? { ...reply, cold } : reply;
  }
  if (task.type === 'flush') {
    const times = session
      ? await session.gpuTimes()
      : { ids: [], ns: new Float64Array(0), codes: new Uint8Array(0) };
    return { type: 'gpu-times', ...times, joined: barrier(task.barrier, task.parties, task.timeoutMs) };
  }
  const closeNs = session ? await session.close() : 0;
  session = undefined;
  const released = await Promise.all(abandoned.map((s) => s.releaseIfIdle(IDLE_QUEUE_WAIT_MS)));
  abandoned = abandoned.filter((_, i) => released[i] !== true);
  // Let dawn.node settle the devices' `lost` promises before piscina may end this thread.
  await new Promise((resolve) => setTimeout(resolve, 10));
  const cpu = threadCpuNs();
  return {
    type: 'closed',
    closeNs,
    ...(cpu === undefined ? {} : { threadCpuNs: cpu }),
    safe: abandoned.length === 0,
    // The other threads may spend the idle wait above before they come.
    joined: barrier(task.barrier, task.parties, task.timeoutMs + IDLE_QUEUE_WAIT_MS),
  };
}
