import type { RecordStore } from '../measurement/record-store.js';
import type { OpActivity } from '../instrument/op-activity.js';
import type { GpuTimes, OpAnswer } from '../worker/protocol.js';
import type { WorkerLife } from './op-worker-handle.js';

/**
 * The main thread's side of a worker's record, in one place: a worker records each op as its
 * own thread saw it (the same record every thread makes); here the main thread completes it
 * with what only it saw: where the record starts (the request, or for a worker's first op its
 * construction), the handoff, the worker's spawn and init, and the cold mark.
 */

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

function markColdStart(store: RecordStore, i: number, cold: ColdStart): void {
  store.markCold(i);
  if (cold.spawnNs !== undefined) store.setIfPresent('spawn', i, cold.spawnNs);
  store.setIfPresent('init', i, cold.initNs);
}

/**
 * Records one op that a worker answered, as the main thread saw it: from `requestedAt` (or the
 * cold start) to `answeredAt`. Handoff is what the main thread waited beyond the time spent
 * inside the worker. A failed op keeps the worker's status and message.
 */
export function recordAnswer(
  store: RecordStore,
  answer: OpAnswer,
  requestedAt: bigint,
  answeredAt: bigint,
  cold?: ColdStart,
): number {
  const i = store.appendRow(answer.record);
  const start = cold ? cold.start : requestedAt;
  const total = Number(answeredAt - start);
  store.setStart(i, start);
  store.setTotal(i, total);
  let inWorker = Number(answer.sentAt - answer.receivedAt);
  if (cold) {
    markColdStart(store, i, cold);
    inWorker += cold.beforeRequestNs;
  }
  if (answer.record.status === 'ok') store.setIfPresent('handoff', i, total - inWorker);
  return i;
}

/**
 * The persistent worker's first op: its record, made inside the worker, is widened to span from
 * the Worker constructor, with spawn and init, as for every worker's cold op.
 */
export function recordPersistentColdStart(store: RecordStore, i: number, life: WorkerLife): void {
  const end = (store.startsNs[i] ?? 0) + store.total(i);
  markColdStart(store, i, coldStartOf(life));
  store.setStart(i, life.constructedAt);
  store.setTotal(i, end - Number(life.constructedAt - store.origin));
}

/**
 * Writes GPU times that a worker reports by op id into the records those ids became, and an op
 * module's activity into `activity`, by record index.
 */
export function assignGpuTimes(
  store: RecordStore,
  idToIndex: Map<number, number>,
  times: GpuTimes,
  activity: Map<number, OpActivity>,
): void {
  times.ids.forEach((id, k) => {
    const index = idToIndex.get(id);
    if (index !== undefined && store.status(index) === 'ok') {
      store.setIfPresent('kernelGpu', index, times.ns[k] ?? NaN);
      store.setTiming(index, times.codes[k] ?? store.timing(index));
      const a = times.activity?.[k];
      if (a) activity.set(index, a);
    }
    idToIndex.delete(id);
  });
}
