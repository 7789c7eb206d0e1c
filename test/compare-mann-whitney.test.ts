import { describe, expect, it } from 'vitest';
import { mannWhitneyU } from '../src/compare/mann-whitney.js';
import { erfc, normalCdf, twoSidedNormalP } from '../src/statistics/normal.js';
import { normalQuantile } from '../src/statistics/index.js';

/** |actual / expected − 1| <= tolerance. */
function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual / expected - 1)).toBeLessThanOrEqual(tolerance);
}

describe('normalCdf', () => {
  // scipy.stats.norm.cdf(z), SciPy 1.17.1.
  const reference: readonly (readonly [number, number])[] = [
    [0, 0.5],
    [0.5, 0.6914624612740131],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145707],
    [1.959963984540054, 0.975],
    [-1.959963984540054, 0.025],
    [-3, 0.0013498980316300933],
    [-5, 2.866515718791933e-7],
    [-8, 6.22096057427174e-16],
    [-10, 7.61985302416047e-24],
    [3, 0.9986501019683699],
    [6, 0.9999999990134123],
  ];

  it('matches SciPy to a relative 1.2e-7, far into the lower tail', () => {
    for (const [z, p] of reference) expectRelative(normalCdf(z), p, 1.2e-7);
  });

  it('is the inverse of normalQuantile and symmetric', () => {
    for (const p of [1e-6, 0.001, 0.05, 0.3, 0.5, 0.8, 0.99])
      expectRelative(normalCdf(normalQuantile(p)), p, 2e-7);
    for (const z of [0.1, 1.3, 2.7, 4.2]) expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 12);
  });

  it('handles the ends and the two-sided tail', () => {
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(twoSidedNormalP(0)).toBe(1);
    expectRelative(twoSidedNormalP(-1.959963984540054), 0.05, 1.2e-7);
    expectRelative(twoSidedNormalP(10), 2 * 7.61985302416047e-24, 1.2e-7);
  });
});

describe('mannWhitneyU', () => {
  // scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic', use_continuity=True)
  // (SciPy 1.17.1): [x, y, statistic, pvalue].
  const reference: Record<string, readonly [number[], number[], number, number]> = {
    'no ties': [[1.1, 2.2, 3.3, 4.4, 5.5], [2.5, 6.1, 7.2, 8.3, 9.4, 10.5], 3, 0.03576376659097789],
    ties: [[1, 2, 2, 3, 3, 3, 4, 5], [3, 3, 4, 4, 5, 5, 6, 7, 7], 11, 0.01630200829707017],
    'ties, reversed': [[3, 3, 4, 4, 5, 5, 6, 7, 7], [1, 2, 2, 3, 3, 3, 4, 5], 61, 0.01630200829707017],
    'all equal': [[5, 5, 5], [5, 5, 5, 5], 6, 1],
    'within the continuity correction': [[1, 4], [2, 3], 2, 1],
    'fully separated': [
      Array.from({ length: 20 }, (_, i) => i + 1),
      Array.from({ length: 20 }, (_, i) => i + 21),
      0,
      6.795615128173358e-8,
    ],
  };

  for (const [name, [x, y, u, p]] of Object.entries(reference)) {
    it(`matches SciPy: ${name}`, () => {
      const result = mannWhitneyU(x, y);
      expect(result.u).toBe(u);
      expectRelative(result.pValue, p, 2e-7);
    });
  }

  it('matches SciPy on two lognormal samples with ties (60 and 70 values)', () => {
    // numpy.random.default_rng(7): x = round(lognormal(0, 0.5, 60), 2), y = round(lognormal(0.15, 0.5, 70), 2).
    const x = [
      1.0, 1.16, 0.87, 0.64, 0.8, 0.61, 1.03, 1.95, 0.78, 0.73, 1.28, 1.2, 1.05, 0.63, 0.99, 1.42, 0.51, 0.8,
      0.39, 0.52, 0.4, 0.89, 0.53, 1.15, 1.08, 0.91, 0.28, 0.76, 0.98, 1.06, 0.47, 0.79, 0.61, 0.67, 1.7,
      0.67, 0.98, 1.56, 0.75, 0.95, 1.06, 1.03, 0.54, 1.04, 1.97, 0.46, 1.54, 1.06, 0.73, 2.72, 1.46, 0.55,
      1.04, 1.33, 0.91, 1.41, 0.97, 1.4, 2.05, 0.71,
    ];
    const y = [
      1.29, 0.92, 1.24, 0.64, 0.87, 1.05, 1.82, 2.06, 0.6, 0.78, 1.61, 0.43, 0.92, 1.11, 2.18, 1.64, 0.99,
      0.97, 1.03, 2.49, 0.94, 1.0, 1.39, 1.09, 1.05, 0.67, 1.16, 0.93, 2.08, 1.61, 1.15, 1.62, 0.98, 1.97,
      1.16, 1.56, 0.61, 1.38, 0.5, 0.42, 1.0, 0.74, 1.26, 3.57, 0.77, 0.85, 1.29, 1.49, 1.06, 1.05, 1.65,
      1.51, 0.69, 1.12, 1.18, 0.69, 1.32, 0.76, 1.89, 1.28, 1.21, 0.86, 1.09, 0.43, 0.66, 1.39, 0.4, 1.77,
      0.49, 1.7,
    ];
    const result = mannWhitneyU(x, y);
    expect(result.u).toBe(1599);
    expectRelative(result.pValue, 0.019406903433788366, 2e-7);
    expect(result.z).toBeLessThan(0);
  });

  it('signs z by which sample tends larger, continuity-corrected', () => {
    // By hand: U1 = 3, mean 15, sd = sqrt(5·6·12/12) = sqrt(30); z = (3 − 15 + 0.5) / sqrt(30).
    const smaller = mannWhitneyU([1.1, 2.2, 3.3, 4.4, 5.5], [2.5, 6.1, 7.2, 8.3, 9.4, 10.5]);
    expect(smaller.z).toBeCloseTo(-2.099603137103137, 12);
    const larger = mannWhitneyU([2.5, 6.1, 7.2, 8.3, 9.4, 10.5], [1.1, 2.2, 3.3, 4.4, 5.5]);
    expect(larger.z).toBeCloseTo(2.099603137103137, 12);
    expect(larger.pValue).toBeCloseTo(smaller.pValue, 15);
    expect(mannWhitneyU([1, 4], [2, 3]).z).toBe(0);
  });

  it('accepts typed arrays and does not mutate its inputs', () => {
    const x = new Float64Array([3, 1, 2]);
    const y = [6, 4, 5];
    expect(mannWhitneyU(x, y).u).toBe(0);
    expect(Array.from(x)).toEqual([3, 1, 2]);
    expect(y).toEqual([6, 4, 5]);
  });

  it('refuses empty and non-finite samples', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
    expect(() => mannWhitneyU([1], [])).toThrow(/y has no values/);
    expect(() => mannWhitneyU([1, NaN], [2])).toThrow(/x\[1\] is not finite/);
  });
});
