import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveProfileConfig, type ProfileOptions } from '../src/config/profile-config.js';
import {
  MAX_BENCHMARK_NAME_LENGTH,
  benchmarkName,
  isValidBenchmarkName,
  sanitizeBenchmarkName,
} from '../src/reports/exports/benchmark-name.js';

/** A profile's config as the CLI resolves its flags: the defaults are the real ones. */
const configOf = (options: ProfileOptions) => resolveProfileConfig(options);

const keptCharacter = fc.constantFrom('A', 'Z', 'a', 'z', '0', '9', '.', '_', '/', '-');
/** Any text: every code point, surrogates and emoji included, and lengths past the limit. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', minLength: 1000, maxLength: 1100 }),
  fc.constantFrom('', ' ', '\u0000', '😀', 'matMul 256×256', 'a'.repeat(2000)),
);

describe('benchmark names', () => {
  it('name a scenario of the defaults as the CLI writes its parts: kernel/size/dtype/label', () => {
    const config = configOf({});
    expect(benchmarkName(config, { label: 'persistent' })).toBe('scale/1M/f32/persistent');
    expect(benchmarkName(configOf({ size: '64K' }), { label: 'pool/2' })).toBe('scale/64K/f32/pool/2');
    expect(benchmarkName(configOf({ size: '1000', dtype: 'f16' }), { label: 'reused/atomics' })).toBe(
      'scale/1000/f16/reused/atomics',
    );
    expect(benchmarkName({ ...config, kernel: 'my kernel' }, { label: 'main' })).toBe(
      'my_kernel/1M/f32/main',
    );
  });

  it('name the settings a flag changed between dtype and label, so that each starts a history of its own', () => {
    const name = (options: ProfileOptions): string => benchmarkName(configOf(options), { label: 'main' });
    expect(name({ readback: true })).toBe('scale/1M/f32/readback/main');
    expect(name({ create: 'mapped' })).toBe('scale/1M/f32/create-mapped/main');
    expect(name({ warmup: '2', warmupMin: '0' })).toBe('scale/1M/f32/warmup-2.warmup-min-0ms/main');
    expect(name({ gpuTime: '1/8' })).toBe('scale/1M/f32/gpu-time-1in8/main');
    expect(name({ gpuTime: 'none', quantizeTimestamps: true })).toBe(
      'scale/1M/f32/gpu-time-none.quantize-timestamps/main',
    );
    // Flags given at their defaults change nothing.
    expect(name({ create: 'writeBuffer', warmup: '20', warmupMin: '250ms', gpuTime: 'sample' })).toBe(
      'scale/1M/f32/main',
    );
    const settings = [{ readback: true }, { warmup: '2' }, { gpuTime: 'every' }, { create: 'mapped' }];
    expect(new Set(settings.map(name)).size).toBe(settings.length);
    for (const options of settings) expect(isValidBenchmarkName(name(options))).toBe(true);
  });

  it("name a user's dispatch and uniforms in the name's characters, not a user's file or module twice", () => {
    const config = {
      ...configOf({}),
      kernel: 'saxpy',
      kernelFile: '/home/me/saxpy.wgsl',
      dispatch: [64, 2, 1] as const,
      uniforms: { n: [4, 5], a: [2] },
    };
    expect(benchmarkName(config, { label: 'main' })).toBe(
      'saxpy/1M/f32/uniform-a-2.uniform-n-4_5.dispatch-64x2x1/main',
    );
  });

  it('replace each character outside [A-Za-z0-9._/-] with _, code point by code point', () => {
    expect(sanitizeBenchmarkName('matMul 256×256')).toBe('matMul_256_256');
    expect(sanitizeBenchmarkName('a😀b')).toBe('a_b');
    expect(sanitizeBenchmarkName('')).toBe('_');
    expect(sanitizeBenchmarkName('scale/1M/f32/pool/2')).toBe('scale/1M/f32/pool/2');
  });

  it('cut a long name to 1,024 characters, ending in a hash of the whole text', () => {
    const long = sanitizeBenchmarkName('a'.repeat(2000));
    expect(long).toHaveLength(MAX_BENCHMARK_NAME_LENGTH);
    expect(long).toMatch(/^a{1015}\.[0-9a-f]{8}$/);
    expect(sanitizeBenchmarkName(`${'a'.repeat(1999)}b`)).not.toBe(long);
    expect(sanitizeBenchmarkName('a'.repeat(1024))).toBe('a'.repeat(1024));
  });

  it('make any text a valid name', () => {
    fc.assert(fc.property(anyText, (text) => isValidBenchmarkName(sanitizeBenchmarkName(text))));
  });

  it('are idempotent: a name made valid stays as it is', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = sanitizeBenchmarkName(text);
        expect(sanitizeBenchmarkName(once)).toBe(once);
      }),
    );
  });

  it('leave a valid name as it is', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._/-]{1,1024}$/), (name) => {
        expect(sanitizeBenchmarkName(name)).toBe(name);
      }),
    );
  });

  it('keep apart two texts that differ in a kept character at the same place', () => {
    fc.assert(
      fc.property(anyText, fc.nat(), keptCharacter, keptCharacter, (text, at, a, b) => {
        fc.pre(a !== b);
        const points = Array.from(text);
        const index = points.length === 0 ? 0 : at % (points.length + 1);
        const withA = [...points.slice(0, index), a, ...points.slice(index + 1)].join('');
        const withB = [...points.slice(0, index), b, ...points.slice(index + 1)].join('');
        expect(sanitizeBenchmarkName(withA)).not.toBe(sanitizeBenchmarkName(withB));
      }),
    );
  });
});
