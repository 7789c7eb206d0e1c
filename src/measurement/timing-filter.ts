import { TIMING, wroteTimestamps } from '../device/timestamp-check.js';

/**
 * Which ops a figure comes from, by how they were timed: the one rule every reader uses (the live
 * record store, stored results). CPU-side figures (every phase on the CPU, the total, ops/s,
 * vs main) come from the ops that wrote no timestamps, which ran as the user's program runs
 * them; the GPU time from the timed ops whose readings passed; the first untimed op after a block
 * of timed ones (TIMING.settle) is in neither. A run whose every op was timed
 * (--gpu-time every, or a result written before wgprof sampled) gives its CPU-side figures from
 * all of them, timing included, and says so. The two sets are never mixed into one figure.
 */
export type TimingSide = 'cpu' | 'gpu';

/** The side a summary key is measured on. */
export function sideOf(key: string): TimingSide {
  return key === 'kernelGpu' ? 'gpu' : 'cpu';
}

/**
 * A predicate on op indices for `side`. `codes` are the ops' TIMING codes (absent in older
 * results: every op counts); `eligible` are the ops the figure could take (ended ok, selected).
 */
export function timingFilter(
  codes: ArrayLike<number> | undefined,
  side: TimingSide,
  eligible: (index: number) => boolean,
): (index: number) => boolean {
  if (!codes) return () => true;
  if (side === 'gpu') return (i) => codes[i] === TIMING.timed;
  return hasUntimed(codes, eligible) ? (i) => isCpuSide(codes[i] ?? TIMING.untimed) : () => true;
}

/** An op whose CPU-side figures are the user's program's: it wrote no timestamps, and followed no timed op. */
export function isCpuSide(code: number): boolean {
  return !wroteTimestamps(code) && code !== TIMING.settle;
}

/** True when some eligible op wrote no timestamps: the CPU-side figures can be of untimed ops only. */
export function hasUntimed(codes: ArrayLike<number>, eligible: (index: number) => boolean): boolean {
  for (let i = 0; i < codes.length; i++)
    if (eligible(i) && isCpuSide(codes[i] ?? TIMING.untimed)) return true;
  return false;
}
