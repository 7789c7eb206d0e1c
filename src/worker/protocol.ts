import type { ProfileConfig } from '../config/profile-config.js';
import type { MessagePort } from 'node:worker_threads';
import type { RecordBatch } from '../measurement/record-store.js';

/**
 * What the main thread and an op worker say to each other. Worker-side code lives in this
 * folder and shares nothing else with the main side; both speak only these types.
 */
export type WorkerRole = 'fresh' | 'reused' | 'persistent';
export type HandoffMode = 'message' | 'atomics';

/** Given to every worker at construction (structured-cloned; bigints survive the trip). */
export interface OpWorkerData {
  readonly role: WorkerRole;
  readonly config: ProfileConfig;
  readonly handoff: HandoffMode;
  /** The run's origin on process.hrtime.bigint(), shared by every thread. */
  readonly origin: bigint;
  /** For `atomics` handoff: the control block the two threads hand ops through. */
  readonly shared?: SharedArrayBuffer;
  /** For `atomics` handoff: where an op's error message comes back (read with receiveMessageOnPort). */
  readonly errorPort?: MessagePort;
}

/** One op's timings as plain data, as the worker measured them. Durations in ns; NaN if absent. */
export interface OpTimingData {
  readonly start: bigint;
  readonly creation: number;
  readonly kernelCpu: number;
  readonly sync: number;
  readonly readback: number;
  readonly total: number;
}

/** Main thread -> worker. */
export type RequestMessage =
  | { readonly type: 'op'; readonly id: number }
  | { readonly type: 'loop'; readonly ops: number; readonly warmup: number }
  | { readonly type: 'flush' }
  | { readonly type: 'close' };

/** Worker -> main thread. */
export type ResponseMessage =
  | { readonly type: 'ready'; readonly startedAt: bigint; readonly readyAt: bigint; readonly loadNs: number }
  | {
      readonly type: 'op';
      readonly id: number;
      readonly receivedAt: bigint;
      readonly sentAt: bigint;
      readonly timing?: OpTimingData;
      readonly gpuNs?: number;
      readonly error?: string;
    }
  | {
      readonly type: 'batch';
      readonly batch: RecordBatch;
      /** Set when the worker's device was lost or abandoned during the loop. */
      readonly deviceLost?: string;
    }
  | { readonly type: 'gpu-times'; readonly ids: number[]; readonly ns: Float64Array }
  | { readonly type: 'closed'; readonly closeNs: number; readonly threadCpuNs?: number }
  | { readonly type: 'fatal'; readonly message: string };

/** Slots of the atomics control block (an Int32Array over `shared`). */
export const CONTROL = { state: 0, id: 1 } as const;
/** Values of the state slot. */
export const STATE = { idle: 0, op: 1, done: 2, failed: 3, message: 4 } as const;
/** Int32 slots, then 8-byte aligned room for 4 bigints and 6 float64s. */
export const CONTROL_INTS = 2;
export const SHARED_BYTES = 8 + 4 * 8 + 6 * 8;
export const BIGINT_OFFSET = 8;
export const FLOAT_OFFSET = 8 + 4 * 8;

/** Views over the control block; the same layout on both sides. */
export function controlViews(shared: SharedArrayBuffer): {
  ints: Int32Array;
  bigs: BigInt64Array;
  floats: Float64Array;
} {
  return {
    ints: new Int32Array(shared, 0, CONTROL_INTS),
    bigs: new BigInt64Array(shared, BIGINT_OFFSET, 4),
    floats: new Float64Array(shared, FLOAT_OFFSET, 6),
  };
}

/** The calling thread's own CPU time where Node exposes it (process.threadCpuUsage, Node >= 23.9). */
export function threadCpuNs(): number | undefined {
  const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.();
  return usage ? (usage.user + usage.system) * 1000 : undefined;
}
