import { describe, expect, it } from 'vitest';
import { summarize } from '../src/statistics/index.js';
import { ratesOver, ridgePoint, scenarioRates, shareOfPeak } from '../src/work/op-rates.js';
import type { OpWork } from '../src/work/op-work.js';
import { formatRate, formatShare } from '../src/reports/rates.js';

const work = (bytes: number, flops: number): OpWork => ({ bytes, flops, from: 'kernel' });
/** A summary of times around `ns` (a spread of ±10%). */
const times = (ns: number) => summarize(Array.from({ length: 41 }, (_, i) => ns * (0.9 + (0.2 * i) / 40)));
/** A device of 10 GB/s and 40 GFLOP/s: its ridge at 4 operations per byte. */
const PEAK = {
  bandwidth: { value: 10e9, low: 9.5e9, high: 10.5e9 },
  flops: { value: 40e9, low: 38e9, high: 42e9 },
};

describe("an op's rates", () => {
  it('are its work over its median time, the CI turned over', () => {
    const t = times(1e6); // 1 ms
    const r = ratesOver(work(8e6, 2e6), t);
    expect(r?.bytesPerSecond?.value).toBeCloseTo(8e9, -6);
    expect(r?.flopsPerSecond?.value).toBeCloseTo(2e9, -6);
    expect(r?.bytesPerSecond?.low).toBeCloseTo(8e6 / (t.medianCi.high / 1e9), -3);
    expect(r?.bytesPerSecond?.high).toBeCloseTo(8e6 / (t.medianCi.low / 1e9), -3);
    expect(r?.bytesPerSecond?.low).toBeLessThanOrEqual(r?.bytesPerSecond?.value ?? 0);
    expect(r?.bytesPerSecond?.high).toBeGreaterThanOrEqual(r?.bytesPerSecond?.value ?? Infinity);
  });

  it('are absent for an op that does no work, or with no time', () => {
    expect(ratesOver(work(0, 0), times(1e6))).toBeUndefined();
    expect(ratesOver(work(8, 0), undefined)).toBeUndefined();
    expect(ratesOver(work(8, 0), times(1e6))?.flopsPerSecond).toBeUndefined();
  });

  it('land on their side of the ridge point: memory-bound below it, compute-bound above', () => {
    expect(ridgePoint(PEAK)).toBe(4);
    const t = times(1e6);
    const stream = work(8e6, 2e6); // 0.25 operations per byte
    const dense = work(1e6, 30e6); // 30 per byte
    const s = shareOfPeak(stream, ratesOver(stream, t) ?? {}, PEAK, true);
    const d = shareOfPeak(dense, ratesOver(dense, t) ?? {}, PEAK, true);
    expect(s.binds).toBe('memory');
    expect(d.binds).toBe('compute');
    expect(s.bandwidth?.value).toBeCloseTo(0.8, 2);
    expect(d.flops?.value).toBeCloseTo(0.75, 2);
    // The share's CI is the widest both CIs allow.
    expect(s.bandwidth?.low).toBeLessThan(0.8 * (10e9 / 10.5e9) + 1e-9);
  });

  it('take no share of the f32 peak for other dtypes: memory alone then binds', () => {
    const dense = work(1e6, 30e6);
    const share = shareOfPeak(dense, ratesOver(dense, times(1e6)) ?? {}, PEAK, false);
    expect(share.flops).toBeUndefined();
    expect(share.binds).toBe('memory');
  });

  it('of a scenario: over the kernel and over the whole op, shares only with a peak', () => {
    const summary = { kernelGpu: times(5e5), total: times(2e6) };
    const without = scenarioRates(work(8e6, 2e6), summary, undefined, true);
    expect(without?.kernel?.bytesPerSecond?.value).toBeCloseTo(16e9, -6);
    expect(without?.op?.bytesPerSecond?.value).toBeCloseTo(4e9, -6);
    expect(without?.ofPeak).toBeUndefined();
    const withPeak = scenarioRates(work(8e6, 2e6), summary, PEAK, true);
    expect(withPeak?.ofPeak?.kernel?.bandwidth?.value).toBeCloseTo(1.6, 2);
    expect(withPeak?.ofPeak?.op?.bandwidth?.value).toBeCloseTo(0.4, 2);
  });

  it('print with decimal prefixes, and shares with at most three digits', () => {
    expect(formatRate(11.23e9, 'B/s')).toBe('11.2 GB/s');
    expect(formatRate(2.81e12, 'FLOP/s')).toBe('2.81 TFLOP/s');
    expect(formatRate(950, 'B/s')).toBe('950 B/s');
    expect(formatShare(0.712)).toBe('71%');
    expect(formatShare(0.0423)).toBe('4.2%');
    expect(formatShare(0.0031)).toBe('0.31%');
  });
});
