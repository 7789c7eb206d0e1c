import { describe, expect, it } from 'vitest';
import { groupTInterval } from '../src/statistics/hierarchical-bootstrap.js';
import {
  bootstrapMedianCi,
  createRng,
  hierarchicalMedianCi,
  hierarchicalRatioCi,
  sortedCopy,
  type Rng,
} from '../src/statistics/index.js';

/** `groups` groups of `n` values: each group's centre drawn around `mean` with `between`, values around it with `within`. */
function grouped(
  rng: Rng,
  groups: number,
  n: number,
  mean: number,
  between: number,
  within: number,
): number[][] {
  return Array.from({ length: groups }, () => {
    const centre = mean + between * rng.nextNormal();
    return Array.from({ length: n }, () => centre + within * rng.nextNormal());
  });
}

describe('hierarchical bootstrap of the median', () => {
  it('with one group is the ordinary bootstrap of its median', () => {
    const values = grouped(createRng(1), 1, 300, 50, 0, 3)[0] ?? [];
    const ci = hierarchicalMedianCi([values]);
    const plain = bootstrapMedianCi(sortedCopy(values), { method: 'resample' });
    expect(ci.groups).toBe(1);
    expect(ci.low).toBeLessThan(ci.estimate);
    expect(ci.high).toBeGreaterThan(ci.estimate);
    const width = ci.high - ci.low;
    expect(width / (plain.high - plain.low)).toBeGreaterThan(0.7);
    expect(width / (plain.high - plain.low)).toBeLessThan(1.4);
  });

  it('widens to the spread between groups, which resampling the pooled values hides', () => {
    const groups = grouped(createRng(2), 5, 200, 100, 10, 1);
    const ci = hierarchicalMedianCi(groups);
    const pooled = bootstrapMedianCi(sortedCopy(groups.flat()), { method: 'resample' });
    expect(ci.high - ci.low).toBeGreaterThan(5 * (pooled.high - pooled.low));
  });

  it('covers the population median in most repeats when groups differ (8 groups)', () => {
    const rng = createRng(3);
    let covered = 0;
    const repeats = 200;
    for (let r = 0; r < repeats; r++) {
      const ci = hierarchicalMedianCi(grouped(rng, 8, 50, 100, 5, 1), { resamples: 400, seed: r + 1 });
      if (ci.low <= 100 && ci.high >= 100) covered++;
    }
    // A plain percentile bootstrap over 8 groups under-covers a little; a pooled one would cover ~10%.
    expect(covered / repeats).toBeGreaterThan(0.9);
  });

  it("covers another run's estimate in at least 85% of pairs with three groups (as a profile's three replicates)", () => {
    // With the expanded percentile alone (no t interval over the groups' medians), 63% here.
    const rng = createRng(5);
    const run = (): number[][] => grouped(rng, 3, 40, 100, 5, 1);
    let covered = 0;
    const repeats = 200;
    for (let r = 0; r < repeats; r++) {
      const ci = hierarchicalMedianCi(run(), { resamples: 300, seed: r + 1 });
      const again = hierarchicalMedianCi(run(), { resamples: 20, seed: r + 2 }).estimate;
      if (ci.low <= again && ci.high >= again) covered++;
    }
    expect(covered / repeats).toBeGreaterThan(0.85);
  });

  it('does not widen when the groups agree: the t interval over their medians is then narrow', () => {
    const groups = grouped(createRng(6), 3, 300, 100, 0, 1);
    const ci = hierarchicalMedianCi(groups);
    expect(ci.high - ci.low).toBeLessThan(1);
  });

  it('ignores empty groups and refuses no values or non-finite ones', () => {
    expect(hierarchicalMedianCi([[1, 2, 3], []]).groups).toBe(1);
    expect(() => hierarchicalMedianCi([[], []])).toThrow(RangeError);
    expect(() => hierarchicalMedianCi([[1, Number.NaN]])).toThrow(RangeError);
  });
});

describe('hierarchical bootstrap of a ratio of medians, paired by group', () => {
  it('cancels what two paired groups share: each pair ran side by side', () => {
    const rng = createRng(4);
    const shifts = [0.8, 1, 1.25];
    const b = shifts.map((s) => Array.from({ length: 100 }, () => s * (10 + 0.2 * rng.nextNormal())));
    const a = shifts.map((s) => Array.from({ length: 100 }, () => s * (20 + 0.4 * rng.nextNormal())));
    const ci = hierarchicalRatioCi(a, b);
    expect(ci.estimate).toBeCloseTo(2, 1);
    expect(ci.low).toBeLessThan(2.05);
    expect(ci.high).toBeGreaterThan(1.95);
    expect(ci.high - ci.low).toBeLessThan(0.3);
  });

  it('stays above 0 when the pairs disagree widely, reaching further up than down', () => {
    // Three pairs whose ratios lie far apart (0.45, 1.0, 1.5: made up, as wide as lavapipe's
    // devices of two speeds can make them): on the values themselves, the t interval would reach
    // below 0.
    const rng = createRng(9);
    const ratios = [0.45, 1, 1.5];
    const b = ratios.map(() => Array.from({ length: 60 }, () => 250 + 5 * rng.nextNormal()));
    const a = ratios.map((r, i) => (b[i] ?? []).map((v) => r * v));
    const ci = hierarchicalRatioCi(a, b);
    expect(ci.low).toBeGreaterThan(0);
    expect(ci.low).toBeLessThan(0.45);
    expect(ci.high).toBeGreaterThan(1.5);
    expect(ci.high - ci.estimate).toBeGreaterThan(ci.estimate - ci.low);
    expect(groupTInterval(1, [0.45, 1, 1.5], 0.95).low).toBeGreaterThan(0);
    // Not all positive: the interval on the values.
    const linear = groupTInterval(0, [-1, 0, 1], 0.95);
    expect(linear.low).toBeCloseTo(-linear.high);
  });

  it('drops pairs with an empty side, and refuses when none is left', () => {
    expect(hierarchicalRatioCi([[2, 2], [4]], [[1, 1], []]).groups).toBe(1);
    expect(() => hierarchicalRatioCi([[]], [[1]])).toThrow(RangeError);
    expect(() => hierarchicalRatioCi([[1]], [[0]])).toThrow(RangeError);
  });
});
