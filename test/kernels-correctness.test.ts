import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../src/device/open-device.js';
import { BUILTIN_KERNELS } from '../src/kernels/builtin/index.js';
import { makeHostInputs } from '../src/kernels/host-inputs.js';
import { KernelRegistry } from '../src/kernels/kernel-registry.js';
import type { BuiltinKernel } from '../src/kernels/builtin-kernel.js';
import { kernelSource } from '../src/kernels/kernel-source.js';
import { resolveProfileConfig } from '../src/config/profile-config.js';
import { KernelOp } from '../src/op/kernel-op.js';
import { withPlan } from '../src/op/preflight.js';
import { createAllocator } from '../src/tensors/allocator.js';
import type { DType } from '../src/tensors/dtype.js';
import { openTestDevice } from './support/device.js';
import { runForResult } from './support/op.js';

let ctx: GpuContext;
let registry: KernelRegistry;

beforeAll(async () => {
  ctx = await openTestDevice();
  registry = new KernelRegistry(ctx.device);
});
afterAll(() => ctx.close());

/** Runs one op of `spec` on the device and compares its result with the CPU reference. */
async function check(
  spec: BuiltinKernel,
  dtype: DType,
  size: number,
): Promise<{ checked: number; worst: number }> {
  const config = await withPlan(ctx, resolveProfileConfig({ kernel: spec.name, dtype, size: String(size) }));
  const { plan } = config;
  const kernel = await registry.get(kernelSource(config), dtype, plan);
  const inputs = makeHostInputs(plan);
  const allocator = createAllocator('writeBuffer', ctx.device);
  const op = new KernelOp(ctx.device, kernel, plan, inputs, allocator, true);
  const got = await runForResult(op);
  allocator.dispose();
  const want = spec.reference(inputs, plan);
  const { abs, rel } = spec.tolerance(dtype, plan);
  expect(got).toBeDefined();
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? NaN;
    const g = got[i] ?? NaN;
    const excess = Math.abs(g - w) - (abs + rel * Math.abs(w));
    worst = Math.max(worst, excess);
    if (!(excess <= 0)) throw new Error(`${spec.name}/${dtype}/${size}: element ${i} is ${g}, expected ${w}`);
  }
  expect(ctx.errors).toEqual([]);
  return { checked: want.length, worst };
}

describe('built-in kernels on the real device match their CPU reference', () => {
  // Sizes that are not multiples of the workgroup, and one that needs a 2D grid on reduce.
  const sizes: Record<string, number[]> = {
    noop: [1, 1000],
    fill: [1, 1000, 70_001],
    scale: [7, 1000, 1 << 20],
    add: [3, 4097, 1 << 20],
    matmul: [1, 17 * 17, 64 * 64, 129 * 129],
    reduce_sum: [1, 255, 257, 100_000, (1 << 24) + 3],
  };
  for (const spec of BUILTIN_KERNELS) {
    for (const dtype of ['f32', 'i32', 'u32', 'f16'] as const) {
      for (const size of sizes[spec.name] ?? []) {
        // f16 sums of millions of terms leave f16's range: keep f16 to modest sizes.
        if (dtype === 'f16' && size > 100_000) continue;
        it(`${spec.name} ${dtype} at ${size} elements`, async () => {
          const { checked } = await check(spec, dtype, size);
          expect(checked).toBeGreaterThan(0);
        });
      }
    }
  }
});

describe('the reference check can fail', () => {
  it('notices a wrong answer', async () => {
    const scale = BUILTIN_KERNELS.find((k) => k.name === 'scale') as BuiltinKernel;
    // A reference off by one everywhere must not pass.
    const wrong: BuiltinKernel = {
      ...scale,
      reference: (inputs, plan) => Float64Array.from(scale.reference(inputs, plan), (v) => v + 1),
    };
    await expect(check(wrong, 'f32', 1000)).rejects.toThrow(/element 0/);
  });
});
