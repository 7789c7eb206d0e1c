import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  pairCoverage,
  repeatOf,
  scenarioCoverage,
  spreadOf,
  worstCoverage,
  type RatioCi,
  type Repeat,
} from '../src/bench/coverage.js';
import type { ProfileResult } from '../src/results/result-types.js';

const ci = (estimate: number, low: number, high: number): RatioCi => ({ estimate, low, high });

describe('pairCoverage', () => {
  it('counts ordered pairs: a wide CI covers a narrow one, which misses it back', () => {
    // 0 covers 1 (1.05 in [0.8, 1.2]); 1 misses 0 (1.0 not in [1.04, 1.06]).
    expect(pairCoverage([ci(1, 0.8, 1.2), ci(1.05, 1.04, 1.06)])).toEqual({
      pairs: 2,
      covered: 1,
      share: 0.5,
    });
  });

  it('is 1 when every CI holds every estimate, ends included', () => {
    const cis = [ci(1, 0.9, 1.1), ci(1.1, 1, 1.2), ci(1.05, 1, 1.1)];
    expect(pairCoverage(cis)).toEqual({ pairs: 6, covered: 6, share: 1 });
  });

  it('is 0 when no CI holds another repeat estimate', () => {
    const cis = [ci(1, 0.99, 1.01), ci(2, 1.99, 2.01), ci(3, 2.99, 3.01)];
    expect(pairCoverage(cis)).toEqual({ pairs: 6, covered: 0, share: 0 });
  });

  it('counts 4 of 6 by hand', () => {
    // a [0.9, 1.1] holds b's 1.1 (its end), not c's 1.3; b [1.05, 1.35] holds c's 1.3, not a's
    // 1.0; c [1.0, 1.4] holds a's 1.0 (its end) and b's 1.1.
    const cis = [ci(1, 0.9, 1.1), ci(1.1, 1.05, 1.35), ci(1.3, 1, 1.4)];
    expect(pairCoverage(cis)).toEqual({ pairs: 6, covered: 4, share: 4 / 6 });
  });

  it('has no pairs, and a NaN share, below two repeats', () => {
    expect(pairCoverage([ci(1, 0, 2)])).toEqual({ pairs: 0, covered: 0, share: NaN });
    expect(pairCoverage([])).toEqual({ pairs: 0, covered: 0, share: NaN });
  });

  const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
  const anyCi = fc.tuple(finite, finite, finite).map(([a, b, c]) => {
    const [low, estimate, high] = [a, b, c].sort((x, y) => x - y) as [number, number, number];
    return ci(estimate, low, high);
  });

  it('is a share in [0, 1] over n (n - 1) ordered pairs (property)', () => {
    fc.assert(
      fc.property(fc.array(anyCi, { minLength: 2, maxLength: 12 }), (cis) => {
        const c = pairCoverage(cis);
        expect(c.pairs).toBe(cis.length * (cis.length - 1));
        expect(c.covered).toBeLessThanOrEqual(c.pairs);
        expect(c.share).toBeGreaterThanOrEqual(0);
        expect(c.share).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('is 1 when every CI is (-inf, inf), and 0 when every CI is a point apart from the rest (property)', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 2, maxLength: 12 }), (estimates) => {
        const unbounded = estimates.map((e) => ci(e, -Infinity, Infinity));
        expect(pairCoverage(unbounded).share).toBe(1);
        const distinct = [...new Set(estimates)];
        fc.pre(distinct.length >= 2);
        expect(pairCoverage(distinct.map((e) => ci(e, e, e))).share).toBe(0);
      }),
    );
  });

  it('does not fall when a CI widens (property)', () => {
    fc.assert(
      fc.property(
        fc.array(anyCi, { minLength: 2, maxLength: 8 }),
        fc.nat(),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (cis, k, widen) => {
          const at = k % cis.length;
          const wider = cis.map((c, i) => (i === at ? ci(c.estimate, c.low - widen, c.high + widen) : c));
          expect(pairCoverage(wider).covered).toBeGreaterThanOrEqual(pairCoverage(cis).covered);
        },
      ),
    );
  });
});

describe('spreadOf', () => {
  it('matches hand-computed figures', () => {
    // mean 3; deviations -1, 0, 1 -> sample variance 1; cv 1/3; max/min - 1 = 4/2 - 1.
    const s = spreadOf([2, 3, 4]);
    expect(s).toMatchObject({ n: 3, min: 2, max: 4, mean: 3 });
    expect(s.relativeRange).toBeCloseTo(1, 12);
    expect(s.cv).toBeCloseTo(1 / 3, 12);
  });

  it('is 0 for equal values, NaN cv for one, NaNs for none', () => {
    expect(spreadOf([5, 5, 5])).toMatchObject({ relativeRange: 0, cv: 0 });
    expect(spreadOf([5])).toMatchObject({ n: 1, min: 5, max: 5, relativeRange: 0, cv: NaN });
    expect(spreadOf([]).min).toBeNaN();
  });

  it('does not change when every value is scaled (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e9, noNaN: true }), { minLength: 2, maxLength: 10 }),
        fc.double({ min: 0.001, max: 1000, noNaN: true }),
        (values, k) => {
          const a = spreadOf(values);
          const b = spreadOf(values.map((v) => v * k));
          expect(b.relativeRange).toBeCloseTo(a.relativeRange, 6);
          expect(b.cv).toBeCloseTo(a.cv, 6);
          expect(a.relativeRange).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('scenarioCoverage', () => {
  const repeats: Repeat[] = [
    [
      { label: 'main', medianNs: 100 },
      { label: 'fresh', vsMain: ci(0.5, 0.4, 0.6), medianNs: 200 },
      { label: 'reused', vsMain: ci(1, 0.99, 1.01), medianNs: 100 },
    ],
    [
      { label: 'main', medianNs: 110 },
      { label: 'fresh', vsMain: ci(0.55, 0.45, 0.65), medianNs: 210 },
      { label: 'reused', vsMain: ci(1.1, 1.09, 1.11), medianNs: 99 },
    ],
    [
      { label: 'main', medianNs: 90 },
      { label: 'fresh', vsMain: ci(0.52, 0.42, 0.62), medianNs: 190 },
      { label: 'reused', vsMain: ci(1.2, 1.19, 1.21), medianNs: 95 },
      { label: 'persistent', vsMain: ci(1, 0.5, 2), medianNs: 90 },
    ],
  ];

  it('gives each scenario its coverage and the spread of its medians, in first-seen order', () => {
    const got = scenarioCoverage(repeats);
    expect(got.map((s) => s.label)).toEqual(['main', 'fresh', 'reused', 'persistent']);
    const [main, fresh, reused, persistent] = got;
    expect(main?.coverage).toBeUndefined();
    expect(main?.medians).toEqual([100, 110, 90]);
    expect(main?.medianSpread.relativeRange).toBeCloseTo(110 / 90 - 1, 12);
    expect(fresh?.coverage).toEqual({ pairs: 6, covered: 6, share: 1 });
    expect(reused?.coverage).toEqual({ pairs: 6, covered: 0, share: 0 });
    expect(reused?.medians).toEqual([100, 99, 95]);
    // Ran in one repeat only: no pairs.
    expect(persistent).toMatchObject({ repeats: 1, coverage: { pairs: 0, covered: 0 } });
  });

  it('names the scenario with the lowest share, a NaN share lowest of all', () => {
    const got = scenarioCoverage(repeats);
    expect(worstCoverage(got)?.label).toBe('persistent');
    expect(worstCoverage(got.filter((s) => s.label !== 'persistent'))?.label).toBe('reused');
    expect(worstCoverage(got.filter((s) => s.label === 'main'))).toBeUndefined();
  });
});

describe('scenarioCoverage of rerun intervals', () => {
  it("counts the pairs by each repeat's rerun interval, and has none when a repeat lacks one", () => {
    const withRerun = (estimate: number, low: number, high: number): RatioCi => ({
      ...ci(estimate, estimate - 0.01, estimate + 0.01),
      rerun: { low, high },
    });
    const got = scenarioCoverage([
      [
        { label: 'pool/1', vsMain: withRerun(1, 0.9, 1.1) },
        { label: 'fresh', vsMain: withRerun(0.5, 0.4, 0.6) },
      ],
      [
        { label: 'pool/1', vsMain: withRerun(1.05, 1.04, 1.06) },
        { label: 'fresh', vsMain: ci(0.5, 0.4, 0.6) },
      ],
    ]);
    const [pool, fresh] = got;
    // The CIs (+-0.01) hold neither estimate; the wide rerun interval holds the other's 1.05.
    expect(pool?.coverage).toEqual({ pairs: 2, covered: 0, share: 0 });
    expect(pool?.rerunCoverage).toEqual({ pairs: 2, covered: 1, share: 0.5 });
    expect(fresh?.rerunCoverage).toBeUndefined();
    expect(worstCoverage(got, 'rerun')?.label).toBe('pool/1');
  });
});

describe('repeatOf', () => {
  it("takes each run's label, vsMain (not main's, against itself) and median total from a result", () => {
    const summary = (median: number) => ({ total: { median } });
    const vsMain = (estimate: number, low: number, high: number) => ({ estimate, low, high, level: 0.95 });
    const result = {
      runs: [
        { strategy: 'main', label: 'main', vsMain: vsMain(1, 0.9, 1.1), summary: summary(100) },
        {
          strategy: 'fresh',
          label: 'fresh',
          vsMain: { ...vsMain(0.5, 0.4, 0.6), rerun: { low: 0.36, high: 0.65 } },
          summary: summary(200),
        },
        { strategy: 'pool', label: 'pool/1', vsMain: vsMain(0.9, 0.8, 1), summary: {} },
      ],
    } as unknown as ProfileResult;
    expect(repeatOf(result)).toEqual([
      { label: 'main', medianNs: 100 },
      { label: 'fresh', vsMain: { ...ci(0.5, 0.4, 0.6), rerun: { low: 0.36, high: 0.65 } }, medianNs: 200 },
      { label: 'pool/1', vsMain: ci(0.9, 0.8, 1) },
    ]);
  });
});
