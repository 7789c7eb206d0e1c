import { describe, expect, it } from 'vitest';
import { measureRecordingCost } from '../src/measurement/recording-cost.js';

describe('measureRecordingCost', () => {
  it('returns the median ns added per op with its CI, both arms and their ratio', async () => {
    const cost = await measureRecordingCost();
    expect(cost.blocks).toBe(30);
    expect(cost.opsPerBlock).toBe(400);
    for (const value of [cost.addedNs, cost.recordedNs, cost.bareNs, cost.ratio.estimate]) {
      expect(Number.isFinite(value)).toBe(true);
    }
    expect(cost.recordedNs).toBeGreaterThan(0);
    expect(cost.bareNs).toBeGreaterThan(0);
    expect(cost.addedCi.level).toBe(0.95);
    expect(cost.addedCi.low).toBeLessThanOrEqual(cost.addedNs);
    expect(cost.addedNs).toBeLessThanOrEqual(cost.addedCi.high);
    expect(cost.ratio.low).toBeLessThanOrEqual(cost.ratio.estimate);
    expect(cost.ratio.estimate).toBeLessThanOrEqual(cost.ratio.high);
    // Plain data, so that a profile can store it in result.json as it is.
    expect(JSON.parse(JSON.stringify(cost))).toEqual(cost);
  });

  it('takes its counts from the options', async () => {
    const cost = await measureRecordingCost({ blocks: 4, opsPerBlock: 10 });
    expect(cost).toMatchObject({ blocks: 4, opsPerBlock: 10 });
  });

  it('refuses counts it cannot measure with', async () => {
    await expect(measureRecordingCost({ blocks: 1 })).rejects.toThrow(RangeError);
    await expect(measureRecordingCost({ opsPerBlock: 0 })).rejects.toThrow(RangeError);
    await expect(measureRecordingCost({ blocks: 2.5 })).rejects.toThrow(RangeError);
  });
});
