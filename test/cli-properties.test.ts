import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveProfileConfig, type ProfileOptions } from '../src/config/profile-config.js';
import { WgprofError } from '../src/errors.js';
import { planKernel } from '../src/kernels/kernel-plan.js';
import { reflectKernel } from '../src/kernels/wgsl-reflection.js';
import { readResultFile } from '../src/results/read-result.js';
import { runCli } from './support/cli.js';

/** Any throw must be a WgprofError with a one-line message: a user never sees a stack. */
function clearOrFine(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WgprofError);
    expect((error as Error).message).not.toMatch(/\n\s+at /);
  }
}

const text = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1M',
    '1.5K',
    '999999999999999999999',
    'NaN',
    'all',
    'main,,pool',
    '5%',
    '200%',
    '1e3',
    'shaders/examples/saxpy.wgsl',
    'nowhere.wgsl',
    'n=size',
    'a=1,2',
    'x=',
    '16,16,1',
  ),
);

describe('property: the option resolver never throws anything but a usage error', () => {
  it('for random option values', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            strategy: text,
            handoff: text,
            poolSize: text,
            maxNoise: text,
            timeBudget: text,
            opTimeout: text,
            kernel: text,
            entry: text,
            uniform: fc.array(text, { maxLength: 3 }),
            dispatch: text,
            dtype: text,
            size: text,
            ops: text,
            warmup: text,
            create: text,
            backend: text,
          },
          { requiredKeys: [] },
        ),
        (options: ProfileOptions) => {
          clearOrFine(() => resolveProfileConfig(options));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('property: planning a kernel never throws anything but a clear error', () => {
  const reflection = reflectKernel(readFileSync('shaders/examples/saxpy.wgsl', 'utf8'));
  it('for random uniform values, sizes and dispatches', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('n', 'a', 'params.n', 'params.a', 'b', 'x'),
          fc.array(fc.oneof(fc.double(), fc.integer({ min: -(2 ** 33), max: 2 ** 33 })), { maxLength: 3 }),
        ),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.option(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { nil: undefined }),
        (uniforms, size, workgroups) => {
          clearOrFine(() => {
            const plan = planKernel(
              reflection,
              { uniforms, ...(workgroups ? { workgroups } : {}) },
              size,
              { maxComputeWorkgroupsPerDimension: 65535 },
              'saxpy.wgsl',
            );
            // What it does plan is whole: one tensor per binding, and a dispatch.
            expect(plan.tensors).toHaveLength(3);
            expect(plan.dispatches).toHaveLength(1);
          });
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('property: result readers turn any bytes into a clear message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wgprof-prop-'));
  const valid = runCli([
    'profile',
    '--strategy',
    'main',
    '--kernel',
    'noop',
    '--size',
    '1K',
    '--ops',
    '3',
    '--warmup',
    '0',
    '--json',
    '--no-save',
  ]).stdout;

  it('for random bytes and for truncated or mutated real results', async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
          fc.nat({ max: valid.length }).map((n) => Buffer.from(valid.slice(0, n))),
          fc
            .tuple(fc.nat({ max: valid.length - 1 }), fc.string({ minLength: 1, maxLength: 3 }))
            .map(([at, s]) => Buffer.from(valid.slice(0, at) + s + valid.slice(at + s.length))),
        ),
        async (bytes) => {
          const path = join(dir, `r${k++}.json`);
          writeFileSync(path, bytes);
          try {
            const result = await readResultFile(path);
            expect(result.schema).toBe('wgprof-result');
          } catch (error) {
            expect(error).toBeInstanceOf(WgprofError);
            const message = (error as Error).message;
            expect(message).toContain(path);
            expect(message).not.toMatch(/\n/);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('property: the real CLI answers random argument lists with an exit code and no stack', () => {
  it('for random flags and values', () => {
    const flag = fc.constantFrom(
      '--kernel',
      '--size',
      '--ops',
      '--strategy',
      '--backend',
      '--dtype',
      '--create',
      '--max-noise',
      '--bogus',
      '-x',
      '--help',
      '--pool-size',
    );
    const value = fc.constantFrom('noop', '0', '-3', 'zz', '1K', 'null', 'f64', '', 'all', '%');
    fc.assert(
      fc.property(fc.array(fc.oneof(flag, value), { maxLength: 5 }), (args) => {
        // --no-save and a timeout keep a valid random run small and fast.
        const run = runCli(
          [
            'profile',
            ...args,
            '--ops',
            '2',
            '--warmup',
            '0',
            '--strategy',
            'main',
            '--size',
            '1K',
            '--no-save',
            '--quiet',
          ],
          { timeoutMs: 60_000 },
        );
        expect([0, 2, 4, 5]).toContain(run.status);
        expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
      }),
      { numRuns: 25 },
    );
  });
});
