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
 * results: every op counts). `everyOpTimed`: the run timed every op (--gpu-time every), so its
 * CPU-side figures are of all its ops; decided by the run's plan, never by what one process's few
 * ops happened to be (a replicate of a handful of ops can fall inside one timed block).
 */
export function timingFilter(
  codes: ArrayLike<number> | undefined,
  side: TimingSide,
  everyOpTimed: boolean,
): (index: number) => boolean {
  if (!codes) return () => true;
  if (side === 'gpu') return (i) => codes[i] === TIMING.timed;
  return everyOpTimed ? () => true : (i) => isCpuSide(codes[i] ?? TIMING.untimed);
}

/** An op whose CPU-side figures are the user's program's: it wrote no timestamps, and followed no timed op. */
export function isCpuSide(code: number): boolean {
  return !wroteTimestamps(code) && code !== TIMING.settle;
}
