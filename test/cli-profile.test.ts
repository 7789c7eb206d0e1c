import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProfileResult } from '../src/results/result-types.js';
import { validateResult } from '../src/results/validate-result.js';
import { resultFiles, runCli, tempDir, type CliRun } from './support/cli.js';

const ARGS = ['--strategy', 'main', '--kernel', 'scale', '--size', '64K', '--ops', '40', '--warmup', '5'];

describe('wgprof profile on the real device', () => {
  let out: string;
  let run: CliRun;
  beforeAll(() => {
    out = tempDir();
    run = runCli(['profile', ...ARGS, '--out', out, '--details']);
  });

  it('exits 0 and prints the phase table with every core phase', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^wgprof profile: scale f32, 64K elements, create=writeBuffer, strategies main$/m,
    );
    expect(run.stdout).toMatch(
      /stopped by the fixed --ops 40; warm-up 5 ops and at least 250 ms per process/,
    );
    expect(run.stdout).toMatch(/^device: .*\((vulkan|opengles|metal|d3d12), (core|compatibility)\)/m);
    for (const row of ['creation', 'kernel \\(CPU\\)', 'kernel \\(GPU\\)', 'sync', 'total', 'unaccounted']) {
      expect(run.stdout).toMatch(new RegExp(`^${row} +[\\d.]`, 'm'));
    }
    expect(run.stdout).toMatch(/^Phase +Median \[(us|ms)\] +95% CI of median/m);
    expect(run.stdout).toMatch(/^main: 40 ops ok, [\d.,]+ ops\/s/m);
  });

  it("keeps Dawn's native warnings out of stdout and stderr", () => {
    expect(run.stdout).not.toMatch(/artificially reduced|XDG_RUNTIME_DIR|Warning:/);
    expect(run.stderr).not.toMatch(/artificially reduced/);
  });

  it('writes a result.json that validates against the schema, with non-zero GPU times', () => {
    const files = resultFiles(out);
    expect(files).toHaveLength(1);
    const data = JSON.parse(readFileSync(files[0] as string, 'utf8')) as ProfileResult;
    const validation = validateResult(data);
    expect(validation.ok ? '' : validation.problem).toBe('');
    expect(run.stdout).toContain(`result: ${files[0]}`);
    const main = data.runs[0];
    expect(main?.strategy).toBe('main');
    // 40 timed ops in three replicates (14, 13, 13), each with its cold first op recorded apart.
    expect(main?.records.startNs).toHaveLength(43);
    expect(main?.records.cold).toEqual([0, 15, 29]);
    expect(main?.replicates?.map((r) => r.opsOk)).toEqual([14, 13, 13]);
    expect(main?.opsOk).toBe(40);
    // One op in 2 timed (--gpu-time sample): a GPU time on each of those, none on the others.
    const timing = main?.records.timing ?? [];
    expect(timing.filter((c) => c === 1).length).toBeGreaterThanOrEqual(10);
    main?.records.phases.kernelGpu?.forEach((ns, i) => {
      if (timing[i] === 1) expect(ns).toBeGreaterThan(0);
      else expect(ns).toBeNull();
    });
    expect(main?.summary.kernelGpu?.median).toBeGreaterThan(0);
    expect(main?.records.phases.readback).toBeUndefined();
    expect(data.device.timestampQuantizationDisabled).toBe(true);
    // The native lines are not lost: they are kept in the result for the record.
    expect(data.nativeMessages.some((l) => /artificially reduced/.test(l))).toBe(true);
    expect(data.command).toEqual(['wgprof', 'profile', ...ARGS, '--out', out, '--details']);
  });
});

describe('wgprof profile flags', () => {
  it('--json prints only the result on stdout', () => {
    const run = runCli([
      'profile',
      '--strategy',
      'main',
      '--kernel',
      'noop',
      '--size',
      '1K',
      '--ops',
      '5',
      '--warmup',
      '1',
      '--json',
      '--no-save',
      '--create',
      'pooled',
      '--readback',
    ]);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as ProfileResult;
    expect(validateResult(result).ok).toBe(true);
    expect(result.config).toMatchObject({
      kernel: 'noop',
      size: 1024,
      ops: 5,
      warmup: 1,
      create: 'pooled',
      readback: true,
    });
    // 5 ops in three replicates, each with its cold op.
    expect(result.runs[0]?.records.phases.readback).toHaveLength(8);
  });

  it('each creation mode and dtype runs through the CLI', () => {
    for (const [create, dtype] of [
      ['mapped', 'i32'],
      ['pooled', 'f16'],
      ['writeBuffer', 'u32'],
    ] as const) {
      const run = runCli([
        'profile',
        '--strategy',
        'main',
        '--kernel',
        'add',
        '--size',
        '4K',
        '--ops',
        '5',
        '--warmup',
        '1',
        '--create',
        create,
        '--dtype',
        dtype,
        '--json',
        '--no-save',
      ]);
      expect(run.status, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as ProfileResult;
      expect(result.config.create).toBe(create);
      expect(result.runs[0]?.opsOk).toBe(5);
    }
  });

  it('--help on every command exits 0', () => {
    for (const args of [['--help'], ['profile', '--help'], ['doctor', '--help']]) {
      const run = runCli(args);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Usage: wgprof/);
    }
  });

  const usage: [string, string[], RegExp][] = [
    ['an unknown flag', ['profile', '--bogus'], /unknown option '--bogus'/],
    ['a bad size', ['profile', '--size', 'huge'], /--size must be a count/],
    ['an unknown kernel', ['profile', '--kernel', 'conv2d'], /unknown kernel 'conv2d': choose one of noop/],
    ['an unknown backend', ['profile', '--backend', 'cuda'], /unknown backend 'cuda'/],
    ['the null backend without --allow-null', ['profile', '--backend', 'null'], /--allow-null/],
    ['an unknown command', ['profiel'], /unknown command 'profiel'/],
  ];
  for (const [what, args, message] of usage) {
    it(`${what} is a usage error: one clear line, exit 2, no stack`, () => {
      const run = runCli(args);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('a size past the device limit names the limit and its value', () => {
    const run = runCli(['profile', '--strategy', 'main', '--size', '512M', '--ops', '1', '--no-save']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/past this adapter's max\w+ of \d+ bytes/);
  });

  it('the null backend is marked as carrying no GPU work', () => {
    const run = runCli([
      'profile',
      '--strategy',
      'main',
      '--backend',
      'null',
      '--allow-null',
      '--kernel',
      'noop',
      '--size',
      '1K',
      '--ops',
      '3',
      '--warmup',
      '0',
      '--no-save',
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/NO REAL GPU WORK/);
    expect(run.stdout).toMatch(/null backend ran no GPU work/);
  });
});

describe('--warmup-min: the warm-up lasts at least this long past --warmup ops', () => {
  const profile = (strategy: string, warmup: string, warmupMin: string): ProfileResult => {
    const run = runCli([
      'profile',
      '--strategy',
      strategy,
      '--kernel',
      'noop',
      '--size',
      '1K',
      '--ops',
      '4',
      '--replicates',
      '1',
      '--warmup',
      warmup,
      '--warmup-min',
      warmupMin,
      '--json',
      '--no-save',
    ]);
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as ProfileResult;
  };
  const warmupMs = (result: ProfileResult): number[] =>
    result.runs.flatMap((r) => (r.replicates ?? []).map((p) => p.warmupMs ?? Number.NaN));

  // Main's loop, a worker's own loop, and ops handed to a worker one at a time.
  for (const strategy of ['main', 'persistent', 'reused']) {
    it(`${strategy}: 2 warm-up ops with --warmup-min 700ms warm up for 700 ms; with 0, only the 2 ops`, () => {
      const floored = profile(strategy, '2', '700ms');
      expect(floored.config.warmupMinMs).toBe(700);
      expect(validateResult(floored).ok).toBe(true);
      for (const ms of warmupMs(floored)) expect(ms).toBeGreaterThanOrEqual(700);
      // Two noop ops take a few milliseconds: far below the floor the other run kept to.
      for (const ms of warmupMs(profile(strategy, '2', '0'))) expect(ms).toBeLessThan(700);
    });
  }

  it('--warmup 0 asks for no warm-up at all: the floor does not apply', () => {
    for (const ms of warmupMs(profile('main', '0', '700ms'))) expect(ms).toBeLessThan(700);
  });

  it('refuses a value that is not a duration, in one line (exit 2)', () => {
    const run = runCli(['profile', '--strategy', 'main', '--warmup-min', 'soon', '--no-save']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /--warmup-min must be a duration such as 500ms, 30s or 2m \(or 0\), not 'soon'/,
    );
  });
});

describe('wgprof doctor', () => {
  it('lists the native backend as usable, with its features', () => {
    const run = runCli(['doctor']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^(vulkan|metal|d3d12) +core +\S/m);
    expect(run.stdout).toMatch(/^null +core +null-backend \(plumbing only: no GPU work\)/m);
    const details = runCli(['doctor', '--details']);
    expect(details.stdout).toMatch(/^(vulkan|metal|d3d12) +core +yes +/m);
    expect(details.stdout).toMatch(/^Backend +Level +Usable +Adapter +Timestamps +Other features$/m);
    const json = runCli(['doctor', '--json']);
    const report = JSON.parse(json.stdout) as {
      entries: { backend: string; device?: { timestamps: boolean } }[];
    };
    expect(report.entries[0]?.device?.timestamps).toBe(true);
  });

  it('says how to get an adapter when none opens', () => {
    const run = runCli(['doctor'], {
      env: {
        VK_ICD_FILENAMES: '/nonexistent.json',
        VK_DRIVER_FILES: '/nonexistent.json',
        EGL_PLATFORM: 'nonexistent',
      },
    });
    // OpenGL ES may still open through EGL; only when it too fails is this an error.
    if (run.status !== 0) {
      expect(run.status).toBe(4);
      expect(run.stderr).toMatch(/setup-software-gpu\.sh/);
    } else {
      expect(run.stdout).toMatch(/\| vulkan +\| core +\| no +\|/);
    }
  });
});
