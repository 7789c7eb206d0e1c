/**
 * One side of a comparison. `runBlock(ops)` runs `ops` ops and returns their samples in ns:
 * one per op where each op is timed on its own, or one per block (see `timedBlock`).
 */
export interface Arm {
  readonly name: string;
  runBlock(ops: number): Promise<readonly number[]>;
}

export interface InterleavePlan {
  readonly rounds: number;
  readonly opsPerBlock: number;
}

/**
 * Runs every arm once per round, a block each, the order rotating from round to round, so that
 * drift on a noisy machine (and which arm comes after which) falls on all arms alike. Returns
 * each arm's samples, in the order of `arms`.
 */
export async function interleave(arms: readonly Arm[], plan: InterleavePlan): Promise<Float64Array[]> {
  const samples: number[][] = arms.map(() => []);
  for (let round = 0; round < plan.rounds; round++) {
    for (let k = 0; k < arms.length; k++) {
      const index = (round + k) % arms.length;
      const arm = arms[index];
      if (!arm) continue;
      samples[index]?.push(...(await arm.runBlock(plan.opsPerBlock)));
    }
  }
  return samples.map((s) => Float64Array.from(s));
}

/**
 * For ops too short to time one by one without the clock's own cost showing: the block is timed
 * as a whole, and its one sample is the time per op.
 */
export function timedBlock(run: (ops: number) => Promise<unknown>): Arm['runBlock'] {
  return async (ops) => {
    const start = process.hrtime.bigint();
    await run(ops);
    return [Number(process.hrtime.bigint() - start) / ops];
  };
}
