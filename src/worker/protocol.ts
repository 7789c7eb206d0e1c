import type { MessagePort } from 'node:worker_threads';
import type { RunConfig } from '../config/profile-config.js';
import type { HandoffMode } from '../config/strategy-names.js';
import type { OpActivity } from '../instrument/op-activity.js';
import type { Phase } from '../op/phases.js';
import { ROW_SLOT_COUNT, type FailedStatus, type RecordRow } from '../measurement/record-store.js';

/**
 * What the main thread and an op worker say to each other, named by direction. Worker-side code
 * lives in this folder and shares nothing else with the main side; both speak only these types.
 */
export type WorkerRole = 'fresh' | 'reused' | 'persistent';

/** Given to every worker at construction (structured-cloned; bigints survive the trip). */
export interface OpWorkerData {
  readonly role: WorkerRole;
  readonly config: RunConfig;
  readonly handoff: HandoffMode;
  /** The run's origin on process.hrtime.bigint(), shared by every thread. */
  readonly origin: bigint;
  /** For `atomics` handoff: the control block the two threads hand ops through. */
  readonly shared?: SharedArrayBuffer;
  /** For `atomics` handoff: where an op's error message comes back (read with receiveMessageOnPort). */
  readonly errorPort?: MessagePort;
  /** For a fresh worker: whether its one op writes GPU timestamps (the main thread counts the ops). */
  readonly timed?: boolean;
  /** Set by the strategy's thread in which an injected fault fired (op/fault-flag.ts). */
  readonly faultFlag?: SharedArrayBuffer;
}

/** Main thread -> worker. */
export type WorkerRequest =
  /** `warmUp`: an op of the warm-up, whose record the main thread drops (the runner's plan counts it apart). */
  | { readonly type: 'op'; readonly id: number; readonly warmUp?: boolean }
  /**
   * The persistent worker's chunk: `warmup` unrecorded ops, then `ops` recorded into the shared
   * record store over `records` (capacity `ops`), which the main thread reads even if the worker dies.
   */
  | {
      readonly type: 'loop';
      readonly ops: number;
      readonly warmup: number;
      /** The warm-up stops here if it is still going (a Date.now() time: the time budget's end). */
      readonly warmupUntilMs?: number;
      readonly records: SharedArrayBuffer;
      /** The shared store's phases, which lay out its columns: the same list on both sides. */
      readonly phases: readonly Phase[];
    }
  | { readonly type: 'flush' }
  | { readonly type: 'close' };

/** An op's end as the worker saw it: its record, and when the request arrived and the answer left. */
export interface OpAnswer {
  readonly type: 'op';
  readonly id: number;
  readonly receivedAt: bigint;
  readonly sentAt: bigint;
  readonly record: RecordRow;
  /** An op module's activity, when the answer waited for its GPU times (a fresh worker's one op). */
  readonly activity?: OpActivity;
}

/** GPU times by op id, read back since the last flush; an op module's activity beside them. */
export interface GpuTimes {
  readonly ids: number[];
  readonly ns: Float64Array;
  /** Aligned with `ids`: each op's timing code after its reading was checked (TIMING). */
  readonly codes: Uint8Array;
  /** Aligned with `ids`: each op's counted calls and timed passes (op modules only). */
  readonly activity?: OpActivity[];
}

/** Worker -> main thread. */
export type WorkerResponse =
  | { readonly type: 'ready'; readonly startedAt: bigint; readonly readyAt: bigint; readonly loadNs: number }
  | OpAnswer
  | {
      readonly type: 'loop-done';
      /** The warm-up ops it ran before the chunk's. */
      readonly warmedUp: number;
      /** Messages of the chunk's records that did not end ok, by index in the shared store. */
      readonly failures: [number, FailedStatus, string][];
      /** Set when the worker's device was lost or abandoned during the loop. */
      readonly deviceLost?: string;
      /** True when it was abandoned (an op never finished): a new worker may go on. */
      readonly stuck?: boolean;
      /** An op module's activity by index in the shared store. */
      readonly activity?: [number, OpActivity][];
    }
  | ({ readonly type: 'gpu-times' } & GpuTimes)
  | { readonly type: 'closed'; readonly closeNs: number; readonly threadCpuNs?: number }
  | { readonly type: 'fatal'; readonly message: string };

/**
 * The atomics handoff's control block, by named slot: int32s (the state, the op id, and 1 for a
 * warm-up op; padded to 16 bytes), two
 * bigints (when the request arrived in the worker and when its answer left), then the op's
 * record as float64s at RecordStore's ROW_SLOTS.
 */
export const CONTROL = { state: 0, id: 1, warmUp: 2 } as const;
export const HANDOFF_TIME = { receivedAt: 0, sentAt: 1 } as const;
/** Values of the state slot. */
export const STATE = { idle: 0, op: 1, done: 2, failed: 3, message: 4 } as const;
const INT_BYTES = 16;
const BIGINT_BYTES = 2 * 8;
export const SHARED_BYTES = INT_BYTES + BIGINT_BYTES + ROW_SLOT_COUNT * 8;

/** Views over the control block; the same layout on both sides. */
export function controlViews(shared: SharedArrayBuffer): {
  ints: Int32Array;
  times: BigInt64Array;
  row: Float64Array;
} {
  return {
    ints: new Int32Array(shared, 0, 3),
    times: new BigInt64Array(shared, INT_BYTES, 2),
    row: new Float64Array(shared, INT_BYTES + BIGINT_BYTES, ROW_SLOT_COUNT),
  };
}

/** The calling thread's own CPU time where Node exposes it (process.threadCpuUsage, Node >= 23.9). */
export function threadCpuNs(): number | undefined {
  const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.();
  return usage ? (usage.user + usage.system) * 1000 : undefined;
}
