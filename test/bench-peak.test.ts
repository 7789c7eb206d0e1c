import { describe, expect, it } from 'vitest';
import { copyRates, highestLowShare, intervalRatio, kernelShares } from '../src/bench/peak-check.js';
import type { StrategyResult } from '../src/results/result-types.js';

describe('copyRates', () => {
  it('counts a copy of N bytes as 2N moved, per second, and drops copies that took no time', () => {
    // 1 MiB in 1 ms: 2 MiB per ms = 2,097,152,000 B/s; in 2 ms half that.
    expect(copyRates(1 << 20, [1e6, 2e6, 0, -5])).toEqual([2_097_152_000, 1_048_576_000]);
    expect(copyRates(4096, [])).toEqual([]);
  });
});

describe('intervalRatio', () => {
  it("is a / b, its CI a's low over b's high to a's high over b's low", () => {
    const r = intervalRatio({ value: 12, low: 10, high: 15 }, { value: 6, low: 5, high: 8 });
    expect(r).toEqual({ value: 2, unit: 'x', low: 1.25, high: 3 });
  });

  it('keeps the value inside its CI when a CI does not hold its own value', () => {
    const r = intervalRatio({ value: 10, low: 11, high: 12 }, { value: 5, low: 2, high: 4 });
    expect(r.value).toBe(2);
    expect(r.low).toBe(2);
    expect(r.high).toBe(6);
  });
});

const share = (value: number, low: number, high: number) => ({ value, low, high });
const runWith = (kernel?: { bandwidth?: ReturnType<typeof share>; flops?: ReturnType<typeof share> }) =>
  ({ rates: kernel ? { ofPeak: { kernel } } : undefined }) as unknown as Pick<StrategyResult, 'rates'>;

describe('kernelShares and highestLowShare', () => {
  it("lists a kernel's shares of bandwidth and of f32 FLOP/s, each it has", () => {
    expect(kernelShares('fill', runWith({ bandwidth: share(0.5, 0.4, 0.6) }))).toEqual([
      { kernel: 'fill', limit: 'bandwidth', share: share(0.5, 0.4, 0.6) },
    ]);
    expect(
      kernelShares('matmul', runWith({ bandwidth: share(0.1, 0.05, 0.2), flops: share(0.3, 0.2, 0.4) })).map(
        (s) => s.limit,
      ),
    ).toEqual(['bandwidth', 'flops']);
    expect(kernelShares('noop', runWith())).toEqual([]);
  });

  it('picks the share with the highest low end, not the highest value', () => {
    const shares = [
      ...kernelShares('scale', runWith({ bandwidth: share(0.9, 0.2, 1.5) })),
      ...kernelShares('add', runWith({ bandwidth: share(0.7, 0.6, 0.8), flops: share(0.1, 0.05, 0.2) })),
    ];
    expect(highestLowShare(shares)).toEqual({
      kernel: 'add',
      limit: 'bandwidth',
      share: share(0.7, 0.6, 0.8),
    });
    expect(highestLowShare([])).toBeUndefined();
  });
});
