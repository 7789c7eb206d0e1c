import { describe, expect, it } from 'vitest';
import type { DeviceInfo } from '../src/device/device-info.js';
import {
  bandwidthLimit,
  bestPoint,
  medianWithCi,
  memoryBandwidth,
  rateOf,
  ridgePoint,
  slopeOf,
} from '../src/peak/peak-limits.js';
import {
  batchCounts,
  DEFAULT_BUDGET,
  maxSweepBytes,
  QUICK_BUDGET,
  scaledIterations,
  sizeBudgetMs,
  sizeLabel,
  sweepGoesOn,
  sweepSizes,
} from '../src/peak/peak-plan.js';
import { FMAS_PER_ITERATION, fmaShader, peakWorkgroupSize } from '../src/peak/peak-shaders.js';
import type { PeakLimit, PeakLimits } from '../src/peak/peak-types.js';
import { formatRate, rateUnit } from '../src/reports/rates.js';
import { peakKey } from '../src/results/peak-store.js';

/** The numbers of `wgprof peak`, as pure functions, against hand-computed values. */
const MIB = 1 << 20;

const limit = (value: number, unit: PeakLimit['unit']): PeakLimit => ({
  value,
  low: value * 0.9,
  high: value * 1.1,
  unit,
  method: 'by hand',
  samples: 10,
});

const limits = (copy: number, stream: number, flops: number): PeakLimits => ({
  copyBandwidth: limit(copy, 'B/s'),
  streamBandwidth: limit(stream, 'B/s'),
  f32Flops: limit(flops, 'FLOP/s'),
  submitFloor: limit(30_000, 'ns'),
  dispatchFloor: limit(60_000, 'ns'),
  readbackFloor: limit(50_000, 'ns'),
});

describe('rates from durations', () => {
  it('gives work per second, the median of the rates, with a CI around it', () => {
    // 1e9 bytes in 1, 2 and 4 s: 1, 0.5 and 0.25 GB/s; the median is 0.5 GB/s.
    const rate = rateOf(1e9, [1e9, 2e9, 4e9]);
    expect(rate?.value).toBeCloseTo(0.5e9, 3);
    expect(rate?.samples).toBe(3);
    expect(rate?.low).toBeLessThanOrEqual(rate?.value ?? NaN);
    expect(rate?.high).toBeGreaterThanOrEqual(rate?.value ?? NaN);
  });

  it('leaves out durations that are not positive (a slope lost in its floor) and gives nothing when none is left', () => {
    expect(rateOf(2e9, [-5, 0, 1e9])).toMatchObject({ value: 2e9, low: 2e9, high: 2e9, samples: 1 });
    expect(rateOf(1, [0, -1])).toBeUndefined();
  });

  it('takes the median of equal values as that value, its CI collapsed', () => {
    expect(medianWithCi([7, 7, 7, Number.NaN])).toEqual({ value: 7, low: 7, high: 7, samples: 3 });
    expect(medianWithCi([])).toBeUndefined();
  });

  it('finds one op in a wall-clock round as the slope of time over k: the floor falls into the intercept', () => {
    // 40 us of submit floor plus 250 us per copy.
    const ks = [1, 2, 3, 4];
    expect(
      slopeOf(
        ks,
        ks.map((k) => 40_000 + 250_000 * k),
      ),
    ).toBeCloseTo(250_000, 6);
    expect(
      slopeOf(
        [4, 1, 2, 3],
        [4, 1, 2, 3].map((k) => 10 + 3 * k),
      ),
    ).toBeCloseTo(3, 9);
  });
});

describe('limits from sweeps', () => {
  const sweep = [
    { bytes: MIB, value: 4e9, low: 3.9e9, high: 4.1e9, samples: 50 },
    { bytes: 4 * MIB, value: 6e9, low: 5.5e9, high: 6.2e9, samples: 20 },
    { bytes: 16 * MIB, value: 5e9, low: 4.9e9, high: 5.1e9, samples: 8 },
  ];

  it("is the largest buffer's median rate and CI (past the caches), a faster smaller one kept as the cache's", () => {
    expect(bestPoint(sweep)?.bytes).toBe(4 * MIB);
    expect(bandwidthLimit(sweep, 'm')).toEqual({
      value: 5e9,
      low: 4.9e9,
      high: 5.1e9,
      unit: 'B/s',
      method: 'm',
      atBytes: 16 * MIB,
      samples: 8,
      cache: sweep[1],
    });
  });

  it('keeps no cache figure when the smaller buffers are no faster beyond the CI', () => {
    const flat = [
      { bytes: MIB, value: 5.05e9, low: 4.8e9, high: 5.3e9, samples: 50 },
      { bytes: 16 * MIB, value: 5e9, low: 4.9e9, high: 5.1e9, samples: 8 },
    ];
    expect(bandwidthLimit(flat, 'm').cache).toBeUndefined();
    expect(bandwidthLimit(flat, 'm').atBytes).toBe(16 * MIB);
    // A size that could not be measured (no samples) is never the largest.
    expect(
      bandwidthLimit([...flat, { bytes: 64 * MIB, value: 0, low: 0, high: 0, samples: 0 }], 'm').atBytes,
    ).toBe(16 * MIB);
  });

  it('is 0 with no samples when no size could be measured', () => {
    expect(bestPoint([])).toBeUndefined();
    expect(bandwidthLimit([], 'm')).toMatchObject({ value: 0, samples: 0 });
    expect(bandwidthLimit([], 'm').atBytes).toBeUndefined();
  });

  it('takes the memory bandwidth as the higher of copy and stream, and the ridge point as FLOP/s over it', () => {
    const copyWins = limits(10e9, 5e9, 40e9);
    expect(memoryBandwidth(copyWins)).toBe(copyWins.copyBandwidth);
    expect(ridgePoint(copyWins)).toBeCloseTo(4, 12);
    const streamWins = limits(5e9, 20e9, 40e9);
    expect(memoryBandwidth(streamWins)).toBe(streamWins.streamBandwidth);
    expect(ridgePoint(streamWins)).toBeCloseTo(2, 12);
    expect(ridgePoint(limits(0, 0, 40e9))).toBeNaN();
  });
});

describe('the plan of a peak run', () => {
  it('sweeps 1 to 64 MiB by default, and past it only on a device that allows it and is fast', () => {
    expect(sweepSizes(128 * MIB, false)).toEqual([1, 4, 16, 64].map((m) => m * MIB));
    expect(sweepSizes(2048 * MIB, false)).toEqual([1, 4, 16, 64, 256, 1024].map((m) => m * MIB));
    expect(sweepSizes(8 * MIB, false)).toEqual([MIB, 4 * MIB]);
    expect(sweepSizes(2048 * MIB, true)).toEqual([MIB, 4 * MIB]);
    expect(sweepGoesOn(16 * MIB, 50e6)).toBe(true);
    expect(sweepGoesOn(64 * MIB, 5e6)).toBe(false);
    expect(sweepGoesOn(64 * MIB, 1e6)).toBe(true);
  });

  it("bounds the stream kernel's buffers by the binding limit, the copy's by the buffer limit", () => {
    const deviceLimits = { maxBufferSize: 1 << 30, maxStorageBufferBindingSize: 128 * MIB };
    expect(maxSweepBytes(deviceLimits, 'copy')).toBe(1 << 30);
    expect(maxSweepBytes(deviceLimits, 'stream')).toBe(128 * MIB);
  });

  it('batches k = 1..4 at least, up to the k whose batch takes the target, 64 at most', () => {
    expect(batchCounts(10e6, 20e6)).toEqual([1, 2, 3, 4]);
    expect(batchCounts(1e6, 20e6)).toEqual([5, 10, 15, 20]);
    expect(batchCounts(1, 20e6)).toEqual([16, 32, 48, 64]);
  });

  it('scales the FMA loop to the target time, within 1 and 2^20', () => {
    expect(scaledIterations(8, 2e6, 20e6)).toBe(80);
    expect(scaledIterations(8, 1e9, 20e6)).toBe(1);
    expect(scaledIterations(1 << 19, 1, 20e6)).toBe(1 << 20);
  });

  it('keeps a default run within its budget: under 30 s on lavapipe, by construction', () => {
    // 4 sizes per sweep on lavapipe (128 MiB binding limit; 64 MiB copies take over 2 ms).
    const sweepMs = (b: typeof DEFAULT_BUDGET): number =>
      [1, 4, 16, 64].reduce((ms, m) => ms + sizeBudgetMs(m * MIB, b), 0);
    const budgetMs = (b: typeof DEFAULT_BUDGET): number => 2 * sweepMs(b) + b.flopsMs + b.floorsMs;
    expect(sizeBudgetMs(64 * MIB, DEFAULT_BUDGET)).toBe(3 * sizeBudgetMs(16 * MIB, DEFAULT_BUDGET));
    expect(budgetMs(DEFAULT_BUDGET)).toBeLessThan(20_000);
    expect(budgetMs(QUICK_BUDGET)).toBeLessThan(budgetMs(DEFAULT_BUDGET) / 5);
  });

  it('labels sizes as the tables do', () => {
    expect(sizeLabel(64 * MIB)).toBe('64 MiB');
    expect(sizeLabel(512 * 1024)).toBe('512 KiB');
  });
});

describe('the kernels', () => {
  it('fit the workgroup in the device limits (compatibility allows 128)', () => {
    expect(peakWorkgroupSize({ maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupSizeX: 256 })).toBe(
      256,
    );
    expect(peakWorkgroupSize({ maxComputeInvocationsPerWorkgroup: 128, maxComputeWorkgroupSizeX: 256 })).toBe(
      128,
    );
  });

  it('runs FMAS_PER_ITERATION fma calls per loop iteration, and writes its sum out', () => {
    const code = fmaShader(64);
    const loop = code.slice(code.indexOf('for ('), code.indexOf('out[id.x]'));
    expect(loop.match(/fma\(/g)?.length).toBe(FMAS_PER_ITERATION);
    expect(code).toContain('out[id.x] = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;');
  });
});

describe('rates as text', () => {
  it('picks a decimal prefix from the magnitude', () => {
    expect(rateUnit(5.2e9, 'B/s')).toEqual({ label: 'GB/s', scale: 1e9 });
    expect(rateUnit(1.5e12, 'FLOP/s')).toEqual({ label: 'TFLOP/s', scale: 1e12 });
    expect(formatRate(44_240_403_300, 'B/s')).toBe('44.2 GB/s');
    expect(formatRate(999, 'FLOP/s')).toBe('999 FLOP/s');
  });
});

describe('the key of an adapter on a host', () => {
  const device = {
    backend: 'vulkan',
    vendor: 'mesa',
    architecture: 'software',
    device: '',
    description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 19.1.7)',
  } as DeviceInfo;
  const environment = { cpu: { model: 'AMD EPYC', cores: 2 } };
  const key = (change: Partial<DeviceInfo> = {}): string =>
    peakKey({ device: { ...device, ...change }, environment });

  it('is stable, readable and safe in a file name', () => {
    expect(key()).toBe(key({}));
    expect(key()).toMatch(
      /^vulkan-mesa-software-llvmpipe-mesa-25\.0\.7-2-bpo12-1-llvm-19\.1\.7-[0-9a-f]{8}$/,
    );
  });

  it('tells adapters apart that differ only where the readable part is cut or made dashes', () => {
    expect(key({ description: 'a/b' })).not.toBe(key({ description: 'a:b' }));
    const long = 'x'.repeat(200);
    const cut = key({ description: `${long}1` });
    expect(cut.length).toBeLessThanOrEqual(89);
    expect(cut).not.toBe(key({ description: `${long}2` }));
    expect(key({ backend: 'opengles' })).not.toBe(key());
  });

  it('tells one adapter on two hosts apart: another CPU model or core count', () => {
    const on = (cpu: { model: string; cores: number }): string => peakKey({ device, environment: { cpu } });
    expect(on({ model: 'AMD EPYC', cores: 4 })).not.toBe(key());
    expect(on({ model: 'Apple M2', cores: 2 })).not.toBe(key());
    expect(on({ model: 'AMD EPYC', cores: 2 })).toBe(key());
  });
});
