import { describe, expect, it } from 'vitest';
import { warmupGoesOn } from '../src/measurement/warmup-floor.js';

describe('warmupGoesOn: whether a warm-up takes another batch of --warmup ops', () => {
  it('goes on until it has lasted --warmup-min', () => {
    expect(warmupGoesOn(20, 100, 250, 1_000)).toBe(true);
    expect(warmupGoesOn(20, 250, 250, 1_000)).toBe(false);
    expect(warmupGoesOn(20, 400, 250, 1_000)).toBe(false);
  });

  it('stops at the time budget, floor or not', () => {
    expect(warmupGoesOn(20, 100, 250, 5_000, 5_000)).toBe(false);
    expect(warmupGoesOn(20, 100, 250, 4_999, 5_000)).toBe(true);
  });

  it('has no floor for --warmup 0 (no warm-up asked) nor --warmup-min 0', () => {
    expect(warmupGoesOn(0, 0, 250, 1_000)).toBe(false);
    expect(warmupGoesOn(20, 0, 0, 1_000)).toBe(false);
  });
});
