import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { historyChart } from '../src/history/history-chart.js';
import type { History } from '../src/history/history-types.js';
import { renderSvg } from '../src/reports/html/render-svg.js';
import { resultFiles, runCli, tempDir } from './support/cli.js';

/**
 * `wgprof history` over real runs: a scratch git repository, a commit after another, and at each
 * one a real profile run from inside it, as a team's CI would leave them in an artifact folder.
 */
const RUNS = 20;
const PROFILE = [
  'profile',
  '--kernel',
  'noop',
  '--size',
  '1K',
  '--strategy',
  'main',
  '--ops',
  '12',
  '--replicates',
  '1',
  '--warmup',
  '2',
  '--warmup-min',
  '0',
];

function git(cwd: string, ...args: string[]): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout.trim();
}

const repo = tempDir('wgprof-history-');
const results = join(repo, 'results');
let commits: string[] = [];

beforeAll(() => {
  git(repo, 'init', '--quiet');
  git(repo, 'config', 'user.email', 'history@wgprof.test');
  git(repo, 'config', 'user.name', 'wgprof history test');
  for (let i = 0; i < RUNS; i++) {
    writeFileSync(join(repo, 'kernel-version.txt'), `change ${i}\n`);
    git(repo, 'add', 'kernel-version.txt');
    git(repo, 'commit', '--quiet', '-m', `change ${i}`);
    const run = runCli([...PROFILE, '--out', results], { cwd: repo });
    if (run.status !== 0) throw new Error(`profile run ${i} exited ${run.status}: ${run.stderr}`);
  }
  commits = git(repo, 'log', '--reverse', '--format=%H').split('\n');
}, 240_000);

describe('wgprof history over 20 real runs across commits', () => {
  it('prints the trend of each scenario over every run, in time order', () => {
    expect(resultFiles(results)).toHaveLength(RUNS);
    const run = runCli(['history', results]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`wgprof history: ${RUNS} profile results in 1 group`);
    expect(run.stdout).toMatch(/noop\/1K\/f32 · create=writeBuffer, warmup=2, warmup-min=0ms/);
    expect(run.stdout).toMatch(
      new RegExp(
        `noop/1K/f32 main: [\\d.]+ [mu]?s -> [\\d.]+ [mu]?s \\([-+]?[\\d.]+%\\) over ${RUNS} runs; `,
      ),
    );

    const json = runCli(['history', results, '--json']);
    expect(json.status).toBe(0);
    const history = JSON.parse(json.stdout) as History;
    const [group] = history.groups;
    expect(history.groups).toHaveLength(1);
    expect(group?.runs).toHaveLength(RUNS);
    const times = group?.runs.map((r) => Date.parse(r.createdAt)) ?? [];
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const main = group?.scenarios.find((s) => s.scenario === 'main');
    expect(main?.points).toHaveLength(RUNS);
    // Every step after the first judged, op against op (one replicate a run).
    const steps = main?.points.slice(1).map((p) => p.step) ?? [];
    expect(steps.every((s) => s !== undefined && 'verdict' in s && s.method === 'ops')).toBe(true);
    // Where results record the commit they were made from (wgprof's provenance), it is each run's own.
    const recorded = group?.runs.map((r) => r.provenance?.git?.commit) ?? [];
    if (recorded.some((c) => c !== undefined)) expect(recorded).toEqual(commits);
  });

  it('prints every run with --details and as Markdown, within 80 columns on a terminal', () => {
    const details = runCli(['history', results, '--details'], { env: { COLUMNS: '80' } });
    expect(details.status).toBe(0);
    for (const line of details.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    const md = runCli(['history', results, '--format', 'md']);
    expect(md.status).toBe(0);
    expect(md.stdout).toContain('## noop/1K/f32 on ');
    expect(md.stdout.match(/^\| +\d+ \| \d{4}-\d\d-\d\d \d\d:\d\d \|/gm)).toHaveLength(RUNS);
  });

  it('writes the chart page: self-contained, a point with a hover title per run, and a spec that draws clean', async () => {
    const out = join(repo, 'history.html');
    const run = runCli(['history', results, '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`wrote ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<svg role="img"');
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).not.toContain('Vega warned');
    expect(html.match(/<title>main, run \d+ /g)).toHaveLength(RUNS);

    const history = JSON.parse(runCli(['history', results, '--json']).stdout) as History;
    const group = history.groups[0];
    if (!group) throw new Error('no group');
    const warnings: string[] = [];
    const svg = await renderSvg(historyChart(group, 0).spec, { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    expect(svg).toMatch(/class="mark-line role-mark[^"]*"[^>]*>\s*<path/);
    expect(svg).toMatch(/class="mark-symbol role-mark[^"]*"[^>]*>\s*<path/);
  });

  it('skips what is not a profile result with one line each, and goes on', () => {
    const mixed = join(repo, 'mixed');
    const [good] = resultFiles(results);
    if (!good) throw new Error('no result');
    const text = readFileSync(good, 'utf8');
    const put = (name: string, content: string): void => {
      mkdirSync(join(mixed, name), { recursive: true });
      writeFileSync(join(mixed, name, 'result.json'), content);
    };
    put('good', text);
    put('corrupt', 'this is not { json');
    put('truncated', text.slice(0, Math.floor(text.length / 2)));
    put('other-version', JSON.stringify({ ...(JSON.parse(text) as object), version: 99 }));
    put('other-tool', JSON.stringify({ benchmarks: [{ name: 'x', value: 1 }] }));
    mkdirSync(join(mixed, 'trace'));
    copyFileSync(
      join(import.meta.dirname, 'fixtures', 'results', 'trace.json'),
      join(mixed, 'trace', 'result.json'),
    );

    const run = runCli(['history', mixed]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('1 profile result in 1 group; 5 files skipped');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(5);
    const line = (name: string): string =>
      lines.find((l) => l.includes(`${join(mixed, name)}/result.json: `)) ?? '';
    expect(line('corrupt')).toMatch(/^wgprof: skipped .*: is not JSON/);
    expect(line('truncated')).toMatch(/: is truncated/);
    expect(line('other-version')).toMatch(/: result schema version 99 is newer than the version 1/);
    expect(line('other-tool')).toMatch(/: not a wgprof result/);
    expect(line('trace')).toMatch(/: a trace result, not a profile/);
  });

  it('is exit 2, in one error line, when there is no profile result at all', () => {
    const empty = join(repo, 'no-profiles');
    mkdirSync(join(empty, 'a'), { recursive: true });
    writeFileSync(join(empty, 'a', 'result.json'), '{"truncated": ');
    const run = runCli(['history', empty]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^wgprof: skipped .*is truncated/);
    expect(lines.filter((l) => l.startsWith('wgprof: error: '))).toEqual([
      expect.stringMatching(/no profile result to follow among 1 file/),
    ]);
    expect(runCli(['history', join(repo, 'not-there')]).status).toBe(2);
    expect(runCli(['history', results, '--format', 'pdf']).status).toBe(2);
    expect(runCli(['history', results, '--out', join(repo, 'history.pdf')]).status).toBe(2);
  });

  it('has --help', () => {
    const run = runCli(['history', '--help']);
    expect(run.status).toBe(0);
    for (const flag of ['--details', '--format', '--out', '--json', '--threshold'])
      expect(run.stdout).toContain(flag);
  });
});
