import { describe, expect, it } from 'vitest';
import { resolveProfileConfig } from '../src/config/profile-config.js';
import { formatSize, parseCount, parseSize } from '../src/config/size.js';
import { WgprofError } from '../src/errors.js';

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WgprofError);
    expect((error as WgprofError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('sizes and counts', () => {
  it('reads K and M as binary multiples', () => {
    expect(parseSize('1000')).toBe(1000);
    expect(parseSize('64K')).toBe(65536);
    expect(parseSize('1M')).toBe(1048576);
    expect(parseSize('1m')).toBe(1048576);
    expect(parseSize('1.5K')).toBe(1536);
  });

  it('names the option and the bad value', () => {
    expect(usageMessage(() => parseSize('lots'))).toMatch(/--size .*'lots'/);
    expect(usageMessage(() => parseSize('0'))).toMatch(/at least 1/);
    expect(usageMessage(() => parseSize('0.3'))).toMatch(/whole number/);
    expect(usageMessage(() => parseCount('-3', '--ops', 1))).toMatch(/--ops/);
    expect(usageMessage(() => parseCount('0', '--ops', 1))).toMatch(/at least 1/);
  });

  it('formats sizes back', () => {
    expect(formatSize(1048576)).toBe('1M');
    expect(formatSize(65536)).toBe('64K');
    expect(formatSize(1000)).toBe('1000');
  });
});

describe('profile configuration', () => {
  it('fills every default', () => {
    expect(resolveProfileConfig({})).toEqual({
      strategies: ['main', 'fresh', 'reused', 'pool', 'persistent'],
      handoffs: ['message'],
      poolSizes: [1],
      kernel: 'scale',
      dtype: 'f32',
      size: 1048576,
      maxNoise: 0.02,
      timeBudgetMs: 60_000,
      opTimeoutMs: 30_000,
      chunk: 20,
      replicates: 3,
      warmup: 20,
      warmupMinMs: 250,
      create: 'writeBuffer',
      readback: false,
      backend: 'auto',
      quantizeTimestamps: false,
      gpuTime: { mode: 'sample', oneIn: 2 },
    });
  });

  it('takes every option', () => {
    const config = resolveProfileConfig({
      strategy: 'main,pool',
      handoff: 'message,atomics',
      poolSize: '1,2,4',
      maxNoise: '5%',
      timeBudget: '90s',
      opTimeout: '500ms',
      kernel: 'matmul',
      dtype: 'f16',
      size: '64K',
      ops: '10',
      warmup: '0',
      warmupMin: '0',
      create: 'pooled',
      readback: true,
      backend: 'vulkan',
      adapter: 'llvmpipe',
    });
    expect(config).toMatchObject({
      kernel: 'matmul',
      dtype: 'f16',
      size: 65536,
      ops: 10,
      warmup: 0,
      warmupMinMs: 0,
      create: 'pooled',
      readback: true,
      backend: 'vulkan',
      adapter: 'llvmpipe',
    });
  });

  it('lists the valid choices when one is unknown', () => {
    expect(usageMessage(() => resolveProfileConfig({ kernel: 'conv' }))).toMatch(
      /noop, fill, scale, add, matmul, reduce_sum/,
    );
    expect(usageMessage(() => resolveProfileConfig({ dtype: 'f64' }))).toMatch(/f32, u32, i32, f16/);
    expect(usageMessage(() => resolveProfileConfig({ create: 'magic' }))).toMatch(
      /writeBuffer, mapped, pooled/,
    );
    expect(usageMessage(() => resolveProfileConfig({ strategy: 'threads' }))).toMatch(
      /unknown strategy 'threads'/,
    );
    expect(usageMessage(() => resolveProfileConfig({ backend: 'null' }))).toMatch(/--allow-null/);
  });
});
