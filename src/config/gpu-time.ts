import { usageError } from '../errors.js';

/**
 * Which ops write GPU timestamps. Timestamp writes cost the op they time (a bare dawn.node loop
 * on lavapipe: a 1,024-float scale op 1.43x with them, a 64K one 1.07x), and the user's program
 * does not pay that: so by default only a share of the ops is timed, alternating with untimed
 * ones in the same thread, and every CPU-side figure (phases, total, ops/s, sync) comes from the
 * untimed ops, the GPU time from the timed ones (measurement/steady-state.ts's rule).
 *
 * - `sample`: one op in `oneIn` timed (default one in 2: timed and untimed alternate, which
 *   pairs them most closely in time and gives the cost of timing its tightest interval);
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

/** What results written before wgprof sampled its timed ops did: every op timed. */
export const LEGACY_GPU_TIME: GpuTimePlan = { mode: 'every', oneIn: 1 };

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
 * Whether the `k`th op of a thread (from 0, warm-up ops included) is timed: for `sample`, the
 * last of every `oneIn`, so that a thread's ops begin untimed and the pattern is the same in
 * every thread and every process.
 */
export function isTimedOp(k: number, plan: GpuTimePlan): boolean {
  if (plan.mode === 'every') return true;
  if (plan.mode === 'none') return false;
  return k % plan.oneIn === plan.oneIn - 1;
}
