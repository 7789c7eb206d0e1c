import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_KERNELS, builtinKernel } from '../src/kernels/builtin/index.js';
import { planKernel } from '../src/kernels/kernel-plan.js';
import { readKernel } from '../src/kernels/read-kernel.js';
import { kernelCode, kernelSource, planSetup } from '../src/kernels/kernel-source.js';
import { resolveProfileConfig } from '../src/config/profile-config.js';
import { DTYPE_INFO, type DType } from '../src/tensors/dtype.js';
import { arithmeticIntensity, workOfPasses } from '../src/work/op-work.js';
import { evaluateWorkFlag, parseWorkFlag } from '../src/work/work-flag.js';
import { checkModuleWork } from '../src/op/resolve-work.js';
import { WgprofError } from '../src/errors.js';

const LIMITS = {
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBufferBindingSize: 1 << 30,
  maxBufferSize: 1 << 30,
} as unknown as GPUSupportedLimits;

/** The built-in's declared work at `size` elements in `dtype`, planned as a run plans it (no device needed). */
function declared(kernel: string, size: number, dtype: DType) {
  const config = resolveProfileConfig({ kernel, size: String(size), dtype });
  const source = kernelSource(config);
  const plan = planKernel(
    readKernel(source, kernelCode(source, dtype)),
    planSetup(source, config, LIMITS),
    size,
    LIMITS,
    source.shownPath,
  );
  return {
    work: workOfPasses(builtinKernel(kernel).work(plan), 'kernel'),
    passes: builtinKernel(kernel).work(plan),
  };
}

describe("the built-in kernels' declared work", () => {
  const sizes = [1024, 65536, 1 << 20];
  const dtypes: DType[] = ['f32', 'f16', 'u32', 'i32'];

  it.each(sizes)('at %i elements, against hand-computed bytes and operations in every dtype', (n) => {
    for (const dtype of dtypes) {
      const e = DTYPE_INFO[dtype].bytes;
      expect(declared('noop', n, dtype).work, dtype).toMatchObject({ bytes: 0, flops: 0 });
      expect(declared('fill', n, dtype).work, dtype).toMatchObject({ bytes: n * e, flops: 0 });
      expect(declared('scale', n, dtype).work, dtype).toMatchObject({ bytes: 2 * n * e, flops: 2 * n });
      expect(declared('add', n, dtype).work, dtype).toMatchObject({ bytes: 3 * n * e, flops: n });
      const side = Math.round(Math.sqrt(n));
      expect(declared('matmul', n, dtype).work, dtype).toMatchObject({
        bytes: 3 * side * side * e,
        flops: 2 * side ** 3,
      });
      // reduce_sum: ceil(n / 256) partial sums (a one-dimensional grid at these sizes), then one.
      const partials = Math.ceil(n / 256);
      const { work, passes } = declared('reduce_sum', n, dtype);
      expect(passes.map((p) => p.name)).toEqual(['partial_sums', 'final_sum']);
      expect(passes[0]).toMatchObject({ bytesRead: n * e, bytesWritten: partials * e, flops: n });
      expect(passes[1]).toMatchObject({ bytesRead: partials * e, bytesWritten: e, flops: partials });
      expect(work).toMatchObject({ bytes: (n + 2 * partials + 1) * e, flops: n + partials });
      expect(work.passes).toHaveLength(2);
    }
  });

  it('every built-in declares its work, and only the noop declares none', () => {
    for (const kernel of BUILTIN_KERNELS) {
      const { work } = declared(kernel.name, 4096, 'f32');
      expect(work.bytes > 0 || work.flops > 0, kernel.name).toBe(kernel.name !== 'noop');
    }
  });

  it('puts matmul far above the elementwise kernels in operations per byte', () => {
    const matmul = arithmeticIntensity(declared('matmul', 1 << 20, 'f32').work) ?? 0;
    const scale = arithmeticIntensity(declared('scale', 1 << 20, 'f32').work) ?? Infinity;
    expect(scale).toBeCloseTo(0.25);
    expect(matmul).toBeGreaterThan(100 * scale);
  });
});

describe('--work', () => {
  const scope = { size: 1024, elementBytes: 4 };

  it('evaluates bytes and flops from size and elementBytes', () => {
    expect(evaluateWorkFlag(parseWorkFlag('bytes=8*size,flops=2*size'), scope)).toMatchObject({
      bytes: 8192,
      flops: 2048,
      from: '--work',
    });
    expect(evaluateWorkFlag(parseWorkFlag('flops = 2 * sqrt(size) ** 3'), scope)).toMatchObject({
      bytes: 0,
      flops: 2 * 32 ** 3,
    });
    expect(evaluateWorkFlag(parseWorkFlag('bytes=max(size, 4096)*elementBytes'), scope).bytes).toBe(16384);
  });

  it('refuses what is not work, each as one usage error (exit 2)', () => {
    const refusals: [string, RegExp][] = [
      ['bytes=8*n', /unknown name 'n'/],
      ['bytes=process.exit(1)', /not allowed|unknown function/],
      ['bytes=8*size,bytes=4', /sets bytes twice/],
      ['time=3', /--work takes bytes=EXPR,flops=EXPR/],
      ['bytes=', /needs an expression/],
      ['bytes=8*', /not an expression/],
      ['bytes="a"', /is not a number/],
      ['bytes=size>2', /not arithmetic/],
      ['flops=alert(1)', /unknown function 'alert'/],
    ];
    for (const [text, message] of refusals) {
      const attempt = () => parseWorkFlag(text);
      expect(attempt, text).toThrow(WgprofError);
      expect(attempt, text).toThrow(message);
    }
    const bad: [string, RegExp][] = [
      ['bytes=size-2048', /is negative at --size 1024/],
      ['flops=size/0', /not a finite number/],
      ['bytes=sqrt(0-size)', /not a finite number/],
    ];
    for (const [text, message] of bad)
      expect(() => evaluateWorkFlag(parseWorkFlag(text), scope), text).toThrow(message);
  });

  it('is checked when the run is configured, before anything runs', () => {
    expect(() => resolveProfileConfig({ kernel: 'scale', work: 'bytes=size-2*size' })).toThrow(/negative/);
    expect(resolveProfileConfig({ kernel: 'scale', work: 'bytes=8*size' }).workExpressions).toEqual({
      bytes: '8*size',
    });
  });

  it('never throws anything but a usage error, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        try {
          evaluateWorkFlag(parseWorkFlag(text), scope);
        } catch (error) {
          return error instanceof WgprofError;
        }
        return true;
      }),
    );
  });
});

describe("an op module's work()", () => {
  it('takes { bytes, flops } and refuses anything else in one line', () => {
    expect(checkModuleWork('op.mjs', { bytes: 8, flops: 2 })).toEqual({
      bytes: 8,
      flops: 2,
      from: 'op module',
    });
    expect(checkModuleWork('op.mjs', { flops: 2 })).toMatchObject({ bytes: 0, flops: 2 });
    expect(() => checkModuleWork('op.mjs', 42)).toThrow(/its work\(\) returned 42/);
    expect(() => checkModuleWork('op.mjs', { bytes: -1 })).toThrow(/bytes: -1/);
    expect(() => checkModuleWork('op.mjs', { bytes: '8' })).toThrow(/bytes: 8, not a finite number/);
  });
});
