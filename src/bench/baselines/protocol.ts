import type { PlannedConfig } from '../../config/profile-config.js';

/**
 * What the raw baselines' two sides share. A raw baseline is a round trip between the main thread
 * and one other thread without wgprof: `runBlock(ops)` makes `ops` round trips and returns, for
 * each, the main thread's wait beyond the time spent in the worker (ns), as wgprof's handoff
 * phase counts it.
 */
export interface RawRoundTrip {
  runBlock(ops: number): Promise<number[]>;
  close(): Promise<void>;
}

/** What every raw baseline's worker answers: when the request arrived and when the answer left. */
export interface WorkerStamps {
  readonly receivedAt: bigint;
  readonly sentAt: bigint;
}

/** One round trip's handoff: what the main thread waited beyond the time spent inside the worker. */
export function handoffNs(requestedAt: bigint, answeredAt: bigint, stamps: WorkerStamps): number {
  return Number(answeredAt - requestedAt) - Number(stamps.sentAt - stamps.receivedAt);
}

/**
 * Given to every raw baseline's worker. With `config`, each request runs wgprof's op for that
 * config (worker-op.ts) before the answer; without it, nothing does.
 */
export interface RawWorkerData {
  readonly config?: PlannedConfig;
}

/** Main thread -> echo worker: run one op, or close the device and end. */
export type EchoRequest = 'op' | 'close';

/** The ping-pong's state slot: the main thread stores `request`, the worker answers `idle`. */
export const PING = { idle: 0, request: 1, stop: 2 } as const;
/** An Int32 state slot, padding to 8 bytes, then two BigInt64 stamps (received, sent). */
export const PING_BYTES = 8 + 2 * 8;

export interface AtomicsWorkerData extends RawWorkerData {
  readonly shared: SharedArrayBuffer;
}

/** Views over the ping-pong's shared block; the same layout on both sides. */
export function pingViews(shared: SharedArrayBuffer): { state: Int32Array; stamps: BigInt64Array } {
  return { state: new Int32Array(shared, 0, 1), stamps: new BigInt64Array(shared, 8, 2) };
}
