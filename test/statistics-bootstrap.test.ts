import { describe, expect, it } from 'vitest';

import { binomialUpperTail } from '../src/statistics/incomplete-beta.js';
import {
  createMedianSampler,
  exactMedianInterval,
  exactOrderStatisticIndex,
  medianRanks,
} from '../src/statistics/median-distribution.js';
import {
  bootstrapMedianCi,
  bootstrapRatioCi,
  createRng,
  createRngFromState,
  median,
  quantileSorted,
  sortedCopy,
  type Rng,
} from '../src/statistics/index.js';

const range = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i);

function normalSample(rng: Rng, n: number, mean = 0, sigma = 1): Float64Array {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = mean + sigma * rng.nextNormal();
  return values;
}

/** 1.959964 · 1.2533 · σ/√n on each side: the asymptotic width of a 95% interval for the median. */
const asymptoticWidth = (sigma: number, n: number): number => 2 * 1.959964 * 1.2533 * (sigma / Math.sqrt(n));

describe('seeded PRNG', () => {
  it('is xoshiro128**: reproduces the reference output for state (1, 2, 3, 4)', () => {
    const rng = createRngFromState([1, 2, 3, 4]);
    const expected = [
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ];
    expect(expected.map(() => rng.nextUint32())).toEqual(expected);
  });

  it('is reproducible for a seed and differs between seeds', () => {
    const draw = (seed?: number): number[] => {
      const rng = createRng(seed);
      return Array.from({ length: 5 }, () => rng.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw()).toEqual(draw());
    expect(draw(42)).not.toEqual(draw(43));
    expect(() => createRng(1.5)).toThrow(RangeError);
  });

  it('draws uniforms in range and standard normals with mean 0 and sd 1', () => {
    const rng = createRng(9);
    let sum = 0;
    let sumSquares = 0;
    let outOfRange = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      const k = rng.nextInt(7);
      if (!(u >= 0 && u < 1) || !Number.isInteger(k) || k < 0 || k >= 7) outOfRange++;
      const z = rng.nextNormal();
      sum += z;
      sumSquares += z * z;
    }
    expect(outOfRange).toBe(0);
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.sqrt(sumSquares / n)).toBeCloseTo(1, 1);
  });
});

describe('exact bootstrap distribution of the median', () => {
  it('binomial tails match SciPy', () => {
    // scipy.stats.binom.sf(k - 1, n, p)
    expect(binomialUpperTail(10, 0.3, 5)).toBeCloseTo(0.1502683326, 9);
    expect(binomialUpperTail(1_000_000, 0.5, 500_000)).toBeCloseTo(0.5003989421806654, 7);
    expect(binomialUpperTail(100_000, 0.497, 50_000)).toBeCloseTo(0.029097500484826653, 7);
    expect(binomialUpperTail(10, 0.3, 0)).toBe(1);
    expect(binomialUpperTail(10, 0.3, 11)).toBe(0);
  });

  it('percentile indices match a direct SciPy search', () => {
    // smallest j with binom.sf(k - 1, n, (j + 1)/n) >= q, for k the lower/upper middle rank
    const cases: [number, number, number, number, number][] = [
      [51, 18, 32, 19, 31],
      [50, 17, 32, 18, 31],
      [1000, 468, 531, 473, 526],
      [1001, 469, 531, 474, 526],
      [7, 1, 5, 1, 5],
    ];
    for (const [n, low95, high95, low90, high90] of cases) {
      const { lower, upper } = medianRanks(n);
      expect(exactOrderStatisticIndex(n, lower, 0.025)).toBe(low95);
      expect(exactOrderStatisticIndex(n, upper, 0.975)).toBe(high95);
      expect(exactOrderStatisticIndex(n, lower, 0.05)).toBe(low90);
      expect(exactOrderStatisticIndex(n, upper, 0.95)).toBe(high90);
    }
  });

  it('agrees with Monte Carlo resampling (odd and even n)', () => {
    for (const n of [1001, 1000]) {
      const data = range(n);
      const exact = exactMedianInterval(data, 0.95);
      const mc = bootstrapMedianCi(data, { method: 'resample', resamples: 20_000, seed: 1 });
      expect(Math.abs(mc.low - exact.low)).toBeLessThanOrEqual(2);
      expect(Math.abs(mc.high - exact.high)).toBeLessThanOrEqual(2);
    }
  });

  it('order-statistic sampling has the same distribution as literal resampling', () => {
    for (const n of [1001, 1000]) {
      const data = range(n);
      const quantilesOf = (kind: 'resample' | 'order-statistic'): number[] => {
        const sample = createMedianSampler(data, createRng(2), kind);
        const draws = Float64Array.from({ length: 20_000 }, sample).sort();
        return [0.025, 0.25, 0.5, 0.75, 0.975].map((p) => quantileSorted(draws, p));
      };
      const literal = quantilesOf('resample');
      const orderStatistic = quantilesOf('order-statistic');
      literal.forEach((q, i) => {
        expect(Math.abs(q - (orderStatistic[i] ?? NaN))).toBeLessThanOrEqual(2);
      });
    }
  });
});

describe('bootstrapMedianCi', () => {
  it('is reproducible with the same seed and contains the median', () => {
    const data = sortedCopy(normalSample(createRng(1), 301, 10, 2));
    const a = bootstrapMedianCi(data, { seed: 7 });
    expect(bootstrapMedianCi(data, { seed: 7 })).toEqual(a);
    expect(a).toMatchObject({ level: 0.95, method: 'bootstrap-percentile', resamples: 2000, exact: false });
    const m = median(data);
    expect(a.low).toBeLessThanOrEqual(m);
    expect(a.high).toBeGreaterThanOrEqual(m);
    expect(a.low).toBeLessThan(a.high);
  });

  it('collapses to the point for one value and for equal values', () => {
    expect(bootstrapMedianCi([3.5])).toMatchObject({ low: 3.5, high: 3.5 });
    expect(bootstrapMedianCi([2, 2, 2, 2])).toMatchObject({ low: 2, high: 2 });
  });

  it('matches the asymptotic standard error of the median, 1.2533·σ/√n (within 30%)', () => {
    for (const [n, exact] of [
      [4001, false],
      [100_001, true],
    ] as const) {
      const data = sortedCopy(normalSample(createRng(n), n, 50, 3));
      const ci = bootstrapMedianCi(data);
      expect(ci.exact).toBe(exact);
      const ratio = (ci.high - ci.low) / asymptoticWidth(3, n);
      expect(ratio).toBeGreaterThan(0.7);
      expect(ratio).toBeLessThan(1.3);
    }
  });

  it('covers the true median in at least 88% of 200 simulated samples', () => {
    const rng = createRng(2024);
    const trueMedian = Math.LN2; // Exponential(1)
    let covered = 0;
    for (let trial = 0; trial < 200; trial++) {
      const sample = Float64Array.from({ length: 41 }, () => -Math.log(1 - rng.next())).sort();
      const ci = bootstrapMedianCi(sample, { resamples: 1000, seed: trial });
      if (ci.low <= trueMedian && trueMedian <= ci.high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(176);
  });

  it('rejects empty, unsorted or non-finite input and bad options', () => {
    expect(() => bootstrapMedianCi([])).toThrow(RangeError);
    expect(() => bootstrapMedianCi([2, 1])).toThrow(/sorted ascending/);
    expect(() => bootstrapMedianCi([1, Number.NaN])).toThrow(RangeError);
    expect(() => bootstrapMedianCi([1, 2], { level: 1 })).toThrow(/level/);
    expect(() => bootstrapMedianCi([1, 2], { resamples: 0 })).toThrow(/resamples/);
  });
});

describe('bootstrapRatioCi', () => {
  it('b = 2a exactly: estimate 0.5, inside the interval; reproducible', () => {
    const a = normalSample(createRng(8), 200, 10, 1);
    const b = a.map((x) => 2 * x);
    const ci = bootstrapRatioCi(a, b, { seed: 3 });
    expect(ci.estimate).toBeCloseTo(0.5, 12);
    expect(ci.low).toBeLessThanOrEqual(0.5);
    expect(ci.high).toBeGreaterThanOrEqual(0.5);
    expect(bootstrapRatioCi(a, b, { seed: 3 })).toEqual(ci);
  });

  it('collapses to the point with one value in each sample', () => {
    const ci = bootstrapRatioCi([6], [2]);
    expect(ci).toMatchObject({ estimate: 3, low: 3, high: 3 });
  });

  it('has the expected width for large samples (order-statistic path) and agrees with resampling', () => {
    const n = 20_000;
    const a = normalSample(createRng(21), n, 30, 1);
    const b = normalSample(createRng(22), n, 10, 1);
    const ci = bootstrapRatioCi(a, b);
    expect(ci.low).toBeLessThan(ci.estimate);
    expect(ci.high).toBeGreaterThan(ci.estimate);
    // delta method: se(r)/r = √(se_a²/m_a² + se_b²/m_b²), se = 1.2533/√n
    const se = 1.2533 / Math.sqrt(n);
    const expected = 2 * 1.959964 * ci.estimate * Math.hypot(se / 30, se / 10);
    const width = ci.high - ci.low;
    expect(width / expected).toBeGreaterThan(0.7);
    expect(width / expected).toBeLessThan(1.3);
    const literal = bootstrapRatioCi(a.subarray(0, 3000), b.subarray(0, 3000), { sampler: 'resample' });
    const fast = bootstrapRatioCi(a.subarray(0, 3000), b.subarray(0, 3000), { sampler: 'order-statistic' });
    expect((fast.high - fast.low) / (literal.high - literal.low)).toBeCloseTo(1, 0);
  });

  it('accepts another statistic, e.g. the mean', () => {
    const mean = (values: ArrayLike<number>): number =>
      Array.from(values).reduce((s, x) => s + x, 0) / values.length;
    const ci = bootstrapRatioCi([1, 2, 3, 4], [2, 4, 6, 8], { statistic: mean, resamples: 500 });
    expect(ci.estimate).toBeCloseTo(0.5, 12);
    expect(ci.low).toBeLessThan(ci.high);
  });

  it('rejects a zero denominator and empty samples', () => {
    expect(() => bootstrapRatioCi([1, 2], [0, 0, 0])).toThrow(RangeError);
    expect(() => bootstrapRatioCi([], [1])).toThrow(RangeError);
  });
});
