import { describe, expect, it } from 'vitest';
import { WgprofError } from '../src/errors.js';
import { planKernel, type PlanSetup } from '../src/kernels/kernel-plan.js';
import { reflectKernel, scalarLayout } from '../src/kernels/wgsl-reflection.js';

const LIMITS = { maxComputeWorkgroupsPerDimension: 65535 };

const SAXPY = `
struct Params { n: u32, a: f32, offset: vec2i }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<vec3f>;
@group(0) @binding(2) var<uniform> params: Params;
@group(0) @binding(3) var<storage, read_write> hist: array<atomic<u32>, 64>;
@compute @workgroup_size(8, 8) fn main(@builtin(global_invocation_id) g: vec3u) {
  y[g.x] = vec3f(params.a * x[g.x]);
  atomicAdd(&hist[0], 1u);
}
@compute @workgroup_size(32) fn other() {}
`;

function plan(code: string, setup: PlanSetup, size = 1000) {
  return planKernel(reflectKernel(code), setup, size, LIMITS, 'k.wgsl');
}

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WgprofError);
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('reading a kernel with wgsl_reflect', () => {
  it('finds entry points with their workgroup sizes and every binding with its type', () => {
    const r = reflectKernel(SAXPY);
    expect(r.entries).toEqual([
      { name: 'main', workgroupSize: [8, 8, 1] },
      { name: 'other', workgroupSize: [32, 1, 1] },
    ]);
    expect(r.unfillable).toEqual([]);
    expect(r.bindings.map((b) => [b.binding, b.name, b.kind])).toEqual([
      [0, 'x', 'read'],
      [1, 'y', 'read-write'],
      [2, 'params', 'uniform'],
      [3, 'hist', 'read-write'],
    ]);
    const [x, y, params, hist] = r.bindings;
    expect(x).toMatchObject({ scalar: 'f32', scalarsPerElement: 1 });
    // vec3f elements are 16 bytes apart: four scalars, one of them padding.
    expect(y).toMatchObject({ scalar: 'f32', scalarsPerElement: 4 });
    expect(hist).toMatchObject({ scalar: 'u32', fixedCount: 64 });
    expect(params).toMatchObject({
      byteSize: 16,
      members: [
        { name: 'n', offset: 0, scalar: 'u32', components: 1 },
        { name: 'a', offset: 4, scalar: 'f32', components: 1 },
        { name: 'offset', offset: 8, scalar: 'i32', components: 2 },
      ],
    });
  });

  it('resolves type aliases and override defaults', () => {
    const r = reflectKernel(`
      enable f16; alias T = f16;
      override W: u32 = 128;
      @group(0) @binding(0) var<storage, read_write> v: array<T>;
      @compute @workgroup_size(W) fn main() { v[0] = T(1); }`);
    expect(r.bindings[0]).toMatchObject({ scalar: 'f16', scalarsPerElement: 1 });
    expect(r.entries[0]?.workgroupSize).toEqual([128, 1, 1]);
  });

  it('lists what it cannot fill, with why', () => {
    const r = reflectKernel(`
      struct P { a: f32, b: vec3f }
      struct M { m: mat4x4f }
      @group(0) @binding(0) var<storage, read_write> ps: array<P>;
      @group(0) @binding(1) var t: texture_2d<f32>;
      @group(1) @binding(0) var<storage, read> far: array<f32>;
      @group(0) @binding(2) var<uniform> m: M;
      @compute @workgroup_size(1) fn main() { _ = ps[0]; _ = t; _ = far[0]; _ = m; }`);
    const why = Object.fromEntries(r.unfillable.map((u) => [u.name, u.reason]));
    expect(why.ps).toMatch(/an array of P/);
    expect(why.t).toMatch(/a texture/);
    expect(why.far).toMatch(/@group\(0\) only/);
    expect(why.m).toMatch(/members m: mat4x4f/);
    expect(r.bindings).toEqual([]);
  });

  it('knows scalars, vectors and atomics, and nothing else', () => {
    expect(scalarLayout('f16')).toEqual({ scalar: 'f16', components: 1 });
    expect(scalarLayout('vec4h')).toEqual({ scalar: 'f16', components: 4 });
    expect(scalarLayout('vec2<i32>')).toEqual({ scalar: 'i32', components: 2 });
    expect(scalarLayout('atomic<i32>')).toEqual({ scalar: 'i32', components: 1 });
    expect(scalarLayout('bool')).toBeUndefined();
    expect(scalarLayout('mat2x2f')).toBeUndefined();
  });
});

describe('planning an op from what the WGSL says', () => {
  const uniforms = { n: [1000], a: [2], offset: [-1, 3] };

  it('gives each buffer --size elements, a fixed array its count, and fills the uniform block', () => {
    const p = plan(SAXPY, { entry: 'main', uniforms });
    expect(p.tensors.map((t) => [t.name, t.role, t.access, t.dtype, t.shape])).toEqual([
      ['x', 'input', 'read', 'f32', [1000]],
      ['y', 'output', 'read-write', 'f32', [1000, 4]],
      ['params', 'uniform', 'uniform', 'u32', [4]],
      ['hist', 'output', 'read-write', 'u32', [64]],
    ]);
    const words = new DataView(Uint32Array.from(p.tensors[2]?.data ?? []).buffer);
    expect(words.getUint32(0, true)).toBe(1000);
    expect(words.getFloat32(4, true)).toBe(2);
    expect([words.getInt32(8, true), words.getInt32(12, true)]).toEqual([-1, 3]);
    // 64 invocations a workgroup: ceil(1000 / 64) = 16 workgroups.
    expect(p.dispatches).toEqual([{ entry: 'main', workgroups: [16, 1, 1] }]);
    expect(p.result).toBe('y');
  });

  it('spreads a large grid over two dimensions, or takes --dispatch as given', () => {
    const big = plan(SAXPY, { entry: 'other', uniforms }, 32 * 100_000);
    expect(big.dispatches[0]?.workgroups).toEqual([50_000, 2, 1]);
    const given = plan(SAXPY, { entry: 'other', uniforms, workgroups: [3, 2, 1] });
    expect(given.dispatches[0]?.workgroups).toEqual([3, 2, 1]);
  });

  it('takes a value under block.member as well as member', () => {
    const p = plan(SAXPY, { entry: 'main', uniforms: { 'params.n': [5], a: [1], offset: [0, 0] } });
    expect(p.tensors[2]?.data?.[0]).toBe(5);
  });

  it('refuses, in one line each, what it cannot decide', () => {
    expect(usageMessage(() => plan(SAXPY, { uniforms }))).toMatch(
      /several compute entry points \(main, other\): choose one with --entry/,
    );
    expect(usageMessage(() => plan(SAXPY, { entry: 'mian', uniforms }))).toMatch(
      /no compute entry point 'mian': it has main, other/,
    );
    expect(usageMessage(() => plan(SAXPY, { entry: 'main', uniforms: { n: [1] } }))).toMatch(
      /needs a value for uniform params\.a \(f32\), params\.offset \(vec2i\)/,
    );
    expect(usageMessage(() => plan(SAXPY, { entry: 'main', uniforms: { ...uniforms, m: [1] } }))).toMatch(
      /--uniform m: k\.wgsl has no such uniform \(it has n, a, offset\)/,
    );
    expect(usageMessage(() => plan(SAXPY, { entry: 'main', uniforms: { ...uniforms, n: [-1] } }))).toMatch(
      /u32 takes whole numbers from 0/,
    );
    expect(
      usageMessage(() => plan(SAXPY, { entry: 'main', uniforms: { ...uniforms, offset: [1] } })),
    ).toMatch(/vec2i takes 2 comma-separated values, got 1/);
  });
});
