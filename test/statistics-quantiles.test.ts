import fc from 'fast-check';
import { quantileSorted as ssQuantileSorted } from 'simple-statistics';
import { describe, expect, it } from 'vitest';

import { median, quantile, quantileSorted, sortedCopy } from '../src/statistics/index.js';

describe('type-7 quantiles', () => {
  it('matches hand-computed values', () => {
    // h = 3·0.9 = 2.7 → 3 + 0.7·(4 − 3)
    expect(quantileSorted([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([10, 20], 0.25)).toBeCloseTo(12.5, 12);
  });

  it('matches numpy.percentile (method="linear") on an unsorted array', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(quantile(values, 0)).toBe(1);
    expect(quantile(values, 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile(values, 0.5)).toBeCloseTo(3.5, 12);
    expect(quantile(values, 0.9)).toBeCloseTo(6.9, 12);
    expect(quantile(values, 0.99)).toBeCloseTo(8.79, 12);
    expect(quantile(values, 1)).toBe(9);
  });

  it('takes the middle value, or the mean of the two middle values, as the median', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([42])).toBe(42);
    expect(median(new Float64Array([2, -1, 7]))).toBe(2);
  });

  it('gives the value itself for one value at every p', () => {
    for (const p of [0, 0.1, 0.5, 0.99, 1]) expect(quantile([7.25], p)).toBe(7.25);
  });

  it('does not mutate its input, typed or not', () => {
    const values = [3, 1, 2];
    const typed = new Float64Array([3, 1, 2]);
    median(values);
    quantile(typed, 0.3);
    expect(values).toEqual([3, 1, 2]);
    expect(Array.from(typed)).toEqual([3, 1, 2]);
  });

  it('sortedCopy returns a new, numerically sorted Float64Array', () => {
    const input = [10, 9, 100, -1];
    const sorted = sortedCopy(input);
    expect(sorted).toBeInstanceOf(Float64Array);
    expect(Array.from(sorted)).toEqual([-1, 9, 10, 100]);
    expect(input).toEqual([10, 9, 100, -1]);
  });

  it('rejects empty input, p outside [0, 1] and non-finite values with RangeError', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => median([])).toThrow(/no values/);
    expect(() => quantileSorted([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, 2], -0.01)).toThrow(RangeError);
    expect(() => quantile([1, 2], 1.01)).toThrow(/\[0, 1\]/);
    expect(() => quantileSorted([1, 2], Number.NaN)).toThrow(RangeError);
    expect(() => median([1, Number.NaN])).toThrow(/not finite/);
    expect(() => median([1, Infinity])).toThrow(RangeError);
  });

  it('agrees with simple-statistics (also type 7) and is monotone in p', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, p, q) => {
          const sorted = sortedCopy(values);
          const mine = quantileSorted(sorted, p);
          expect(mine).toBeCloseTo(ssQuantileSorted(Array.from(sorted), p), 6);
          const [lo, hi] = p <= q ? [p, q] : [q, p];
          expect(quantileSorted(sorted, lo)).toBeLessThanOrEqual(quantileSorted(sorted, hi));
        },
      ),
    );
  });
});
