import { usageError } from '../errors.js';

/**
 * Which ops write GPU timestamps. Timestamp writes cost the op they time (a bare dawn.node loop
 * on lavapipe: a 1,024-float scale op 1.43x with them, a 64K one 1.07x), and the user's program
 * does not pay that: so by default only a share of the ops is timed, alternating with untimed
 * ones in the same thread, and every CPU-side figure (phases, total, ops/s, sync) comes from the
 * untimed ops, the GPU time from the timed ones (measurement/steady-state.ts's rule).
 *
 * - `sample`: one op in `oneIn` timed (default one in 2), in runs of TIMED_BLOCK: timed and
 *   untimed ops alternate block by block in the same thread, close in time, so that the cost of
 *   timing is a difference of neighbours; the first untimed op after a timed block is left out of
 *   every figure (settlesAfter);
 * - `every`: every op timed (the figures then include what timing costs, and the run says so);
 * - `none`: no op timed: no GPU time, and nothing of timing in any figure.
 */
export type GpuTimeMode = 'sample' | 'every' | 'none';

export interface GpuTimePlan {
  readonly mode: GpuTimeMode;
  /** For `sample`: one op in this many is timed (at least 2). 1 for `every`, 0 for `none`. */
  readonly oneIn: number;
}

export const DEFAULT_GPU_TIME: GpuTimePlan = { mode: 'sample', oneIn: 2 };

/** `sample`, `every`, `none`, or `1/N` (one op in N timed, N >= 2). */
export function parseGpuTime(text: string, option = '--gpu-time'): GpuTimePlan {
  const value = text.trim().toLowerCase();
  if (value === 'sample') return DEFAULT_GPU_TIME;
  if (value === 'every') return { mode: 'every', oneIn: 1 };
  if (value === 'none') return { mode: 'none', oneIn: 0 };
  const share = /^1\/(\d+)$/.exec(value);
  const n = share ? Number(share[1]) : NaN;
  if (Number.isSafeInteger(n) && n >= 2 && n <= 1000) return { mode: 'sample', oneIn: n };
  throw usageError(
    `${option} must be sample (one in 2 timed), every, none, or 1/N with N from 2 to 1000, not '${text}'`,
  );
}

/** The plan as the flag would give it back: `sample`, `1/4`, `every`, `none`. */
export function formatGpuTime(plan: GpuTimePlan): string {
  if (plan.mode !== 'sample') return plan.mode;
  return plan.oneIn === DEFAULT_GPU_TIME.oneIn ? 'sample' : `1/${plan.oneIn}`;
}

/**
 * Timed ops come in runs of this many. A timed op slows the op right after it: in a bare
 * dawn.node loop on lavapipe (scale, 1,024 floats, 150 rounds of 10 timed then 10 untimed ops, three
 * processes), the first untimed op after the timed ones took 4-6% longer than the nine after it
 * (143.6 against 136-141 us, 152.7 against 139-147, 171.0 against 162-167), and untimed ops
 * alternating one by one with timed ones 2-4% longer. In blocks, only one untimed op in a period
 * follows a timed one, and it is left out (settlesAfter).
 */
export const TIMED_BLOCK = 8;

/**
 * Whether the `k`th op of a thread (from 0, warm-up ops included) is timed: for `sample`, the
 * last `block` of every `oneIn` x `block`, so that a thread's ops begin untimed and the pattern
 * is the same in every thread and every process. A fresh worker per op takes `block` 1: each op
 * has a device of its own, and no op follows another there.
 */
export function isTimedOp(k: number, plan: GpuTimePlan, block = TIMED_BLOCK): boolean {
  if (plan.mode === 'every') return true;
  if (plan.mode === 'none') return false;
  const period = plan.oneIn * block;
  return k % period >= period - block;
}

/**
 * Whether an op settles: for `sample`, the first untimed op after a timed one. It runs untimed,
 * and is left out of every figure (the op after a timed one runs slower; see TIMED_BLOCK).
 */
export function settlesAfter(lastTimed: boolean, timed: boolean, plan: GpuTimePlan): boolean {
  return plan.mode === 'sample' && lastTimed && !timed;
}

/** The first op count from `k` on that begins a period of the plan (its untimed ops first). */
export function periodStart(k: number, plan: GpuTimePlan, block = TIMED_BLOCK): number {
  if (plan.mode !== 'sample') return k;
  const period = plan.oneIn * block;
  return Math.ceil(k / period) * period;
}
