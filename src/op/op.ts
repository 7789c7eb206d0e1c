import type { PlannedConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';

/**
 * One kind of GPU work that wgprof times, cut into its phases. The op runner (the one loop every
 * thread uses, measurement/time-op.ts) calls, per op: create (phase "creation"), dispatch
 * ("kernel (CPU)"), sync ("sync"), readBack when the op reads back ("readback"), then release,
 * outside every phase. A phase may return a promise, which the runner awaits inside the phase;
 * one that returns undefined costs no await. Everything that is not an op (compiling, planning,
 * generating input data) happens once, when the op is opened.
 */
export interface Op {
  /** True when each op reads its result back to the CPU, as a phase of its own. */
  readonly readsBack: boolean;
  create(): Promise<void> | undefined;
  /** Encodes and submits; the pass gets `timestampWrites` when the run times GPU passes. */
  dispatch(timestampWrites: GPUComputePassTimestampWrites | undefined): Promise<void> | undefined;
  sync(): Promise<void>;
  /** The result's contents, read back (called only when `readsBack`). */
  readBack(): Promise<unknown>;
  /** Frees (or pools) what `create` made; runs after every op, failed ones included. */
  release(): void;
  /** Frees what opening the op made; once, when the thread is done with it. */
  dispose(): void;
}

/** Opens an op of one kind on a thread's device, from the run's planned config. */
export type OpenOp = (ctx: GpuContext, config: PlannedConfig) => Promise<Op>;
