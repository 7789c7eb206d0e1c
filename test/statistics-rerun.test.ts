import { describe, expect, it } from 'vitest';
import { createRng, hierarchicalMedianCi, rerunInterval, type Rng } from '../src/statistics/index.js';

/** Three groups (a profile's three replicates) whose centres spread by `between` around 100. */
function run(rng: Rng, between: number): number[][] {
  return Array.from({ length: 3 }, () => {
    const centre = 100 + between * rng.nextNormal();
    return Array.from({ length: 40 }, () => centre + rng.nextNormal());
  });
}

describe('rerunInterval', () => {
  it('reaches sqrt(2) times as far as the CI on each side, on the log scale', () => {
    const r = rerunInterval({ estimate: 1, low: 0.9, high: 1.2 });
    expect(r.low).toBeCloseTo(0.9 ** Math.SQRT2, 12);
    expect(r.high).toBeCloseTo(1.2 ** Math.SQRT2, 12);
    // Scaled with the estimate: a ratio times a pool's concurrency keeps its shape.
    const scaled = rerunInterval({ estimate: 4, low: 3.6, high: 4.8 });
    expect(scaled.low).toBeCloseTo(4 * r.low, 12);
    expect(scaled.high).toBeCloseTo(4 * r.high, 12);
  });

  it('takes the reach on the values when the CI is not all positive', () => {
    expect(rerunInterval({ estimate: 1, low: -1, high: 2 })).toEqual({
      low: 1 - 2 * Math.SQRT2,
      high: 1 + Math.SQRT2,
    });
  });

  it("holds another run's estimate in at least 90% of pairs with three groups, where the CI holds fewer", () => {
    const rng = createRng(11);
    let byCi = 0;
    let byRerun = 0;
    const repeats = 300;
    for (let r = 0; r < repeats; r++) {
      const ci = hierarchicalMedianCi(run(rng, 5), { resamples: 300, seed: r + 1 });
      const again = hierarchicalMedianCi(run(rng, 5), { resamples: 20, seed: r + 2 }).estimate;
      const rerun = rerunInterval(ci);
      if (ci.low <= again && again <= ci.high) byCi++;
      if (rerun.low <= again && again <= rerun.high) byRerun++;
    }
    expect(byRerun / repeats).toBeGreaterThanOrEqual(0.9);
    expect(byRerun).toBeGreaterThan(byCi);
  });
});
