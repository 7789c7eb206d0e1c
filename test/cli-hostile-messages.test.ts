import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProfileResult } from '../src/results/result-types.js';
import { runCli, tempDir } from './support/cli.js';

/**
 * What wgprof says to input a hostile tester gave it (issue 13, item 13): one line that names the
 * flag as given and what is wrong with it, the exit code the README lists, never a stack.
 */

const dir = tempDir('wgprof-messages-');
function kernelFile(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** A kernel with one uniform block `p` of members n, a, v. */
const UNIFORMS = kernelFile('uniforms.wgsl', [
  'struct P { n: u32, a: f32, v: vec2f }',
  '@group(0) @binding(0) var<storage, read_write> y: array<f32>;',
  '@group(0) @binding(1) var<uniform> p: P;',
  '@compute @workgroup_size(64)',
  'fn main(@builtin(global_invocation_id) id: vec3u) {',
  '  if (id.x < p.n) { y[id.x] = p.a + p.v.x; }',
  '}',
]);

/** A quick profile of `kernel` with `flags`, nothing saved. */
function profile(kernel: string, flags: readonly string[]): ReturnType<typeof runCli> {
  return runCli([
    'profile',
    '--kernel',
    kernel,
    '--size',
    '1K',
    '--strategy',
    'main',
    '--replicates',
    '1',
    '--ops',
    '5',
    '--warmup',
    '1',
    '--no-save',
    ...flags,
  ]);
}

/** The run's stderr as its one line. */
function oneLine(run: ReturnType<typeof runCli>): string {
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  return lines[0] ?? '';
}

describe('counts too large to hold', () => {
  it.each([
    ['profile', '--size'],
    ['profile', '--ops'],
    ['breakdown', '--reps'],
    ['sync', '--reps'],
  ])('%s %s 99999999999999999999: too large, named as given (exit 2)', (command, flag) => {
    const run = runCli([command, flag, '99999999999999999999', '--no-save']);
    expect(run.status).toBe(2);
    expect(oneLine(run)).toBe(
      `wgprof: error: ${flag} 99999999999999999999 is too large: it must be at most 9007199254740991 ` +
        '(2^53 - 1, the largest whole number JavaScript counts exactly)',
    );
  });

  it('--replicates past its own limit says that limit', () => {
    const run = runCli(['profile', '--replicates', '51', '--no-save']);
    expect(run.status).toBe(2);
    expect(oneLine(run)).toBe('wgprof: error: --replicates 51 is too large: it must be at most 50');
  });
});

describe('--uniform keys, resolved against the blocks the file has', () => {
  const values = ['--uniform', 'n=size', '--uniform', 'v=1,2'];

  it('a member given plainly and as BLOCK.MEMBER: both flags named, not "no such uniform"', () => {
    const run = profile(UNIFORMS, [...values, '--uniform', 'a=2', '--uniform', 'p.a=3']);
    expect(run.status).toBe(2);
    expect(oneLine(run)).toBe('wgprof: error: --uniform a and --uniform p.a both set p.a: give one of them');
  });

  it('a block that is not there is named, with what the file has, not a member it left unset', () => {
    const run = profile(UNIFORMS, [...values, '--uniform', 'q.a=3']);
    expect(run.status).toBe(2);
    expect(oneLine(run)).toMatch(
      /^wgprof: error: --uniform q\.a: \S*uniforms\.wgsl has no uniform block 'q' \(it has p\.n, p\.a, p\.v\)$/,
    );
  });

  it("a member the block does not have is named, with the block's members", () => {
    const run = profile(UNIFORMS, [...values, '--uniform', 'a=1', '--uniform', 'p.z=3']);
    expect(run.status).toBe(2);
    expect(oneLine(run)).toMatch(
      /^wgprof: error: --uniform p\.z: uniform block 'p' in \S*uniforms\.wgsl has no member 'z' \(it has n, a, v\)$/,
    );
  });

  it('the same key twice is refused, not the first value silently replaced', () => {
    const run = profile(UNIFORMS, [...values, '--uniform', 'a=1', '--uniform', 'a=2']);
    expect(run.status).toBe(2);
    expect(oneLine(run)).toBe('wgprof: error: --uniform a is given twice: give each uniform once');
  });
});

describe('--uniform values the type cannot hold', () => {
  const cases: [string, string[], string][] = [
    [
      'an f32 past its range (it would be +Inf)',
      ['--uniform', 'n=size', '--uniform', 'a=1e40', '--uniform', 'v=1,2'],
      '--uniform a=1e+40: f32 takes numbers from -3.4028234663852886e+38 to 3.4028234663852886e+38; 1e+40 would become infinity',
    ],
    [
      "a vector's component past f32's range",
      ['--uniform', 'n=size', '--uniform', 'a=1', '--uniform', 'v=1,-1e39'],
      '--uniform v=1,-1e+39: vec2f takes f32 numbers from -3.4028234663852886e+38 to 3.4028234663852886e+38; -1e+39 would become infinity',
    ],
    [
      'a u32 that is not whole',
      ['--uniform', 'n=1.5', '--uniform', 'a=1', '--uniform', 'v=1,2'],
      '--uniform n=1.5: u32 takes whole numbers from 0 to 4294967295',
    ],
  ];
  it.each(cases)('%s: refused, naming the type (exit 2)', (_, flags, message) => {
    const run = profile(UNIFORMS, flags);
    expect(run.status).toBe(2);
    expect(oneLine(run)).toBe(`wgprof: error: ${message}`);
  });

  it('the largest f32 itself is taken', () => {
    const run = profile(UNIFORMS, [
      '--uniform',
      'n=size',
      '--uniform',
      'a=3.4028234e38',
      '--uniform',
      'v=1,2',
    ]);
    expect(run.status, run.stderr).toBe(0);
  });
});

describe('--op-timeout shorter than the op', () => {
  it('is said to be the timeout the user set, with the time the op took, not a GPU that stopped (exit 5: every op timed out)', () => {
    // scale on 1M elements takes about 20 ms on lavapipe: every op outlasts 1 ms, and finishes.
    const run = runCli([
      'profile',
      '--kernel',
      'scale',
      '--size',
      '1M',
      '--strategy',
      'main',
      '--replicates',
      '1',
      '--ops',
      '6',
      '--warmup',
      '1',
      '--op-timeout',
      '1ms',
      '--json',
      '--no-save',
    ]);
    expect(run.status).toBe(5);
    expect(oneLine(run)).toMatch(
      /^wgprof: error: every op failed: an op took longer than --op-timeout \(1 ms\): it finished after [\d.]+ ms, so the GPU had not stopped; raise --op-timeout above the op's own time$/,
    );
    expect(run.stderr).not.toMatch(/stopped answering/);
    const [main] = (JSON.parse(run.stdout) as ProfileResult).runs;
    // The device was kept: every op ran and timed out on it, none ended the run.
    expect(main?.deviceLost).toBeUndefined();
    expect(main?.records.failures).toHaveLength(7);
    for (const f of main?.records.failures ?? []) {
      expect(f.status).toBe('timeout');
      expect(f.message).toMatch(/took longer than --op-timeout \(1 ms\)/);
    }
  });
});

describe('kernel files that say what they are not', () => {
  it('no compute entry point: a usage error (exit 2), as a missing --entry is', () => {
    const none = kernelFile('no-entry.wgsl', [
      '@group(0) @binding(0) var<storage, read_write> y: array<f32>;',
      'fn helper() -> f32 { return 1.0; }',
    ]);
    const run = profile(none, []);
    expect(run.status).toBe(2);
    expect(oneLine(run)).toMatch(
      /^wgprof: error: \S*no-entry\.wgsl has no compute entry point: wgprof runs a function marked @compute @workgroup_size\(\.\.\.\)$/,
    );
  });

  it("a fixed-size array past the device's limit blames the file, not --size", () => {
    // 2^28 f32s: 1 GiB, past lavapipe's 128 MiB maxStorageBufferBindingSize.
    const big = kernelFile('fixed-1gib.wgsl', [
      '@group(0) @binding(0) var<storage, read_write> data: array<f32, 268435456>;',
      '@compute @workgroup_size(64)',
      'fn main(@builtin(global_invocation_id) id: vec3u) { data[id.x] = 1.0; }',
    ]);
    const run = profile(big, []);
    expect(run.status).toBe(2);
    expect(oneLine(run)).toMatch(
      /^wgprof: error: 'data' \(binding 0, array<f32, 268435456>\) is 1073741824 bytes, a size \S*fixed-1gib\.wgsl fixes \(--size does not change it\), past this adapter's max\w+ of \d+ bytes: declare it smaller$/,
    );
  });
});
