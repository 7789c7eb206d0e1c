/**
 * One op's timings, as the thread that ran it saw them. Reused from op to op so that the timed
 * path allocates nothing of its own. Durations in nanoseconds; NaN where the phase did not happen.
 */
export interface OpTiming {
  /** process.hrtime.bigint() when the op began: one clock for every thread of the process. */
  start: bigint;
  creation: number;
  kernelCpu: number;
  sync: number;
  readback: number;
  /** From the op's start to its end as its caller saw it, measured directly, not summed. */
  total: number;
}

export function emptyTiming(): OpTiming {
  return { start: 0n, creation: NaN, kernelCpu: NaN, sync: NaN, readback: NaN, total: NaN };
}
