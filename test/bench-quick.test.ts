import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUICK_PLAN } from '../src/bench/bench-plan.js';
import type { BenchReport, CompletedRow } from '../src/bench/bench-types.js';
import { tempDir } from './support/cli.js';

/** The built bench entry, as `npm run bench` runs it (npm test builds first). */
const BENCH = join(import.meta.dirname, '..', 'dist', 'bench', 'main.js');

const ROW_IDS = [
  '1a',
  '1b',
  '2a',
  '2b',
  '2c',
  '2d',
  '2e',
  '2f',
  '2g',
  '2h',
  '3a',
  '3b',
  '4a',
  '4b',
  '4c',
  '4d',
  '4e',
  '5a',
  '5b',
  '6a',
  '6b',
  '6c',
  '7a',
  '8a',
  '8b',
  '9a',
  '9b',
  '10a',
  '10b',
  '10c',
  '11a',
  '11b',
  '12a',
  '12b',
  '12c',
  '12d',
  '13a',
  '13b',
  '13c',
  '14a',
  '14b',
  '15',
];

// Shapes only: the quick bench's figures mean little, and no timing may fail a test.
describe('npm run bench -- --quick', () => {
  it('measures every row, prints the report as JSON, and writes it as JSON and Markdown', () => {
    const out = tempDir('wgprof-bench-');
    const run = spawnSync(process.execPath, [BENCH, '--quick', '--json', '--out', out], {
      encoding: 'utf8',
      timeout: 420_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as BenchReport;
    expect(report).toMatchObject({ schema: 'wgprof-bench', version: 1, mode: 'quick' });
    expect(report.environment.cpu.cores).toBeGreaterThan(0);
    expect(report.adapter?.description).toEqual(expect.any(String));
    expect(report.rows.map((row) => row.id)).toEqual(ROW_IDS);
    for (const row of report.rows) {
      expect(row.state === 'errored' ? row.error : 'completed', row.id).toBe('completed');
      if (row.state !== 'completed') continue;
      expect(Number.isFinite(row.wgprof.value), row.id).toBe(true);
      expect(['met', 'not met', 'info']).toContain(row.verdict);
      expect(row.note.length, row.id).toBeGreaterThan(0);
    }

    const completed = (id: string): CompletedRow => {
      const row = report.rows.find((r) => r.id === id);
      if (row?.state !== 'completed') throw new Error(`no completed row ${id}`);
      return row;
    };
    // 7a compares each program's cost of timing too, with no target of its own.
    const yardstick = completed('7a').details as { timingCost: { name: string }[] };
    expect(yardstick.timingCost.map((c) => c.name)).toEqual([
      'main cost of timing',
      'fresh cost of timing',
      'persistent cost of timing',
    ]);
    // 12a/12b: a table line per kernel of the plan at that size; 12d from 12c's two runs.
    expect(completed('12a').tables?.[0]?.rows).toHaveLength(QUICK_PLAN.timingCost.kernels['1K'].length);
    expect(completed('12b').tables?.[0]?.rows).toHaveLength(QUICK_PLAN.timingCost.kernels['1M'].length);
    for (const id of ['12a', '12b', '12c', '12d']) expect(completed(id).verdict, id).toBe('info');
    const perPass = completed('12d');
    const { few, many } = perPass.details as {
      few: { costNs: { value: number } };
      many: { costNs: { value: number } };
    };
    expect(perPass.wgprof.value).toBeCloseTo((many.costNs.value - few.costNs.value) / 7, 6);
    // 13a-13c: a table line per run, the long one after the plan's `longAfter` short ones; 13b's
    // target 9 in 10 of the short runs, rounded up; 13c without one; no run both agrees and contradicts.
    const { shortRuns, longAfter } = QUICK_PLAN.verdicts;
    const runs = completed('13a').tables?.[0]?.rows ?? [];
    expect(runs.map((cells) => cells[1])).toEqual([
      ...Array.from({ length: longAfter }, (_, i) => `short ${i + 1}`),
      'long',
      ...Array.from({ length: shortRuns - longAfter }, (_, i) => `short ${longAfter + i + 1}`),
    ]);
    expect(completed('13b').target).toMatchObject({
      direction: 'at-least',
      limit: Math.ceil(0.9 * shortRuns),
    });
    expect(completed('13c').verdict).toBe('info');
    expect(completed('13b').wgprof.value + completed('13c').wgprof.value).toBeLessThanOrEqual(shortRuns);
    // 14a states a ratio (no target); 14b's target is on the highest low end of a share, a table
    // line per kernel of the plan.
    expect(completed('14a').verdict).toBe('info');
    expect(completed('14a').ratio?.unit).toBe('x');
    expect(completed('14b').target).toMatchObject({ direction: 'at-most', limit: 1 });
    expect(completed('14b').tables?.[0]?.rows.map((cells) => cells[0])).toEqual(
      QUICK_PLAN.peak.kernels.map((k) => k.kernel),
    );
    // 15: history's wall time, against issue 26's 5 s for 1,000 results.
    expect(completed('15').target).toMatchObject({ direction: 'at-most', limit: 5e9 });
    expect(completed('15').wgprof.value).toBeGreaterThan(0);

    const written = JSON.parse(readFileSync(join(out, 'quick.json'), 'utf8')) as BenchReport;
    expect(written.rows.map((row) => row.id)).toEqual(ROW_IDS);
    const markdown = readFileSync(join(out, 'quick.md'), 'utf8');
    expect(markdown).toContain('| Row | Measure');
    expect(markdown).toContain(report.adapter?.description ?? '?');
    expect(existsSync(join(out, 'latest.json'))).toBe(false);
  }, 480_000);

  it('runs one row alone with --only, named after it, and keeps the repeats with --raw-dir', () => {
    const out = tempDir('wgprof-bench-');
    const raw = join(out, 'raw');
    const run = spawnSync(
      process.execPath,
      [BENCH, '--quick', '--only', 'coverage', '--raw-dir', raw, '--json', '--out', out],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as BenchReport;
    expect(report.rows.map((row) => (row.state === 'errored' ? row.error : row.id))).toEqual([
      '6a',
      '6b',
      '6c',
    ]);
    expect(existsSync(join(out, 'quick-coverage.json'))).toBe(true);
    expect(existsSync(join(out, 'quick.json'))).toBe(false);
    expect(readdirSync(raw).sort()).toEqual(['repeat-1.json', 'repeat-2.json']);
    const repeat = JSON.parse(readFileSync(join(raw, 'repeat-1.json'), 'utf8')) as { kind: string };
    expect(repeat.kind).toBe('profile');
  }, 150_000);

  it("measures the trace's cost per WebGPU call alone (10c): patched less bare, split, over 12 calls", () => {
    const out = tempDir('wgprof-bench-');
    const run = spawnSync(process.execPath, [BENCH, '--quick', '--only', '10c', '--json', '--out', out], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as BenchReport;
    const [row, ...more] = report.rows;
    expect(more).toEqual([]);
    if (row?.state !== 'completed') throw new Error(row?.state === 'errored' ? row.error : 'no row 10c');
    expect(row.id).toBe('10c');
    expect(row.target).toMatchObject({ text: '<= 1 us added per call', limit: 1000 });
    expect(Number.isFinite(row.wgprof.value) && Number.isFinite(row.baseline?.value ?? NaN)).toBe(true);
    const details = row.details as {
      calls: string[];
      kinds: string[];
      perOp: { added: { value: number } };
      perCallMean: { added: { value: number }; timestampWrites: { value: number } };
    };
    expect(details.calls).toHaveLength(12);
    expect(details.kinds).toEqual(
      report.adapter?.timestamps ? ['bare', 'own', 'traced'] : ['bare', 'traced'],
    );
    expect(Number.isFinite(details.perCallMean.added.value)).toBe(true);
    expect(row.tables?.map((t) => t.rows.length)).toEqual([3, 1]);
    expect(existsSync(join(out, 'quick-10c.json'))).toBe(true);
  });

  it('refuses a row it does not have', () => {
    const out = tempDir('wgprof-bench-');
    const run = spawnSync(process.execPath, [BENCH, '--only', 'nosuch', '--out', out], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--only: no row nosuch');
    expect(readdirSync(out)).toEqual([]);
  });

  it('says what it does with --help', () => {
    const run = spawnSync(process.execPath, [BENCH, '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    for (const flag of ['--quick', '--json', '--out', '--only', '--raw-dir'])
      expect(run.stdout).toContain(flag);
  });
});
