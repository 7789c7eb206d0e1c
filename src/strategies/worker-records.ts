import type { RecordStore } from '../measurement/record-store.js';
import type { OpTimingData, ResponseMessage } from '../worker/protocol.js';
import type { WorkerLife } from './op-worker-handle.js';

/** The first op of a worker's life: where its record starts and what came before the op. */
export interface ColdStart {
  /** The record's start: the Worker constructor, or for a pool thread the task's submission. */
  readonly start: bigint;
  readonly spawnNs?: number;
  readonly initNs: number;
  /** Worker-side time before the op request arrived (spawn and init, when they came first). */
  readonly beforeRequestNs: number;
}

/** A spawned worker's cold start: spawn and init both precede its first op request. */
export function coldStartOf(life: WorkerLife): ColdStart {
  const spawnNs = Number(life.startedAt - life.constructedAt);
  const initNs = Number(life.readyAt - life.startedAt);
  return { start: life.constructedAt, spawnNs, initNs, beforeRequestNs: spawnNs + initNs };
}

type OpReply = Extract<ResponseMessage, { type: 'op' }>;

function setTiming(store: RecordStore, i: number, t: OpTimingData): void {
  store.set('creation', i, t.creation);
  store.set('kernelCpu', i, t.kernelCpu);
  store.set('sync', i, t.sync);
  if (store.has('readback')) store.set('readback', i, t.readback);
}

/**
 * Records one op that a worker ran, as the main thread saw it: from `requestedAt` (or, for the
 * first op of a worker's life, the Worker constructor) to `answeredAt`. The worker's phases come
 * from its own readings on the shared clock; handoff is what the main thread waited beyond the
 * time spent inside the worker.
 */
export function recordWorkerOp(
  store: RecordStore,
  requestedAt: bigint,
  answeredAt: bigint,
  reply: OpReply,
  thread: number,
  cold?: ColdStart,
): number {
  const start = cold ? cold.start : requestedAt;
  const i = store.append(start);
  const total = Number(answeredAt - start);
  store.setTotal(i, total);
  let inWorker = Number(reply.sentAt - reply.receivedAt);
  if (cold) {
    store.markCold(i);
    if (cold.spawnNs !== undefined) store.set('spawn', i, cold.spawnNs);
    store.set('init', i, cold.initNs);
    inWorker += cold.beforeRequestNs;
  }
  if (reply.error !== undefined || !reply.timing) {
    store.fail(i, 'failed', reply.error ?? 'worker sent no timings');
    return i;
  }
  store.setThread(i, thread, reply.timing.start);
  setTiming(store, i, reply.timing);
  if (store.has('handoff')) store.set('handoff', i, total - inWorker);
  if (reply.gpuNs !== undefined && store.has('kernelGpu')) store.set('kernelGpu', i, reply.gpuNs);
  return i;
}

/** Records an op that got no answer: a worker that crashed or timed out. */
export function recordLostOp(
  store: RecordStore,
  requestedAt: bigint,
  status: 'failed' | 'timeout',
  message: string,
): number {
  const i = store.append(requestedAt);
  store.setTotal(i, Number(process.hrtime.bigint() - requestedAt));
  store.fail(i, status, message);
  return i;
}

/** Writes GPU times that a worker reports by op id into the records those ids became. */
export function assignGpuTimes(
  store: RecordStore,
  idToIndex: Map<number, number>,
  ids: readonly number[],
  ns: Float64Array,
): void {
  if (!store.has('kernelGpu')) return;
  ids.forEach((id, k) => {
    const index = idToIndex.get(id);
    if (index !== undefined && store.status(index) === 'ok') store.set('kernelGpu', index, ns[k] ?? NaN);
    idToIndex.delete(id);
  });
}
