/**
 * A known cost on demand, for the calibration test (test/calibration.test.ts):
 * WGPROF_INJECT_COST=creation=2ms makes every op's creation phase busy-wait that long on the
 * thread that runs it, so the test can check that wgprof finds those 2 ms under every strategy.
 * Unset, it costs one test of a constant per op.
 */

/** The busy-wait added to each op's creation, ns (0: none). */
export const injectedCreationNs = parseCost(process.env.WGPROF_INJECT_COST);

export function parseCost(text: string | undefined): number {
  const match = /^creation=(\d+(?:\.\d+)?)(us|ms)$/.exec(text ?? '');
  if (!match) return 0;
  return Number(match[1]) * (match[2] === 'ms' ? 1e6 : 1e3);
}

/** Spins on the clock: a CPU cost of exactly this long on this thread, as an op's own work would be. */
export function busyWait(ns: number): void {
  const until = process.hrtime.bigint() + BigInt(Math.round(ns));
  while (process.hrtime.bigint() < until) {
    // spin
  }
}
