import { describe, expect, it } from 'vitest';

type Api = typeof import('../src/api/index.js');
/** By name, as a user imports it (package.json's exports, to dist/). */
const PACKAGE: string = 'wgprof';
const load = async (): Promise<Api> => (await import(PACKAGE)) as Api;

describe('the API: rates and the peak', () => {
  it('peak() measures the limits; profile() takes --work as `work` and a peak as `peak`', async () => {
    const { peak, profile } = await load();
    const limits = await peak({ quick: true });
    expect(limits.kind).toBe('peak');
    expect(limits.limits.copyBandwidth.value).toBeGreaterThan(0);
    const result = await profile({
      kernel: 'shaders/examples/saxpy.wgsl',
      uniform: { n: 'size', a: 2 },
      size: '64K',
      work: { bytes: '3*size*elementBytes', flops: '2*size' },
      strategy: 'main',
      ops: 16,
      warmup: 3,
      replicates: 1,
      peak: limits,
    });
    expect(result.config.work).toMatchObject({ bytes: 3 * 65536 * 4, flops: 2 * 65536, from: '--work' });
    expect(result.peak?.measuredAt).toBe(limits.createdAt);
    const rates = result.runs[0]?.rates;
    expect(rates?.kernel?.bytesPerSecond?.value).toBeGreaterThan(0);
    expect(rates?.ofPeak?.kernel?.binds).toBe('memory');
  }, 120_000);

  it('refuses a bad work expression as a usage error naming the option', async () => {
    const { profile, WgprofError } = await load();
    await expect(profile({ kernel: 'scale', work: { bytes: '8*n' } })).rejects.toThrow(WgprofError);
    await expect(profile({ kernel: 'scale', work: { bytes: '8*n' } })).rejects.toThrow(/work/);
  });
});
