import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  acrossDevices,
  adapterName,
  columnLabels,
  opDifferences,
  type AcrossDevices,
} from '../src/history/across-devices.js';
import { acrossView } from '../src/history/across-devices-table.js';
import { PLAIN } from '../src/reports/terminal/style.js';
import type { ProfileResult } from '../src/results/result-types.js';
import { resultFiles, runCli, tempDir } from './support/cli.js';

/** The same op on lavapipe through two backends: Vulkan and OpenGL ES, as a user would run them. */
const ARGS = [
  '--kernel',
  'noop',
  '--size',
  '1K',
  '--strategy',
  'main,persistent',
  '--ops',
  '12',
  '--replicates',
  '1',
];
const dir = tempDir('wgprof-across-');
let vulkan = '';
let gles = '';

beforeAll(() => {
  for (const backend of ['vulkan', 'opengles']) {
    const run = runCli(['profile', '--backend', backend, ...ARGS, '--out', join(dir, backend)]);
    if (run.status !== 0) throw new Error(`profile --backend ${backend} exited ${run.status}: ${run.stderr}`);
  }
  [vulkan = ''] = resultFiles(join(dir, 'vulkan'));
  [gles = ''] = resultFiles(join(dir, 'opengles'));
}, 120_000);

const read = (path: string): ProfileResult => JSON.parse(readFileSync(path, 'utf8')) as ProfileResult;

describe('wgprof report over results of two adapters', () => {
  it('prints one table: a column per device, a row per scenario, and the ratio to the first', () => {
    const run = runCli(['report', vulkan, gles], { env: { COLUMNS: '80' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('wgprof report: noop/1K/f32 on 2 devices');
    const header = run.stdout.split('\n').find((l) => l.startsWith('scenario'));
    expect(header).toMatch(/A: llvmpipe \(vulkan\)\s+B: llvmpipe \(opengles\)\s+B \/ A/);
    for (const scenario of ['main', 'persistent'])
      expect(run.stdout).toMatch(
        new RegExp(
          `^${scenario} +[\\d.]+ \\[[\\d.]+, [\\d.]+\\] +[\\d.]+ \\[[\\d.]+, [\\d.]+\\] +\\d\\.\\d\\dx \\[\\d\\.\\d\\d, \\d\\.\\d\\d\\]$`,
          'm',
        ),
      );
    for (const line of run.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it("gives the same figures as Markdown, JSON and HTML: each cell the run's own median", () => {
    const json = runCli(['report', vulkan, gles, '--format', 'json']);
    expect(json.status).toBe(0);
    const table = JSON.parse(json.stdout) as AcrossDevices;
    expect(table.columns.map((c) => c.label)).toEqual(['llvmpipe (vulkan)', 'llvmpipe (opengles)']);
    const [a, b] = [read(vulkan), read(gles)];
    for (const row of table.rows) {
      const label = row.scenario;
      expect(row.cells[0]?.medianNs).toBe(a.runs.find((r) => r.label === label)?.summary.total?.median);
      expect(row.cells[1]?.medianNs).toBe(b.runs.find((r) => r.label === label)?.summary.total?.median);
      const ratio = row.vsFirst[0];
      // Op against op (one replicate a run): the ratio of the two medians, inside its CI.
      expect(ratio?.method).toBe('ops');
      expect(ratio?.ratio).toBeCloseTo((row.cells[1]?.medianNs ?? NaN) / (row.cells[0]?.medianNs ?? NaN), 9);
      expect(ratio?.low).toBeLessThanOrEqual(ratio?.ratio ?? NaN);
      expect(ratio?.high).toBeGreaterThanOrEqual(ratio?.ratio ?? NaN);
    }
    const md = runCli(['report', vulkan, gles, '--format', 'md']);
    expect(md.stdout).toMatch(
      /\| scenario +\| A: llvmpipe \(vulkan\) \| B: llvmpipe \(opengles\) \| +B \/ A \|/,
    );
    const out = join(dir, 'across.html');
    expect(runCli(['report', vulkan, gles, '--format', 'html', '--out', out]).status).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<th scope="col" class="right">B: llvmpipe (opengles)</th>');
    expect(html).not.toMatch(/<script|src="http/);
  });

  it('refuses results of different ops, saying what differs (exit 2); skips what is not a profile', () => {
    const other = join(dir, 'other-size.json');
    const b = read(gles);
    writeFileSync(other, JSON.stringify({ ...b, config: { ...b.config, size: 2048 } }));
    const run = runCli(['report', vulkan, other]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      `wgprof: error: these results measure different ops: size: 1024 in ${vulkan}, 2048 in ${other}: give results of one op`,
    ]);
    const trace = join(import.meta.dirname, 'fixtures', 'results', 'trace.json');
    const skipped = runCli(['report', vulkan, trace, gles]);
    expect(skipped.status).toBe(0);
    expect(skipped.stderr).toBe(`wgprof: skipped ${trace}: a trace result, not a profile\n`);
    expect(skipped.stdout).toContain('on 2 devices');
  });

  it("keeps the engines' exports of several files, and one file's report, as they were", () => {
    // Several files in an engine's format are the exports' own (one run per benchmark), never this table.
    expect(runCli(['report', vulkan, '--format', 'bmf']).status).toBe(0);
    expect(runCli(['report', vulkan, gles, '--format', 'bmf']).stdout).not.toContain('on 2 devices');
    expect(runCli(['report', vulkan]).stdout).toContain('# wgprof profile report');
    expect(runCli(['report', vulkan, gles, '--format', 'csv']).status).toBe(2);
  });
});

describe('the table across devices, on its own', () => {
  it('names an OpenGL ES adapter by its device, not its GL version', () => {
    expect(
      adapterName({
        description: 'OpenGL version OpenGL ES 3.2 Mesa 25.0.7-2~bpo12+1',
        device: 'llvmpipe-llvm-15-0-6-256-bits-',
      }),
    ).toBe('llvmpipe');
    expect(
      adapterName({ description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1', device: 'x' }),
    ).toBe('llvmpipe');
    expect(adapterName({ description: 'Apple M3', device: '' })).toBe('Apple M3');
  });

  it('tells apart columns of one device by host, then by place', () => {
    const a = read(vulkan);
    const m3 = { ...a, environment: { ...a.environment, cpu: { ...a.environment.cpu, model: 'Apple M3' } } };
    expect(columnLabels([a, m3])).toEqual(['llvmpipe (vulkan) on AMD EPYC', 'llvmpipe (vulkan) on Apple M3']);
    expect(columnLabels([a, a])).toEqual(['llvmpipe (vulkan) #1', 'llvmpipe (vulkan) #2']);
  });

  it('lists every difference of op, and lays out three devices within 80 columns', () => {
    const a = read(vulkan);
    const b = { ...a, config: { ...a.config, kernel: 'scale', readback: true } };
    expect(
      opDifferences([
        { path: 'a', result: a },
        { path: 'b', result: b },
      ]),
    ).toEqual(['kernel: noop in a, scale in b', 'readback: false in a, true in b']);
    const table = acrossDevices([
      { path: 'a', result: a },
      { path: 'b', result: read(gles) },
      { path: 'c', result: a },
    ]);
    const view = acrossView(table, { width: 80, style: PLAIN });
    for (const line of view.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(view).toContain('C / A');
    expect(table.rows[0]?.vsFirst[1]?.ratio).toBe(1);
  });
});
