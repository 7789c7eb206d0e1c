import { describe, expect, it } from 'vitest';
import { RecordStore } from '../src/measurement/record-store.js';
import { leftoverColumn } from '../src/measurement/run-summary.js';
import { steadyValues } from '../src/measurement/steady-state.js';

describe('record store', () => {
  it('keeps starts relative to the origin and phases by column, growing past its capacity', () => {
    const store = new RecordStore(['creation', 'kernelGpu', 'sync'], 1000n, 2);
    for (let i = 0; i < 5; i++) {
      store.appendOp(1000n + BigInt(i * 100), 50, 10 + i, 1, 30, NaN);
    }
    expect(store.count).toBe(5);
    expect(Array.from(store.startsNs)).toEqual([0, 100, 200, 300, 400]);
    expect(Array.from(store.column('creation'))).toEqual([10, 11, 12, 13, 14]);
    // A phase the run does not record is absent, not zero.
    expect(() => store.column('readback')).toThrow(/no 'readback'/);
    expect(Number.isNaN(store.column('kernelGpu')[0])).toBe(true);
  });

  it('records failures with their message and leaves them out of the figures', () => {
    const store = new RecordStore(['sync'], 0n);
    store.appendOp(1n, 9, NaN, NaN, 5, NaN);
    const bad = store.append(2n);
    store.fail(bad, 'failed', 'boom');
    expect(store.status(0)).toBe('ok');
    expect(store.status(bad)).toBe('failed');
    expect(store.errors.get(bad)).toBe('boom');
    expect(Array.from(steadyValues(store.column('sync'), store))).toEqual([5]);
  });

  it('computes the leftover as total minus the sequential phases, leaving GPU time out', () => {
    const store = new RecordStore(['creation', 'kernelCpu', 'kernelGpu', 'sync'], 0n);
    const i = store.appendOp(0n, 65, 10, 20, 30, NaN);
    store.set('kernelGpu', i, 25);
    expect(Array.from(leftoverColumn(store))).toEqual([5]);
  });
});

describe('what recording costs in memory', () => {
  it('a million ops take at most 64 bytes each, for the main thread and for a worker', () => {
    for (const phases of [
      ['creation', 'kernelCpu', 'kernelGpu', 'sync'],
      ['spawn', 'init', 'creation', 'kernelCpu', 'kernelGpu', 'sync', 'handoff'],
    ] as const) {
      const store = new RecordStore(phases, 0n);
      for (let i = 0; i < 1_000_000; i++) store.appendOp(BigInt(i), 12_345_678, 1_000, 2_000, 3_000, NaN);
      expect(store.byteLength / store.count).toBeLessThanOrEqual(64);
      // float32 durations: exact below 2^24 ns, within the clock's floor well beyond it.
      expect(store.column('creation')[999_999]).toBe(1_000);
      expect(Math.abs((store.totalsNs[0] ?? 0) - 12_345_678)).toBeLessThanOrEqual(1);
    }
  });
});
