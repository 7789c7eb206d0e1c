import { describe, expect, it } from 'vitest';

import { regularizedIncompleteBeta } from '../src/statistics/incomplete-beta.js';
import {
  createRng,
  fitLine,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from '../src/statistics/index.js';

describe('Student t and normal quantiles', () => {
  it('reproduces table values of t(0.975, df)', () => {
    const table: [number, number][] = [
      [1, 12.706204736174694],
      [2, 4.302652729749462],
      [3, 3.1824463052837078],
      [5, 2.5705818356363146],
      [10, 2.228138851986274],
      [30, 2.0422724563012378],
      [100, 1.9839715185235518],
      [1000, 1.9623390808264083],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 9);
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(1.959963984540054, 8);
    expect(studentTQuantile(0.975, 1e9)).toBeCloseTo(1.959963984540054, 8);
  });

  it('reproduces other SciPy values, including non-integer df and the lower tail', () => {
    expect(studentTQuantile(0.995, 4)).toBeCloseTo(4.604094871349992, 9);
    expect(studentTQuantile(0.9, 3)).toBeCloseTo(1.637744353696209, 9);
    expect(studentTQuantile(0.025, 7)).toBeCloseTo(-2.3646242515927844, 9);
    expect(studentTQuantile(0.999, 2.5)).toBeCloseTo(13.82219311086596, 8);
    expect(studentTQuantile(0.5, 4)).toBe(0);
    expect(studentTCdf(1.5, 4)).toBeCloseTo(0.896, 12);
    expect(studentTCdf(-2, 10)).toBeCloseTo(0.03669401738537018, 12);
    expect(studentTCdf(0.3, 1)).toBeCloseTo(0.5927735790777423, 12);
    expect(studentTCdf(studentTQuantile(0.8, 6), 6)).toBeCloseTo(0.8, 12);
  });

  it('normal quantile matches SciPy within its documented 1.15e-9 relative error', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 8);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 8);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424308822899, 7);
    expect(normalQuantile(0.999999)).toBeCloseTo(4.753424308817087, 7);
  });

  it('regularized incomplete beta matches scipy.special.betainc', () => {
    expect(regularizedIncompleteBeta(0.4, 2, 3)).toBeCloseTo(0.5248, 12);
    expect(regularizedIncompleteBeta(0.2, 0.5, 0.5)).toBeCloseTo(0.2951672353008665, 12);
    expect(regularizedIncompleteBeta(0.3, 10, 20)).toBeCloseTo(0.3640040810719437, 12);
    expect(regularizedIncompleteBeta(0.99, 500.5, 0.5)).toBeCloseTo(0.001519047958831174, 12);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it('rejects invalid arguments', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
  });
});

describe('fitLine', () => {
  it('recovers an exact line exactly: R² = 1, zero-width intervals', () => {
    const xs = Array.from({ length: 10 }, (_, i) => i);
    const fit = fitLine(
      xs,
      xs.map((x) => 1.5 + 2 * x),
    );
    expect(fit).toMatchObject({
      slope: 2,
      intercept: 1.5,
      rSquared: 1,
      n: 10,
      residualStdError: 0,
      level: 0.95,
    });
    expect(fit.slopeCi).toEqual([2, 2]);
    expect(fit.interceptCi).toEqual([1.5, 1.5]);
  });

  it('matches a hand-computed example (and scipy.stats.linregress)', () => {
    // x̄ = 3, ȳ = 4, Sxy = 6, Sxx = 10 → slope 0.6, intercept 2.2; SSE = 2.4, SST = 6 → R² = 0.6;
    // s = √(2.4/3); t(0.975, 3) = 3.18244630528.
    const fit = fitLine([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
    expect(fit.slope).toBeCloseTo(0.6, 12);
    expect(fit.intercept).toBeCloseTo(2.2, 12);
    expect(fit.rSquared).toBeCloseTo(0.6, 12);
    expect(fit.residualStdError).toBeCloseTo(0.8944271909999157, 12);
    expect(fit.slopeCi[0]).toBeCloseTo(-0.30013174529127307, 9);
    expect(fit.slopeCi[1]).toBeCloseTo(1.5001317452912732, 9);
    expect(fit.interceptCi[0]).toBeCloseTo(-0.7853992610189091, 9);
    expect(fit.interceptCi[1]).toBeCloseTo(5.185399261018908, 9);
  });

  it('covers the true intercept and slope on noisy data from y = 3 + 2x', () => {
    const rng = createRng(77);
    const xs = Float64Array.from({ length: 100 }, (_, i) => i / 10);
    const ys = xs.map((x) => 3 + 2 * x + 0.5 * rng.nextNormal());
    const fit = fitLine(xs, ys);
    expect(fit.interceptCi[0]).toBeLessThan(3);
    expect(fit.interceptCi[1]).toBeGreaterThan(3);
    expect(fit.slopeCi[0]).toBeLessThan(2);
    expect(fit.slopeCi[1]).toBeGreaterThan(2);
    expect(fit.rSquared).toBeGreaterThan(0.95);
    expect(fit.residualStdError).toBeCloseTo(0.5, 0);
    const wide = fitLine(xs, ys, { level: 0.99 });
    expect(wide.slopeCi[1] - wide.slopeCi[0]).toBeGreaterThan(fit.slopeCi[1] - fit.slopeCi[0]);
  });

  it('gives slope 0 and R² = 1 for constant y', () => {
    const fit = fitLine([1, 2, 3, 4], [5, 5, 5, 5]);
    expect(fit).toMatchObject({ slope: 0, intercept: 5, rSquared: 1 });
  });

  it('rejects n < 3, all-equal x, mismatched lengths and non-finite values', () => {
    expect(() => fitLine([1, 2], [3, 4])).toThrow(RangeError);
    expect(() => fitLine([2, 2, 2], [1, 2, 3])).toThrow(/all x values are equal/);
    expect(() => fitLine([1, 2, 3], [1, 2])).toThrow(RangeError);
    expect(() => fitLine([1, 2, Number.NaN], [1, 2, 3])).toThrow(/not finite/);
    expect(() => fitLine([1, 2, 3], [1, 2, 3], { level: 0 })).toThrow(/level/);
  });
});
