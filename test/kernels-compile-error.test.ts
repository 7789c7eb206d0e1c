import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../src/device/open-device.js';
import { WgprofError } from '../src/errors.js';
import { builtinKernel } from '../src/kernels/builtin/index.js';
import { KernelRegistry } from '../src/kernels/kernel-registry.js';
import { specialize } from '../src/kernels/wgsl-source.js';
import { openTestDevice } from './support/device.js';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await openTestDevice();
});
afterAll(() => ctx.close());

describe('kernel compilation errors', () => {
  it('names the file, line and column, and the compiler message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wgprof-shaders-'));
    // Line 4, column 14: `x[i] * q` uses an undeclared identifier.
    writeFileSync(
      join(dir, 'scale.wgsl'),
      [
        'alias T = f32;',
        '@group(0) @binding(0) var<storage, read> x: array<T>;',
        '@compute @workgroup_size(1)',
        'fn main() { let v = x[0] * q; }',
        '',
      ].join('\n'),
    );
    const registry = new KernelRegistry(ctx.device, dir);
    const error = await registry.get(builtinKernel('scale'), 'f32').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WgprofError);
    expect((error as WgprofError).exitCode).toBe(6);
    expect((error as Error).message).toMatch(/scale\.wgsl:4:\d+: .*q/);
    expect(ctx.errors).toEqual([]);
  });

  it('names a missing entry point', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wgprof-shaders-'));
    writeFileSync(
      join(dir, 'noop.wgsl'),
      'alias T = f32;\n@group(0) @binding(0) var<storage, read_write> data: array<T>;\n@compute @workgroup_size(1)\nfn other() {}\n',
    );
    const registry = new KernelRegistry(ctx.device, dir);
    await expect(registry.get(builtinKernel('noop'), 'f32')).rejects.toThrow(
      /entry point 'main' cannot be built/,
    );
  });

  it('specialises the element type on the alias line, keeping line numbers', () => {
    const source = '// comment\nalias T = f32;\nfn f(a: T) {}\n';
    expect(specialize(source, 'f16')).toBe('// comment\nenable f16; alias T = f16;\nfn f(a: T) {}\n');
    expect(specialize(source, 'i32').split('\n')).toHaveLength(4);
    expect(() => specialize('fn f() {}', 'u32')).toThrow(/alias T = f32/);
  });
});
