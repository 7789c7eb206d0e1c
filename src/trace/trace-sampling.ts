import { DEFAULT_GPU_TIME, parseGpuTime, type GpuTimePlan } from '../config/gpu-time.js';

/**
 * Which of a traced program's command encoders get wgprof's timestamps (--gpu-time). Sampled by
 * encoder, not by pass: every pass of an encoder is timed or none is, so that a submit is timed
 * or untimed whole and what the program's submits and waits took can be compared either way
 * (trace-timing-cost.ts). Each device's first encoder is timed, so that a program with a single
 * pass still gets its GPU time; then one in N. (A profile's ops begin untimed instead,
 * config/gpu-time.ts's isTimedOp: it has warm-up ops to spare, a program may have one pass.)
 *
 * `k` counts a device's encoders that began a compute pass wgprof could time (from 0): an
 * encoder of copies only, or of passes with their own timestampWrites, is not counted, else a
 * program that alternates compute and read-back encoders would be timed never or always.
 */
export function isTimedEncoder(k: number, plan: GpuTimePlan): boolean {
  if (plan.mode === 'every') return true;
  if (plan.mode === 'none') return false;
  return k % plan.oneIn === 0;
}

/**
 * The plan the preload was given (TRACE_GPU_TIME_VARIABLE): `wgprof trace` checked the flag
 * already, so a value it cannot read (a program that set the variable itself) falls back to the
 * default rather than failing the program.
 */
export function gpuTimeFromEnv(text: string | undefined): GpuTimePlan {
  if (text === undefined || text.trim() === '') return DEFAULT_GPU_TIME;
  try {
    return parseGpuTime(text);
  } catch {
    return DEFAULT_GPU_TIME;
  }
}
