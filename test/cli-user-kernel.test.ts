import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProfileResult } from '../src/results/result-types.js';
import { validateResult } from '../src/results/validate-result.js';
import { runCli, tempDir } from './support/cli.js';

const SAXPY = 'shaders/examples/saxpy.wgsl';
const dir = tempDir('wgprof-user-kernel-');
function kernelFile(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe("wgprof profile --kernel on the user's own WGSL", () => {
  it('profiles the saxpy example under several strategies and stores what it bound', () => {
    const run = runCli([
      'profile',
      '--kernel',
      SAXPY,
      '--uniform',
      'n=size',
      '--uniform',
      'a=2',
      '--size',
      '64K',
      '--strategy',
      'main,reused,persistent',
      '--ops',
      '20',
      '--warmup',
      '3',
      '--json',
      '--no-save',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as ProfileResult;
    expect(validateResult(result).ok).toBe(true);
    expect(result.config.kernel).toBe('saxpy');
    expect(result.config.kernelFile).toMatch(/shaders\/examples\/saxpy\.wgsl$/);
    expect(result.config.uniforms).toEqual({ n: [65536], a: [2] });
    expect(result.config.plan?.tensors.map((t) => [t.name, t.role, t.shape])).toEqual([
      ['x', 'input', [65536]],
      ['y', 'output', [65536]],
      ['params', 'uniform', [4]],
    ]);
    expect(result.config.plan?.dispatches).toEqual([{ entry: 'main', workgroups: [1024, 1, 1] }]);
    expect(result.runs.map((r) => [r.label, r.opsOk, r.opsFailed])).toEqual([
      ['main', 20, 0],
      ['reused', 20, 0],
      ['persistent', 20, 0],
    ]);
  });

  it('prints the file, the dispatch and the tensors it made under the header', () => {
    const run = runCli([
      'profile',
      '--kernel',
      SAXPY,
      '--uniform',
      'n=size',
      '--uniform',
      'a=0.5',
      '--dispatch',
      '16',
      '--size',
      '1K',
      '--strategy',
      'main',
      '--ops',
      '5',
      '--no-save',
      '--details',
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^wgprof profile: saxpy, 1K elements/);
    expect(run.stdout).toMatch(
      /^kernel: .*saxpy\.wgsl; main 16x1x1 workgroups; x f32\[1K\] \(input\), y f32\[1K\] \(output\), params \(uniform\); uniforms n=1024, a=0\.5$/m,
    );
  });

  const broken = kernelFile('broken.wgsl', [
    '@group(0) @binding(0) var<storage, read> x: array<f32>;',
    '@compute @workgroup_size(1)',
    'fn main() { let v = x[0] * q; }',
  ]);
  const texture = kernelFile('texture.wgsl', [
    '@group(0) @binding(0) var t: texture_2d<f32>;',
    '@group(0) @binding(1) var<storage, read_write> out: array<f32>;',
    '@compute @workgroup_size(1) fn main() { out[0] = textureLoad(t, vec2u(0), 0).x; }',
  ]);
  const twoEntries = kernelFile('two.wgsl', [
    '@group(0) @binding(0) var<storage, read_write> out: array<f32>;',
    '@compute @workgroup_size(64) fn first() { out[0] = 1.0; }',
    '@compute @workgroup_size(64) fn second() { out[0] = 2.0; }',
  ]);
  const bad: [string, string[], number, RegExp][] = [
    [
      'a kernel file that is not there',
      ['--kernel', 'nowhere/k.wgsl'],
      2,
      /--kernel nowhere\/k\.wgsl: no such file/,
    ],
    ['WGSL that does not compile', ['--kernel', broken], 6, /broken\.wgsl:3:\d+: .*q/],
    [
      'a binding wgprof cannot fill',
      ['--kernel', texture],
      6,
      /@binding\(0\) t \(texture_2d<f32>\): a texture/,
    ],
    [
      'several entry points and no --entry',
      ['--kernel', twoEntries],
      2,
      /several compute entry points \(first, second\)/,
    ],
    [
      'a missing entry point',
      ['--kernel', twoEntries, '--entry', 'main'],
      2,
      /no compute entry point 'main': it has first, second/,
    ],
    [
      'a uniform left out',
      ['--kernel', SAXPY, '--uniform', 'n=size'],
      2,
      /needs a value for uniform params\.a \(f32\)/,
    ],
    [
      'a uniform that is not there',
      ['--kernel', SAXPY, '--uniform', 'n=size', '--uniform', 'a=1', '--uniform', 'b=2'],
      2,
      /--uniform b: .*has no such uniform \(it has n, a\)/,
    ],
    [
      'a uniform that is not a number',
      ['--kernel', SAXPY, '--uniform', 'a=fast'],
      2,
      /--uniform a: 'fast' is not a number/,
    ],
    [
      'a bad --dispatch',
      ['--kernel', SAXPY, '--dispatch', '0,1'],
      2,
      /--dispatch must be one to three whole numbers/,
    ],
    [
      '--uniform on a built-in kernel',
      ['--kernel', 'scale', '--uniform', 'a=3'],
      2,
      /--uniform: only for your own kernel/,
    ],
    [
      '--dtype on a kernel with fixed types',
      ['--kernel', SAXPY, '--dtype', 'i32'],
      2,
      /fixes its own element types/,
    ],
  ];
  for (const [what, args, status, message] of bad) {
    it(`${what}: exit ${status}, a clear message, no stack`, () => {
      const run = runCli(['profile', '--strategy', 'main', '--ops', '3', '--no-save', ...args]);
      expect(run.status).toBe(status);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
