import { describe, expect, it } from 'vitest';
import {
  deviationShare,
  mainFigures,
  phaseIsolation,
  type IsolationPair,
  type MainFigures,
} from '../src/bench/isolation.js';
import type { ProfileResult } from '../src/results/result-types.js';

// Made-up figures: the arithmetic is the subject, not the machine.
const figures = (totalUs: number, creationUs?: number): MainFigures => ({
  medianNs: { total: totalUs * 1000, ...(creationUs === undefined ? {} : { creation: creationUs * 1000 }) },
  replicateTotalsNs: [totalUs * 1000],
});
const pair = (alone: number, set: number, first: 'alone' | 'set' = 'alone'): IsolationPair => ({
  first,
  alone: figures(alone, alone / 10),
  set: figures(set),
});

describe("isolation's pairs (bench row 11)", () => {
  it("takes the median of the pairs' own ratios, not the ratio of the sides' medians", () => {
    // A drifting machine: both sides of a pair move together; the arrangement adds 5% in the set.
    const pairs = [pair(100, 105), pair(200, 210, 'set'), pair(300, 315), pair(150, 157.5, 'set')];
    const total = phaseIsolation(pairs, 'total', 0.1);
    for (const r of total?.ratios ?? []) expect(r).toBeCloseTo(1.05, 9);
    expect(total?.ratios).toHaveLength(4);
    expect(total?.ratio).toBeCloseTo(1.05, 9);
    expect(total?.low).toBeCloseTo(1.05, 9);
    expect(total?.high).toBeCloseTo(1.05, 9);
    expect(total?.within).toBe(4);
    expect(total?.aloneNs).toBe(175_000);
    // Where the two differ: the pairs' ratios 1.0, 1.5, 1.0 have a median of 1, the sides' medians
    // (300 in the set, 200 alone) a ratio of 1.5.
    const uneven = phaseIsolation([pair(100, 100), pair(200, 300), pair(300, 300)], 'total', 0.1);
    expect(uneven?.ratio).toBe(1);
    expect([uneven?.setNs, uneven?.aloneNs]).toEqual([300_000, 200_000]);
  });

  it('counts the pairs within the allowance, and leaves out a phase one side lacks', () => {
    const pairs = [pair(100, 100), pair(100, 120), pair(100, 95), pair(100, 130)];
    const total = phaseIsolation(pairs, 'total', 0.1);
    expect(total?.within).toBe(2);
    expect(total?.ratio).toBeCloseTo(1.1, 9);
    expect(total?.low).toBeLessThanOrEqual(total?.ratio ?? 0);
    expect(total?.high).toBeGreaterThanOrEqual(total?.ratio ?? 0);
    // Only the alone side has creation in these pairs.
    expect(phaseIsolation(pairs, 'creation', 0.1)).toBeUndefined();
  });

  it("puts the CI's ends against the allowance: 0 at its nearest when it holds 1", () => {
    const rounded = (d: { value: number; low: number; high: number }): number[] =>
      [d.value, d.low, d.high].map((x) => Math.round(x * 1e9) / 1e9);
    expect(rounded(deviationShare({ ratio: 1.05, low: 0.97, high: 1.2 }, 0.1))).toEqual([0.5, 0, 2]);
    expect(rounded(deviationShare({ ratio: 0.8, low: 0.7, high: 0.85 }, 0.1))).toEqual([2, 1.5, 3]);
  });

  it("reads main's pooled medians and its replicates' totals from a profile result", () => {
    const result = {
      runs: [
        {
          strategy: 'fresh',
          summary: { total: { median: 9 } },
          replicates: [],
        },
        {
          strategy: 'main',
          summary: { total: { median: 200 }, creation: { median: 20 } },
          replicates: [{ medianNs: { total: 190 } }, { medianNs: { total: 230 } }, { medianNs: {} }],
        },
      ],
    } as unknown as Pick<ProfileResult, 'runs'>;
    expect(mainFigures(result)).toEqual({
      medianNs: { total: 200, creation: 20 },
      replicateTotalsNs: [190, 230],
    });
    expect(mainFigures({ runs: [] })).toBeUndefined();
  });
});
