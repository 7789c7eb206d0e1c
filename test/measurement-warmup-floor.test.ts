import { describe, expect, it } from 'vitest';
import { warmupGoesOn } from '../src/measurement/warmup-floor.js';

describe('warmupGoesOn: whether a warm-up takes another batch of --warmup ops', () => {
  it('goes on until it has lasted --warmup-min', () => {
    expect(warmupGoesOn(20, 900, 1_000, 250)).toBe(true);
    expect(warmupGoesOn(20, 750, 1_000, 250)).toBe(false);
    expect(warmupGoesOn(20, 600, 1_000, 250)).toBe(false);
  });

  it('stops at the time budget, floor or not', () => {
    expect(warmupGoesOn(20, 4_900, 5_000, 250, 5_000)).toBe(false);
    expect(warmupGoesOn(20, 4_899, 4_999, 250, 5_000)).toBe(true);
  });

  it('has no floor for --warmup 0 (no warm-up asked) nor --warmup-min 0', () => {
    expect(warmupGoesOn(0, 1_000, 1_000, 250)).toBe(false);
    expect(warmupGoesOn(20, 1_000, 1_000, 0)).toBe(false);
  });
});
