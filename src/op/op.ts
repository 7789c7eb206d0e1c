import type { RunConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import type { OpRecorder } from '../instrument/op-recorder.js';

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
  release(): Promise<void> | undefined;
  /** Frees what opening the op made; once, when the thread is done with it, before its device closes. */
  dispose(): Promise<void> | undefined;
  /**
   * Set by an op that wgprof does not write (an op module): the WebGPU instrumentation's
   * recorder, which counts its calls and times each of its passes. The runner then takes the
   * op's GPU time from it, and passes no timestampWrites to `dispatch`.
   */
  readonly recorder?: OpRecorder;
}

/** Opens an op of one kind on a thread's device, from the run's planned config. */
export type OpenOp = (ctx: GpuContext, config: RunConfig) => Promise<Op>;
