import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createRng, summarize } from '../src/statistics/index.js';

describe('summarize', () => {
  it('matches hand-computed statistics of a small sample', () => {
    // sorted: 2 4 4 4 5 5 7 9; mean 5; squared deviations sum to 32 → sample variance 32/7;
    // |x − 4.5| = 2.5 .5 .5 .5 .5 .5 2.5 4.5 → MAD 0.5; p90: h = 6.3 → 7 + 0.3·2; p99: h = 6.93.
    const s = summarize([9, 4, 2, 5, 4, 7, 4, 5]);
    expect(s.n).toBe(8);
    expect(s.median).toBeCloseTo(4.5, 12);
    expect(s.p90).toBeCloseTo(7.6, 12);
    expect(s.p99).toBeCloseTo(8.86, 12);
    expect(s.mean).toBeCloseTo(5, 12);
    expect(s.stdev).toBeCloseTo(2.138089935299395, 12);
    expect(s.cv).toBeCloseTo(0.427617987059879, 12);
    expect(s.mad).toBeCloseTo(0.5, 12);
    expect(s.min).toBe(2);
    expect(s.max).toBe(9);
    expect(s.medianCi).toMatchObject({
      level: 0.95,
      method: 'bootstrap-percentile',
      resamples: 2000,
      exact: false,
    });
    expect(s.medianCi.low).toBeLessThanOrEqual(4.5);
    expect(s.medianCi.high).toBeGreaterThanOrEqual(4.5);
  });

  it('handles one sample: every statistic is that value, spread 0, interval collapsed', () => {
    const s = summarize([7]);
    expect(s).toMatchObject({
      n: 1,
      median: 7,
      p90: 7,
      p99: 7,
      mean: 7,
      stdev: 0,
      cv: 0,
      mad: 0,
      min: 7,
      max: 7,
    });
    expect(s.medianCi).toMatchObject({ low: 7, high: 7 });
  });

  it('handles all values equal: cv 0, mad 0, interval collapsed to the value', () => {
    const s = summarize(new Float64Array(1000).fill(0.1));
    expect(s).toMatchObject({ mean: 0.1, stdev: 0, cv: 0, mad: 0, median: 0.1, min: 0.1, max: 0.1 });
    expect(s.medianCi).toMatchObject({ low: 0.1, high: 0.1 });
  });

  it('handles two samples', () => {
    const s = summarize([3, 1]);
    expect(s.median).toBe(2);
    expect(s.mean).toBe(2);
    expect(s.stdev).toBeCloseTo(Math.SQRT2, 12);
    expect(s.mad).toBe(1);
    // Resample medians are 1, 2, 3 with probabilities 1/4, 1/2, 1/4.
    expect(s.medianCi).toMatchObject({ low: 1, high: 3 });
  });

  it('reports cv 0 when the mean is 0', () => {
    const s = summarize([-1, 1]);
    expect(s.mean).toBe(0);
    expect(s.cv).toBe(0);
  });

  it('does not mutate unsorted input and gives the same result for number[] and Float64Array', () => {
    const values = [5, 3, 9, 1, 7, 2];
    const typed = Float64Array.from(values);
    const a = summarize(values);
    const b = summarize(typed);
    expect(values).toEqual([5, 3, 9, 1, 7, 2]);
    expect(Array.from(typed)).toEqual(values);
    expect(b).toEqual(a);
  });

  it('is reproducible for a seed and uses the options', () => {
    const rng = createRng(3);
    const values = Array.from({ length: 300 }, () => rng.next());
    expect(summarize(values, { seed: 11 })).toEqual(summarize(values, { seed: 11 }));
    const custom = summarize(values, { level: 0.9, resamples: 500 });
    expect(custom.medianCi).toMatchObject({ level: 0.9, resamples: 500 });
  });

  it('rejects empty and non-finite input', () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => summarize([1, Number.NaN])).toThrow(/not finite/);
  });

  it('summarizes 100,000 values, bootstrap included', () => {
    const rng = createRng(5);
    const values = new Float64Array(100_000);
    for (let i = 0; i < values.length; i++) values[i] = Math.exp(rng.nextNormal());
    const s = summarize(values);
    expect(s.n).toBe(100_000);
    expect(s.medianCi.low).toBeLessThan(s.median);
    expect(s.medianCi.high).toBeGreaterThan(s.median);
  });

  it('orders min <= median <= p90 <= p99 <= max and brackets the median by its interval', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (values, seed) => {
          const s = summarize(values, { seed, resamples: 500 });
          expect(s.min).toBeLessThanOrEqual(s.median);
          expect(s.median).toBeLessThanOrEqual(s.p90);
          expect(s.p90).toBeLessThanOrEqual(s.p99);
          expect(s.p99).toBeLessThanOrEqual(s.max);
          expect(s.medianCi.low).toBeLessThanOrEqual(s.median);
          expect(s.median).toBeLessThanOrEqual(s.medianCi.high);
          expect(s.stdev).toBeGreaterThanOrEqual(0);
          expect(s.mad).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
