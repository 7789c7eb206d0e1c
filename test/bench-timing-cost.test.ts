import { describe, expect, it } from 'vitest';
import type { ProfileResult } from '../src/results/result-types.js';
import { opCost, pairedCost, perPassCost } from '../src/bench/timing-cost.js';

type ProfileRun = ProfileResult['runs'][number];

const HEALTH = { timed: 50, ok: 50, zero: 0, reversed: 0, outOfSpan: 0, unavailable: 0, constant: false };

/** A run with only what opCost reads: its timing summary, its totals and GPU time, its replicates. */
function run(
  timing: Partial<NonNullable<ProfileRun['timing']>> | undefined,
  totalMedian = 200_000,
): ProfileRun {
  return {
    summary: { total: { median: totalMedian }, kernelGpu: { median: 50_000 } },
    replicates: [{}, {}, {}],
    ...(timing
      ? {
          timing: {
            gpuTime: 'sample',
            timedOps: 50,
            untimedOps: 50,
            figuresOf: 'untimed',
            timestamps: { ...HEALTH, trusted: true },
            ...timing,
          },
        }
      : {}),
  } as unknown as ProfileRun;
}

describe("a scenario's cost of timing (opCost)", () => {
  it("takes wgprof's cost and its share, over wgprof's own untimed median", () => {
    const cost = opCost(
      run({ costNs: { estimate: 60_000, low: 30_000, high: 90_000, level: 0.95 }, costShare: 0.4 }),
    );
    // 60 us is 40% of 150 us: the denominator wgprof used, not the summary's 200 us.
    expect(cost?.untimedNs).toBe(150_000);
    expect(cost?.costNs).toEqual({ value: 60_000, low: 30_000, high: 90_000 });
    expect(cost?.share).toEqual({ value: 0.4, low: 0.2, high: 0.6 });
    expect(cost?.ratio).toEqual({ value: 1.4, low: 1.2, high: 1.6 });
    expect(cost).toMatchObject({ gpuNs: 50_000, timedOps: 50, untimedOps: 50, replicates: 3 });
  });

  it("falls back to the summary's untimed total when wgprof gave no share", () => {
    const cost = opCost(run({ costNs: { estimate: 0, low: -20_000, high: 20_000, level: 0.95 } }));
    expect(cost?.untimedNs).toBe(200_000);
    expect(cost?.share).toEqual({ value: 0, low: -0.1, high: 0.1 });
  });

  it('has none without a cost (too few ops of a kind, no timestamps, an older result)', () => {
    expect(opCost(run({}))).toBeUndefined();
    expect(opCost(run(undefined))).toBeUndefined();
  });
});

describe('the cost per pass (perPassCost)', () => {
  it('divides the difference by the extra passes, its CI from the far ends of both CIs', () => {
    const one = { value: 70, low: 60, high: 80 };
    const eight = { value: 280, low: 250, high: 320 };
    const perPass = perPassCost(one, eight, 1, 8);
    expect(perPass.value).toBe(30);
    expect(perPass.low).toBeCloseTo((250 - 80) / 7, 12);
    expect(perPass.high).toBeCloseTo((320 - 60) / 7, 12);
    // Wider than the quadrature of the half-widths: conservative.
    const quadrature = Math.hypot(10, 35) / 7;
    expect(perPass.high - perPass.value).toBeGreaterThan(quadrature);
    expect(perPass.value - perPass.low).toBeGreaterThan(quadrature);
  });

  it('refuses pass counts that do not grow', () => {
    const c = { value: 1, low: 0, high: 2 };
    expect(() => perPassCost(c, c, 8, 8)).toThrow(RangeError);
    expect(() => perPassCost(c, c, 8, 1)).toThrow(RangeError);
  });
});

describe('costs in pairs (pairedCost)', () => {
  it("takes the median of the pairs' differences and ratios, each side's median", () => {
    const c = pairedCost([60, 70, 66], [50, 50, 60]);
    expect(c?.pairs).toBe(3);
    expect(c?.wgprofNs).toBe(66);
    expect(c?.bareNs).toBe(50);
    expect(c?.differenceNs.value).toBe(10);
    expect(c?.differenceNs.low).toBeLessThanOrEqual(10);
    expect(c?.differenceNs.high).toBeGreaterThanOrEqual(10);
    expect(c?.ratio?.value).toBeCloseTo(1.2);
  });

  it('leaves a bare cost at or below 0 out of the ratio, not out of the difference', () => {
    const c = pairedCost([10, 20], [-5, 10]);
    expect(c?.pairs).toBe(2);
    expect(c?.differenceNs.value).toBe(12.5);
    expect(c?.ratio).toEqual({ value: 2, low: 2, high: 2 });
    expect(pairedCost([10], [0])?.ratio).toBeUndefined();
  });

  it('leaves out pairs missing a side; none left is no figure', () => {
    expect(pairedCost([null, 5, NaN], [3, undefined, 4])).toBeUndefined();
    expect(pairedCost([], [])).toBeUndefined();
    const one = pairedCost([30], [20]);
    expect(one?.differenceNs).toEqual({ value: 10, low: 10, high: 10 });
  });
});
