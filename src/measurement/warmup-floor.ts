/**
 * Whether a thread's warm-up takes another batch of ops: --warmup's ops are done, and the warm-up
 * has not yet lasted --warmup-min (the floor that lets wgprof's own JavaScript be compiled before
 * the op is timed), nor reached `untilMs` (the time budget's end). No floor when --warmup is 0:
 * that asks for no warm-up at all.
 */
export function warmupGoesOn(
  warmupOps: number,
  startedMs: number,
  nowMs: number,
  minMs: number,
  untilMs = Number.POSITIVE_INFINITY,
): boolean {
  return warmupOps > 0 && nowMs - startedMs < minMs && nowMs < untilMs;
}
