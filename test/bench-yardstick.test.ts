import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../src/bench/bench-types.js';
import { renderMarkdown } from '../src/bench/render.js';
import {
  compare,
  costComparisons,
  decided,
  pairedComparison,
  type BareReport,
  type MainPair,
} from '../src/bench/rows/yardstick.js';
import {
  blockLength,
  DEFAULT_BLOCK,
  isTimedInBlocks,
  isTimedWarmup,
  median,
  splitMedians,
  type OpTimes,
} from '../src/bench/yardstick/blocks.js';

const ROOT = join(import.meta.dirname, '..');
/** The built program, as the bench row and a user run it (npm test builds first). */
const BARE = join(ROOT, 'dist', 'bench', 'yardstick', 'bare-op.js');
const YARDSTICK_SRC = join(ROOT, 'src', 'bench', 'yardstick');

function runBare(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BARE, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function report(stdout: string): BareReport {
  const lines = stdout.trim().split('\n');
  expect(lines, 'one JSON line on stdout, nothing else').toHaveLength(1);
  return JSON.parse(lines[0] ?? '') as BareReport;
}

describe('bare-op.js, the yardstick program', () => {
  for (const [strategy, ops, warmup] of [
    ['main', 6, 2],
    ['persistent', 6, 2],
    ['fresh', 2, 1],
  ] as const) {
    it(`runs ${strategy} and prints its phases' medians, its op count and its environment`, () => {
      const run = runBare([
        '--strategy',
        strategy,
        '--size',
        '1024',
        '--ops',
        String(ops),
        '--warmup',
        String(warmup),
      ]);
      expect(run.status, run.stderr).toBe(0);
      const r = report(run.stdout);
      expect(r).toMatchObject({ program: 'bare-op', strategy, size: 1024, ops, warmup });
      // The counted ops split in two blocks at most half the ops long: untimed first by default.
      const block = blockLength(ops, DEFAULT_BLOCK);
      expect(r.timing).toMatchObject({ block, first: 'untimed', untimedOps: ops / 2, timedOps: ops / 2 });
      for (const value of Object.values(r.timedMedianNs)) expect(value).toBeGreaterThan(0);
      expect(r.timing.costNs).toBe((r.timedMedianNs.total ?? NaN) - (r.medianNs.total ?? NaN));
      const { creation, kernelCpu, kernelGpu, sync, total } = r.medianNs;
      for (const value of [creation, kernelCpu, sync, total]) expect(value).toBeGreaterThan(0);
      if (r.environment.timestamps === true) expect(kernelGpu).toBeGreaterThan(0);
      else expect(kernelGpu).toBeNull();
      // Each op's total holds its phases one after another, on one clock, so the median total is
      // at least each phase's median. Not their sum: medians of sums are not sums of medians, and
      // with 3 untimed ops one slow phase in one op moves the sum of medians alone (CI on Node 24
      // once saw a total 0.88x the sum).
      const sequential = (creation ?? 0) + (kernelCpu ?? 0) + (sync ?? 0);
      expect(total ?? 0).toBeGreaterThanOrEqual(Math.max(creation ?? 0, kernelCpu ?? 0, sync ?? 0));
      if (strategy === 'fresh') {
        // Spawn, init and teardown fill most of a worker-per-op total.
        const { spawn = 0, init = 0, teardown = 0 } = r.freshNs ?? {};
        for (const value of [spawn, init, teardown]) expect(value).toBeGreaterThan(0);
        expect(total ?? 0).toBeGreaterThanOrEqual(0.9 * ((spawn ?? 0) + (init ?? 0) + (teardown ?? 0)));
        expect(total ?? 0).toBeGreaterThan(10 * sequential);
      } else {
        expect(r.freshNs).toBeUndefined();
      }
      expect(r.environment.node).toBe(process.version);
      expect(r.environment.adapter).toEqual(expect.any(String));
      expect(r.environment.cpus).toBeGreaterThan(0);
      const arenas = process.env.MALLOC_ARENA_MAX;
      if (arenas === undefined) expect(r.environment).not.toHaveProperty('mallocArenaMax');
      else expect(r.environment.mallocArenaMax).toBe(arenas);
    });
  }

  it('splits its ops into blocks as --block and --first say, and reports each side', () => {
    const run = runBare(
      ['--strategy', 'main', '--size', '1024', '--ops', '7', '--warmup', '1'].concat([
        '--block',
        '2',
        '--first',
        'timed',
      ]),
    );
    expect(run.status, run.stderr).toBe(0);
    const r = report(run.stdout);
    // T T U U T T U: 4 timed, 3 untimed.
    expect(r.timing).toMatchObject({ block: 2, first: 'timed', timedOps: 4, untimedOps: 3 });
    expect(r.ops).toBe(7);
    if (r.environment.timestamps === true) expect(r.medianNs.kernelGpu).toBeGreaterThan(0);
  });

  it('refuses a --first other than untimed or timed', () => {
    const run = runBare(['--strategy', 'main', '--first', 'both']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--first takes untimed, timed');
  });

  it('refuses an unknown strategy with its usage line and exit code 1', () => {
    const run = runBare(['--strategy', 'pool']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--strategy takes main, fresh, persistent');
    expect(run.stderr).toContain('usage:');
  });
});

/** Every module specifier a file names: static and type imports, re-exports, dynamic imports, require. */
function specifiersOf(text: string): string[] {
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]/g),
    ...text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? '');
}

describe('src/bench/yardstick/', () => {
  const files = readdirSync(YARDSTICK_SRC).filter((f) => f.endsWith('.ts'));
  // A file of this folder may import another of it (each one is checked in its turn), nothing else of wgprof.
  const siblings = new Set(files.map((f) => `./${f.replace(/\.ts$/, '.js')}`));
  const allowed = (specifier: string): boolean =>
    specifier === 'webgpu' || specifier.startsWith('node:') || siblings.has(specifier);

  it('holds the bare program', () => {
    expect(files).toContain('bare-op.ts');
  });

  it("imports only webgpu and Node's own modules: nothing of wgprof (src/op, src/measurement or any other)", () => {
    const offending = files.flatMap((file) =>
      specifiersOf(readFileSync(join(YARDSTICK_SRC, file), 'utf8'))
        .filter((s) => !allowed(s))
        .map((s) => `${file}: ${s}`),
    );
    expect(offending).toEqual([]);
    const bare = specifiersOf(readFileSync(join(YARDSTICK_SRC, 'bare-op.ts'), 'utf8'));
    expect(bare).toContain('webgpu');
  });

  it('would catch a wgprof import of any form (the check can fail)', () => {
    const text = [
      "import { timeOp } from '../../measurement/time-op.js';",
      "import type { Op } from '../../op/op.js';",
      "export { x } from '../../op/kernel-op.js';",
      "import '../../device/webgpu-globals.js';",
      "const m = await import('../../op/gpu-timer.js');",
      "import os from 'node:os';",
      "import { median } from './blocks.js';",
      "import { x } from './not-here.js';",
      "import { y } from '../blocks.js';",
    ].join('\n');
    expect(specifiersOf(text).filter((s) => !allowed(s))).toEqual([
      '../../measurement/time-op.js',
      '../../op/op.js',
      '../../op/kernel-op.js',
      './not-here.js',
      '../blocks.js',
      '../../device/webgpu-globals.js',
      '../../op/gpu-timer.js',
    ]);
  });
});

describe('the yardstick row', () => {
  it('pools each side as the median of its rounds and measures the gap against its allowance', () => {
    const c = compare('main sync', 'ns', 0.1, [100, 130, 110], [100, 90, 95]);
    expect(c.wgprof).toBe(110);
    expect(c.bare).toBe(95);
    expect(c.ratio).toBeCloseTo(110 / 95);
    expect(c.share).toBeCloseTo((110 / 95 - 1) / 0.1);
    expect(compare('fresh vsMain', 'x', 0.15, [0.01], [0.0105]).share).toBeLessThan(1);
  });

  it("compares main's phases over pairs of processes: the median of the pairs' own ratios, with its CI", () => {
    // Machine states that differ twofold between pairs, wgprof about 10% above bare within each.
    const bare = [100, 200, 120, 180, 90, 210, 150, 110, 160, 140];
    const within = [1.08, 1.12, 1.1, 1.09, 1.11, 1.1, 1.13, 1.07, 1.1, 1.1];
    const c = pairedComparison(
      'main creation',
      0.1,
      bare.map((b, i) => b * (within[i] ?? 1)),
      bare,
    );
    expect(c.ratio).toBeCloseTo(1.1, 2);
    expect(c.ci?.low).toBeGreaterThanOrEqual(1.07);
    expect(c.ci?.high).toBeLessThanOrEqual(1.13);
    expect(c.ci?.low).toBeLessThanOrEqual(c.ratio);
    expect(c.ci?.high).toBeGreaterThanOrEqual(c.ratio);
    // Each side's own median can land on other states than the other side's: the pairs' ratio does not.
    const shifted = pairedComparison('main total', 0.1, [110, 220, 220], [100, 100, 200]);
    expect(shifted.wgprof / shifted.bare).toBeCloseTo(2.2);
    expect(shifted.ratio).toBeCloseTo(1.1);
    // A pair missing a figure on either side is left out, not paired with another.
    const gappy = pairedComparison('main kernelGpu', 0.1, [NaN, 110, 220], [100, 100, NaN]);
    expect(gappy.perRound).toEqual({ wgprof: [110], bare: [100] });
    expect(gappy.ci).toBeUndefined();
  });

  it('says whether a CI lies wholly within, wholly outside, or across the allowance', () => {
    const at = (low: number, high: number, ratio = (low + high) / 2) => ({
      ...compare('main total', 'ns', 0.1, [ratio], [1]),
      ci: { low, high },
    });
    expect(decided(at(0.95, 1.08))).toBe('within');
    expect(decided(at(1.12, 1.3))).toBe('outside');
    expect(decided(at(0.7, 0.85))).toBe('outside');
    expect(decided(at(0.98, 1.2))).toBe('undecided');
    // Without a CI (the vsMain rounds) the point estimate decides.
    expect(decided(compare('fresh vsMain', 'x', 0.15, [1.1], [1]))).toBe('within');
    expect(decided(compare('fresh vsMain', 'x', 0.15, [1.2], [1]))).toBe('outside');
  });

  it("prints a row's tables under the notes", () => {
    const markdown = renderMarkdown({
      schema: 'wgprof-bench',
      version: 1,
      mode: 'quick',
      createdAt: '2026-12-01T00:00:00.000Z',
      command: ['bench'],
      elapsedMs: 1000,
      environment: {
        os: { platform: 'linux', type: 'Linux', release: '6', version: '#1', arch: 'x64' },
        cpu: { model: 'cpu', cores: 2 },
        memoryBytes: 1,
        node: 'v20.20.2',
        webgpu: '0.6.2',
        wgprof: '0.1.0',
        timer: { clock: 'process.hrtime.bigint', resolutionNs: 1, costNs: 1 },
      },
      rows: [
        {
          state: 'completed',
          id: '7a',
          measure: 'yardstick',
          wgprof: { value: 1, unit: 'ns' },
          verdict: 'info',
          ciSpansTarget: false,
          note: 'a note',
          tables: [{ title: 'phases', header: ['Figure', 'wgprof'], rows: [['main sync', '95 us']] }],
        },
      ],
    } satisfies BenchReport);
    expect(markdown).toContain('### 7a: phases');
    expect(markdown).toMatch(/\| main sync \| 95 us +\|/);
    expect(markdown.indexOf('### 7a')).toBeGreaterThan(markdown.indexOf('- 7a: a note'));
  });
});

describe("the bare program's blocks of untimed and timed ops", () => {
  it('takes the block asked for, but at most half the ops and at least one', () => {
    expect(blockLength(100, 25)).toBe(25);
    expect(blockLength(10, 25)).toBe(5);
    expect(blockLength(7, 25)).toBe(3);
    expect(blockLength(2, 25)).toBe(1);
    expect(blockLength(1, 25)).toBe(1);
    expect(blockLength(100, 1)).toBe(1);
  });

  it('alternates whole blocks, the kind of the first as asked', () => {
    const kinds = (ops: number, block: number, first: 'untimed' | 'timed'): string =>
      Array.from({ length: ops }, (_, k) => (isTimedInBlocks(k, block, first) ? 'T' : 'U')).join('');
    expect(kinds(10, 2, 'untimed')).toBe('UUTTUUTTUU');
    expect(kinds(10, 2, 'timed')).toBe('TTUUTTUUTT');
    expect(kinds(7, 3, 'untimed')).toBe('UUUTTTU');
    expect(kinds(4, 1, 'timed')).toBe('TUTU');
    // The full plan's 100 ops in blocks of 25: two blocks of each kind.
    const full = kinds(100, 25, 'untimed');
    expect(full).toBe('U'.repeat(25) + 'T'.repeat(25) + 'U'.repeat(25) + 'T'.repeat(25));
  });

  it('warms up both kinds of op one by one, untimed first', () => {
    expect([0, 1, 2, 3].map(isTimedWarmup)).toEqual([false, true, false, true]);
  });

  it("takes each side's medians and the cost of timing as timed total minus untimed total", () => {
    const op = (creation: number, kernelCpu: number, sync: number, total: number): OpTimes => ({
      creation,
      kernelCpu,
      sync,
      total,
    });
    const ops = [
      op(10, 20, 30, 60),
      op(12, 22, 80, 120),
      op(14, 24, 34, 70),
      op(11, 21, 90, 130),
      op(9, 19, 29, 65),
    ];
    const split = splitMedians(ops, [false, true, false, true, false]);
    expect(split.untimedOps).toBe(3);
    expect(split.timedOps).toBe(2);
    expect(split.untimed).toEqual({ creation: 10, kernelCpu: 20, sync: 30, total: 65 });
    expect(split.timed).toEqual({ creation: 11.5, kernelCpu: 21.5, sync: 85, total: 125 });
    expect(split.costNs).toBe(60);
    // One side empty: its medians are null, and there is no cost.
    const untimedOnly = splitMedians(ops.slice(0, 1), [false]);
    expect(untimedOnly.timed.total).toBeNull();
    expect(untimedOnly.costNs).toBeNull();
    expect(() => splitMedians(ops, [true])).toThrow(RangeError);
  });

  it('takes medians of the finite values only', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, 5])).toBe(5);
    expect(median([])).toBeNull();
  });
});

describe("the yardstick row's cost of timing", () => {
  const phases = { creation: 1, kernelCpu: 1, kernelGpu: 1, sync: 1, total: 1 };
  const pair = (wgprof: number | null, bare: number | null): MainPair => ({
    first: 'bare',
    bare: phases,
    wgprof: phases,
    costNs: { wgprof, bare },
  });

  it("compares main's costs over the pairs, leaving out a pair without both", () => {
    const [main, ...rest] = costComparisons([pair(60, 50), pair(70, 50), pair(null, 40), pair(66, 60)], []);
    expect(main?.name).toBe('main cost of timing');
    expect(main?.over).toBe('pairs');
    expect(main?.cost?.pairs).toBe(3);
    expect(main?.cost?.wgprofNs).toBe(66);
    expect(main?.cost?.bareNs).toBe(50);
    // Differences 10, 20, 6: median 10; ratios 1.2, 1.4, 1.1: median 1.2.
    expect(main?.cost?.differenceNs.value).toBe(10);
    expect(main?.cost?.ratio?.value).toBeCloseTo(1.2);
    // No rounds: fresh and persistent have no figure.
    expect(rest.map((c) => [c.name, c.over, c.cost])).toEqual([
      ['fresh cost of timing', 'rounds', undefined],
      ['persistent cost of timing', 'rounds', undefined],
    ]);
  });
});
