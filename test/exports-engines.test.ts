import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { toBmf, type Bmf } from '../src/reports/exports/bmf.js';
import { isValidBenchmarkName } from '../src/reports/exports/benchmark-name.js';
import { profileBenchmarks, scenarioMeasures } from '../src/reports/exports/export-measures.js';
import { exportReport, mergeBenchmarks } from '../src/reports/exports/export-report.js';
import { toGithubBenchmark, type GithubBenchmarkEntry } from '../src/reports/exports/github-benchmark.js';
import { formatReport } from '../src/reports/format-report.js';
import type { ProfileResult, StrategyResult } from '../src/results/result-types.js';
import { profileJson, runCli, tempDir } from './support/cli.js';

// Two real runs of a small op under main and a persistent worker: the exports of one are checked
// against each engine's format, and the two runs' names against each other.
const ARGS = ['--size', '1K', '--strategy', 'main,persistent', '--ops', '20', '--replicates', '1'];
const first = profileJson(ARGS).result;
const second = profileJson(ARGS).result;

/**
 * BMF's JSON Schema, as Bencher publishes it at
 * https://bencher.dev/docs/reference/bencher-metric-format/ (test/fixtures/bmf.schema.json).
 */
const SCHEMA = join(import.meta.dirname, 'fixtures', 'bmf.schema.json');
const validateBmf = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(SCHEMA, 'utf8')) as object,
);

/** Bencher's measure slugs: lowercase letters, digits and hyphens, at most 64 characters. */
const MEASURE_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * github-action-benchmark's custom format (its README, "Examples", and extractCustomBenchmarkResult):
 * an array of objects with a string name, a string unit, a number value, and optionally a
 * string range and a string extra. A range it can rescale is `±` or `+-` and a number
 * (extractRangeInfo: `(\+-|±)\s*\d.+`).
 */
function actionProblems(document: unknown): string[] {
  if (!Array.isArray(document)) return ['not an array'];
  return document.flatMap((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null) return [`entry ${i} is not an object`];
    const e = entry as Record<string, unknown>;
    const problems: string[] = [];
    if (typeof e.name !== 'string' || e.name === '') problems.push(`entry ${i}: name`);
    if (typeof e.unit !== 'string' || e.unit === '') problems.push(`entry ${i}: unit`);
    if (typeof e.value !== 'number' || !Number.isFinite(e.value)) problems.push(`entry ${i}: value`);
    if ('range' in e && (typeof e.range !== 'string' || !/(\+-|±)\s*\d.+/.test(e.range)))
      problems.push(`entry ${i}: range ${String(e.range)}`);
    if ('extra' in e && typeof e.extra !== 'string') problems.push(`entry ${i}: extra`);
    return problems;
  });
}

function runOf(result: ProfileResult, label: string): StrategyResult {
  const run = result.runs.find((r) => r.label === label);
  if (!run) throw new Error(`no ${label} scenario`);
  return run;
}

describe('the BMF export of a real profile', () => {
  const text = formatReport(first, 'bmf');

  it('validates against BMF JSON Schema', async () => {
    const bmf = JSON.parse(await text) as unknown;
    expect(validateBmf(bmf), JSON.stringify(validateBmf.errors)).toBe(true);
    // The schema has teeth: a metric without its value, or with a value that is text, fails it.
    expect(validateBmf({ 'scale/1K/f32/main': { latency: { lower_value: 1 } } })).toBe(false);
    expect(validateBmf({ 'scale/1K/f32/main': { latency: { value: '1' } } })).toBe(false);
  });

  it('has a benchmark per scenario, each measure with its CI as lower and upper values', async () => {
    const bmf = JSON.parse(await text) as Bmf;
    expect(Object.keys(bmf)).toEqual(['scale/1K/f32/main', 'scale/1K/f32/persistent']);
    const main = runOf(first, 'main');
    const persistent = runOf(first, 'persistent');
    const total = persistent.summary.total;
    expect(bmf['scale/1K/f32/persistent']?.latency).toEqual({
      value: total?.median,
      lower_value: total?.medianCi.low,
      upper_value: total?.medianCi.high,
    });
    expect(bmf['scale/1K/f32/main']?.['sync-ns']?.value).toBe(main.summary.sync?.median);
    expect(bmf['scale/1K/f32/main']?.throughput).toEqual({ value: main.opsPerSecond });
    expect(bmf['scale/1K/f32/persistent']?.['vs-main']).toEqual({
      value: persistent.vsMain?.estimate,
      lower_value: persistent.vsMain?.low,
      upper_value: persistent.vsMain?.high,
    });
    expect(bmf['scale/1K/f32/main']?.['vs-main']).toBeUndefined();
    expect(bmf['scale/1K/f32/main']?.['kernel-bytes-per-s']?.value).toBe(
      main.rates?.kernel?.bytesPerSecond?.value,
    );
    for (const measures of Object.values(bmf)) {
      for (const [slug, metric] of Object.entries(measures)) {
        expect(slug).toMatch(MEASURE_SLUG);
        expect(slug.length).toBeLessThanOrEqual(64);
        if (metric.lower_value !== undefined) {
          expect(metric.lower_value).toBeLessThanOrEqual(metric.value);
          expect(metric.upper_value).toBeGreaterThanOrEqual(metric.value);
        }
      }
    }
  });

  it('has each phase the scenario recorded, and no other', () => {
    const bmf = toBmf(profileBenchmarks(first));
    const persistent = bmf['scale/1K/f32/persistent'] ?? {};
    const phases = Object.keys(runOf(first, 'persistent').summary).filter(
      (k) => k !== 'total' && k !== 'leftover',
    );
    expect(Object.keys(persistent).filter((slug) => slug.endsWith('-ns'))).toHaveLength(phases.length);
    expect(persistent['kernel-cpu-ns']).toBeDefined();
    expect(persistent['kernel-gpu-ns']).toBeDefined();
  });
});

describe('the github-action-benchmark exports of a real profile', () => {
  const smaller = toGithubBenchmark(profileBenchmarks(first), 'smaller');
  const bigger = toGithubBenchmark(profileBenchmarks(first), 'bigger');

  it("have the action's documented fields, in both files", async () => {
    for (const format of ['github-benchmark', 'github-benchmark-bigger'] as const) {
      const document = JSON.parse(await formatReport(first, format)) as unknown;
      expect(actionProblems(document)).toEqual([]);
    }
    expect(smaller.length).toBeGreaterThan(0);
    expect(bigger.length).toBeGreaterThan(0);
  });

  it('split the measures by direction: times smaller-is-better, rates bigger-is-better', () => {
    expect(new Set(smaller.map((e) => e.unit))).toEqual(new Set(['ns']));
    expect(new Set(bigger.map((e) => e.unit))).toEqual(new Set(['ops/s', 'x', 'B/s', 'FLOP/s']));
    const bmfCount = Object.values(toBmf(profileBenchmarks(first))).reduce(
      (n, measures) => n + Object.keys(measures).length,
      0,
    );
    expect(smaller.length + bigger.length).toBe(bmfCount);
  });

  it('give the CI as a range that covers it, and the CI, adapter and host in extra', () => {
    const latency = smaller.find((e) => e.name === 'scale/1K/f32/main/latency') as GithubBenchmarkEntry;
    const total = runOf(first, 'main').summary.total;
    if (!total) throw new Error('main has no total');
    const halfWidth = Number(latency.range?.replace('± ', ''));
    expect(latency.value - halfWidth).toBeLessThanOrEqual(total.medianCi.low * 1.001);
    expect(latency.value + halfWidth).toBeGreaterThanOrEqual(total.medianCi.high * 0.999);
    expect(latency.extra).toMatch(
      /^95% CI \[[\d.]+, [\d.]+\] ns\nadapter: .+\(\w+\)\nhost: .+ cores · .+ · Node v\d+/,
    );
    const throughput = bigger.find((e) => e.name === 'scale/1K/f32/main/throughput');
    expect(throughput?.range).toBeUndefined();
  });
});

describe('export names', () => {
  it('are the same in two runs of the same profile, and valid', () => {
    const names = (result: ProfileResult): string[] => [
      ...Object.keys(toBmf(profileBenchmarks(result))),
      ...toGithubBenchmark(profileBenchmarks(result), 'smaller').map((e) => e.name),
      ...toGithubBenchmark(profileBenchmarks(result), 'bigger').map((e) => e.name),
    ];
    expect(names(second)).toEqual(names(first));
    for (const name of names(first)) expect(isValidBenchmarkName(name), name).toBe(true);
    expect(new Set(names(first)).size).toBe(names(first).length);
  });
});

describe('an export of several results', () => {
  const other = { ...second, config: { ...second.config, kernel: 'scale2' } };

  it('merges the profiles into one document, in order', () => {
    const bmf = toBmf(
      mergeBenchmarks([
        { path: 'a', result: first },
        { path: 'b', result: other },
      ]),
    );
    expect(Object.keys(bmf)).toEqual([
      'scale/1K/f32/main',
      'scale/1K/f32/persistent',
      'scale2/1K/f32/main',
      'scale2/1K/f32/persistent',
    ]);
  });

  it('refuses two results with the same benchmark, naming both', () => {
    expect(() =>
      mergeBenchmarks([
        { path: 'a.json', result: first },
        { path: 'b.json', result: second },
      ]),
    ).toThrow(/a\.json and b\.json both have the benchmark scale\/1K\/f32\/main/);
  });

  it('leaves out a scenario figure that is not a number', () => {
    const run = runOf(first, 'persistent');
    if (!run.vsMain) throw new Error('persistent has no vs main');
    const measures = scenarioMeasures({
      ...run,
      opsPerSecond: Number.NaN,
      vsMain: { ...run.vsMain, estimate: Number.POSITIVE_INFINITY },
    });
    expect(measures.map((m) => m.slug)).not.toContain('throughput');
    expect(measures.map((m) => m.slug)).not.toContain('vs-main');
    expect(measures.map((m) => m.slug)).toContain('latency');
  });

  it('skips a result of another kind with one line, and has nothing to export without a profile', () => {
    const breakdown = { ...first, kind: 'breakdown' } as unknown as ProfileResult;
    const report = exportReport(
      [
        { path: 'p.json', result: first },
        { path: 'b.json', result: breakdown },
      ],
      'bmf',
    );
    expect(report.state === 'exported' && report.skipped).toEqual([
      'b.json: a breakdown result, not a profile',
    ]);
    expect(exportReport([{ path: 'b.json', result: breakdown }], 'bmf')).toEqual({
      state: 'nothing',
      reason: "--format bmf exports a profile result's scenarios: b.json: a breakdown result, not a profile",
    });
  });
});

describe('wgprof report --format bmf|github-benchmark', () => {
  const dir = tempDir();
  const profile = join(dir, 'profile.json');
  writeFileSync(profile, JSON.stringify(first));
  const breakdown = join(import.meta.dirname, 'fixtures', 'results', 'breakdown.json');

  it('exports the profiles of several files and skips a breakdown result with one line', () => {
    const run = runCli(['report', profile, breakdown, '--format', 'bmf']);
    expect(run.status).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout) as Bmf)).toEqual([
      'scale/1K/f32/main',
      'scale/1K/f32/persistent',
    ]);
    expect(run.stderr.trim().split('\n')).toEqual([
      `wgprof: skipped ${breakdown}: a breakdown result, not a profile`,
    ]);
  });

  it('refuses with exit 2 and one line when no file is a profile', () => {
    const run = runCli(['report', breakdown, '--format', 'github-benchmark']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^wgprof: error: --format github-benchmark exports a profile result's scenarios: .*breakdown\.json: a breakdown result, not a profile$/m,
    );
  });

  it('refuses several files for a format that takes one', () => {
    const run = runCli(['report', profile, profile, '--format', 'csv']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^wgprof: error: --format csv writes one result \(2 given\)/);
  });
});
