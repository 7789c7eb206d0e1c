import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProfileConfig, type ProfileOptions } from '../src/config/profile-config.js';
import type { GpuContext } from '../src/device/open-device.js';
import { ExitCode, WgprofError } from '../src/errors.js';
import { makeHostInputs } from '../src/kernels/host-inputs.js';
import { specialize } from '../src/kernels/wgsl-source.js';
import { BufferUsage } from '../src/device/webgpu-globals.js';
import { openKernelOp } from '../src/op/kernel-op.js';
import { createBufferChecked, withPlan } from '../src/op/preflight.js';
import { openTestDevice } from './support/device.js';
import { runForResult } from './support/op.js';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await openTestDevice();
});
afterAll(() => ctx.close());

const dir = mkdtempSync(join(tmpdir(), 'wgprof-kernels-'));
function kernelFile(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

async function failure(options: ProfileOptions): Promise<WgprofError> {
  const error = await withPlan(ctx, resolveProfileConfig(options)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WgprofError);
  return error as WgprofError;
}

describe("a user's own kernel on the real device", () => {
  it('runs the saxpy example with its uniforms, and computes what it should', async () => {
    const config = await withPlan(
      ctx,
      resolveProfileConfig({
        kernel: 'shaders/examples/saxpy.wgsl',
        uniform: ['n=size', 'a=2'],
        size: '100000',
        readback: true,
      }),
    );
    expect(config.kernel).toBe('saxpy');
    expect(config.plan.dispatches).toEqual([{ entry: 'main', workgroups: [1563, 1, 1] }]);
    const op = await openKernelOp(ctx, config);
    const got = await runForResult(op);
    op.dispose();
    // y starts at zero (a read-write buffer is allocated, not uploaded): y = 2 * x.
    const x = makeHostInputs(config.plan).get('x');
    expect(got.length).toBe(100_000);
    for (let i = 0; i < 100_000; i += 997) expect(got[i]).toBeCloseTo(2 * (x?.[i] ?? NaN), 6);
    expect(ctx.errors).toEqual([]);
  });

  it('names the file, line and column, and the compiler message, of WGSL that does not compile', async () => {
    // Line 3, column 29: `x[0] * q` uses an undeclared identifier.
    const path = kernelFile('broken.wgsl', [
      '@group(0) @binding(0) var<storage, read> x: array<f32>;',
      '@compute @workgroup_size(1)',
      'fn main() { let v = x[0] * q; }',
    ]);
    const error = await failure({ kernel: path });
    expect(error.exitCode).toBe(ExitCode.kernel);
    expect(error.message).toMatch(/broken\.wgsl:3:\d+: .*q/);
    expect(ctx.errors).toEqual([]);
  });

  it('names a missing entry point, and the ones there are', async () => {
    const path = kernelFile('other.wgsl', [
      '@group(0) @binding(0) var<storage, read_write> data: array<f32>;',
      '@compute @workgroup_size(1) fn other() { data[0] = 1.0; }',
    ]);
    const error = await failure({ kernel: path, entry: 'main' });
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toMatch(/other\.wgsl has no compute entry point 'main': it has other/);
  });

  it('names every binding it cannot fill, and why', async () => {
    const path = kernelFile('texture.wgsl', [
      'struct P { a: f32, b: vec3f }',
      '@group(0) @binding(0) var<storage, read_write> ps: array<P>;',
      '@group(0) @binding(1) var t: texture_2d<f32>;',
      '@compute @workgroup_size(1) fn main() { ps[0].a = textureLoad(t, vec2u(0), 0).x; }',
    ]);
    const error = await failure({ kernel: path });
    expect(error.exitCode).toBe(ExitCode.kernel);
    expect(error.message).toMatch(/texture\.wgsl has bindings wgprof cannot fill:/);
    expect(error.message).toMatch(/@binding\(0\) ps \(array<P.*\): an array of P/);
    expect(error.message).toMatch(/@binding\(1\) t \(texture_2d<f32>\): a texture/);
  });

  it('refuses a missing uniform value before running anything', async () => {
    const error = await failure({ kernel: 'shaders/examples/saxpy.wgsl', uniform: ['n=size'] });
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toMatch(/needs a value for uniform params\.a \(f32\)/);
  });

  it('refuses a dispatch past the device limit, naming it', async () => {
    const error = await failure({
      kernel: 'shaders/examples/saxpy.wgsl',
      uniform: ['n=size', 'a=1'],
      dispatch: `${ctx.device.limits.maxComputeWorkgroupsPerDimension + 1}`,
    });
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toMatch(/maxComputeWorkgroupsPerDimension of \d+/);
  });

  it("reports the driver's out-of-memory at buffer creation as such, through an error scope", async () => {
    const size = ctx.device.limits.maxBufferSize;
    const error = await createBufferChecked(ctx.device, 'huge', size, BufferUsage.STORAGE)
      .then((buffer) => buffer.destroy())
      .catch((e: unknown) => e);
    // lavapipe answers VK_ERROR_OUT_OF_DEVICE_MEMORY for a buffer of its maxBufferSize (2^32 - 1
    // bytes); a real GPU may well hold it.
    if (ctx.info.description.includes('llvmpipe')) expect(error).toBeInstanceOf(WgprofError);
    if (error !== undefined) {
      expect((error as WgprofError).exitCode).toBe(ExitCode.gpu);
      expect((error as Error).message).toMatch(
        new RegExp(`^GPU out of memory creating the ${size}-byte 'huge' buffer \\(.*OUT_OF_DEVICE_MEMORY`),
      );
    }
    expect(ctx.errors).toEqual([]);
  });

  it('specialises the element type on the alias line, keeping line numbers', () => {
    const source = '// comment\nalias T = f32;\nfn f(a: T) {}\n';
    expect(specialize(source, 'f16')).toBe('// comment\nenable f16; alias T = f16;\nfn f(a: T) {}\n');
    expect(specialize(source, 'i32').split('\n')).toHaveLength(4);
    expect(() => specialize('fn f() {}', 'u32')).toThrow(/alias T = f32/);
  });
});
