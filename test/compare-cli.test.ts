import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../src/compare/compare-results.js';
import { runCli, tempDir } from './support/cli.js';

const SMALL = ['--strategy', 'main', '--kernel', 'noop', '--size', '1K', '--ops', '60', '--warmup', '5'];

/** Runs the CLI with `args --out <new folder>` and returns the one result.json it wrote. */
function resultOf(args: readonly string[]): string {
  const out = tempDir('wgprof-compare-');
  const run = runCli([...args, '--out', out]);
  expect(run.status, run.stderr).toBe(0);
  const runs = readdirSync(out);
  expect(runs).toHaveLength(1);
  return join(out, runs[0] ?? '', 'result.json');
}

/** stderr is one `wgprof: error:` line. */
function oneErrorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^wgprof: error: /);
  return lines[0] ?? '';
}

describe('wgprof compare on two real runs', () => {
  let a: string;
  let b: string;
  beforeAll(() => {
    a = resultOf(['profile', ...SMALL]);
    b = resultOf(['profile', ...SMALL]);
  });

  it("prints each scenario's total change and verdict in a line, and the summary, and exits 0", () => {
    const run = runCli(['compare', a, b]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`wgprof compare: ${a} (base) vs ${b} (new)`);
    expect(run.stdout).toMatch(/^1 vs 1 run, replicate against replicate; threshold 5\.0%$/m);
    expect(run.stdout).toMatch(/^scenario +base +new +total change \[95% CI\] +verdict$/m);
    expect(run.stdout).toMatch(
      /^main +[\d.]+ \w+ +[\d.]+ \w+ +[+-]?\d+\.\d% \[.*\] +(regression|improvement|ambiguous|unchanged)$/m,
    );
    expect(run.stdout).toMatch(/^\d+ regressions?, \d+ improvements?, \d+ ambiguous, \d+ unchanged/m);
  });

  it('prints the environments, the phase table and the summary with --details', () => {
    const run = runCli(['compare', a, b, '--details']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`wgprof compare: ${a} (base) vs ${b} (new); threshold 5.0%`);
    expect(run.stdout).toMatch(/^CPU +.+ \(\d+ cores\) +.+ \(\d+ cores\)$/m);
    expect(run.stdout).toMatch(/^adapter +\S/m);
    // Three replicates a run (the default): each replicate's median is a sample.
    expect(run.stdout).toMatch(/^compared replicate against replicate \(one run a side\)/m);
    expect(run.stdout).toMatch(/^main, 3 vs 3 replicates:$/m);
    expect(run.stdout).toMatch(
      /^Phase +base median \[(us|ms)\] +new median \[(us|ms)\] +change \(95% CI\) +p +verdict$/m,
    );
    for (const row of ['creation', 'kernel \\(CPU\\)', 'sync', 'total'])
      expect(run.stdout).toMatch(
        new RegExp(`^${row} +.* (regression|improvement|ambiguous|unchanged)$`, 'm'),
      );
    expect(run.stdout).not.toMatch(/^unaccounted/m);
    expect(run.stdout).toMatch(/^geometric mean of the total over 1 scenario: [+-]?\d+\.\d% \[/m);
    expect(run.stdout).toMatch(
      /^summary: \d+ regressions?, \d+ improvements?, \d+ ambiguous, \d+ unchanged/m,
    );
    expect(run.stdout).not.toMatch(/different adapters/);
  });

  it('compares op against op when the runs have one replicate each', () => {
    const one = ['profile', ...SMALL, '--replicates', '1'];
    const run = runCli(['compare', resultOf(one), resultOf(one), '--details']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^compared op against op \(one run a side\)/m);
    // Op against op: the untimed ops, which give every CPU-side figure (one in 2 of 60, less the
    // first after each block of timed ones).
    const ops = /^main, (\d+) vs (\d+) ops:$/m.exec(run.stdout);
    expect(Number(ops?.[1])).toBeGreaterThanOrEqual(20);
    expect(Number(ops?.[2])).toBeGreaterThanOrEqual(20);
  });

  it('with --fail-on-regression exits 0, or 3 naming how many regressed', () => {
    const run = runCli(['compare', a, b, '--fail-on-regression']);
    expect([0, 3]).toContain(run.status);
    if (run.status === 3)
      expect(oneErrorLine(run.stderr)).toMatch(/: \d+ regressions? beyond \+5\.0%: main /);
    else expect(run.stderr).toBe('');
  });

  it('finds no regression between a file and itself, even with --fail-on-regression', () => {
    const run = runCli(['compare', a, a, '--fail-on-regression', '--threshold', '2%', '--details']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^summary: 0 regressions, 0 improvements,/m);
    expect(run.stdout).toMatch(/^total +.* 0\.0% \[.*\] +1\.000 +(unchanged|ambiguous)$/m);
  });

  it('--json prints the comparison', () => {
    const run = runCli(['compare', a, a, '--json']);
    expect(run.status).toBe(0);
    const comparison = JSON.parse(run.stdout) as Comparison;
    expect(comparison.threshold).toBe(0.05);
    expect(comparison.crossDevice).toBe(false);
    expect(comparison.scenarios.map((s) => s.label)).toEqual(['main']);
    const total = comparison.scenarios[0]?.metrics.find((m) => m.key === 'total');
    expect(total?.change).toBe(0);
    expect(total?.pValue).toBe(1);
    expect(comparison.counts.regression).toBe(0);
  });

  it('exits 2 with one line naming a file that is not JSON', () => {
    const bad = join(tempDir('wgprof-compare-bad-'), 'notes.json');
    writeFileSync(bad, 'these are not the results you are looking for\n');
    const run = runCli(['compare', bad, a]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(oneErrorLine(run.stderr)).toContain(`${bad} is not JSON`);
  });

  it('exits 2 naming a missing file, and a bad --threshold', () => {
    const missing = runCli(['compare', a, join(tempDir(), 'none.json')]);
    expect(missing.status).toBe(2);
    expect(oneErrorLine(missing.stderr)).toMatch(/cannot read .*none\.json: no such file/);
    const threshold = runCli(['compare', a, a, '--threshold', 'lots']);
    expect(threshold.status).toBe(2);
    expect(oneErrorLine(threshold.stderr)).toMatch(
      /--threshold must be a share such as 2% or 0\.02, not 'lots'/,
    );
  });

  it('refuses a result of another kind, naming the kind', () => {
    const sync = resultOf(['sync', '--reps', '2']);
    const run = runCli(['compare', a, sync]);
    expect(run.status).toBe(2);
    expect(oneErrorLine(run.stderr)).toMatch(
      /is a sync result; compare needs two profile results \(usage: wgprof compare BASE\[,BASE\.\.\.\] NEW/,
    );
  });
});
