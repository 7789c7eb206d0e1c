import { describe, expect, it } from 'vitest';
import {
  coresBusy,
  CPU_OVER_CORES,
  GPU_OVER_OP,
  gpuLongerThanOp,
  MIN_WALL_COVERED,
  wallCovered,
} from '../src/quality/op-contradictions.js';
import type { ProfileResult, QualityWarning } from '../src/results/result-types.js';
import { CONTRADICTION_CODES } from '../src/results/verdict-trust.js';
import type { Summary } from '../src/statistics/index.js';
import { onlyProfileResult, runCli, tempDir } from './support/cli.js';

/**
 * An op whose figures cannot all be true (its sync returns before its GPU work ends), through
 * the real CLI on the real device: each mistake gets its warning, and every verdict measured
 * against it is marked as not to be trusted, in result.json and in the default view; wgprof's
 * own kernels and the correct examples raise none of these.
 */

const CONTRADICTIONS: readonly string[] = CONTRADICTION_CODES;

interface Run {
  readonly result: ProfileResult;
  readonly stdout: string;
}

/** A short profile, saved (its result read back as `wgprof report` reads it) and shown in the default view. */
async function profile(args: readonly string[]): Promise<Run> {
  const out = tempDir('wgprof-contradictions-');
  const run = runCli(['profile', '--time-budget', '8', '--out', out, ...args], { timeoutMs: 240_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return { result: await onlyProfileResult(out), stdout: run.stdout };
}

const contradictions = (result: ProfileResult): QualityWarning[] =>
  (result.warnings ?? []).filter((w) => CONTRADICTIONS.includes(w.code));

const scenariosWith = (result: ProfileResult, code: string): (string | undefined)[] =>
  contradictions(result)
    .filter((w) => w.code === code)
    .map((w) => w.scenario);

function expectEveryVerdictUntrusted(run: Run, codes: readonly string[]): void {
  for (const scenario of run.result.runs) {
    expect(scenario.verdictUntrusted?.codes, scenario.label).toEqual(expect.arrayContaining([...codes]));
    // Every verdict is a ratio to main: main's contradictions reach all of them.
    expect(scenario.verdictUntrusted?.scenarios, scenario.label).toContain('main');
  }
  // The default view: every scenario's verdict line says it, and the warning is shown, not counted.
  for (const scenario of run.result.runs)
    expect(run.stdout).toMatch(new RegExp(`^${scenario.label} +(baseline, )?cannot be trusted`, 'm'));
  expect(run.stdout).toMatch(/^! the op contradicts itself \(.+\): its verdicts cannot be trusted: main/m);
}

describe('an op that contradicts itself', () => {
  it('sync without await: GPU time longer than the op, submits never waited for, ops/s far below its time per op', async () => {
    const run = await profile([
      '--op',
      'test/fixtures/ops/sync-without-await.mjs',
      '--strategy',
      'main,reused,persistent',
    ]);
    const { result } = run;
    // Every scenario's ops leave their one submit unwaited: the instrumentation sees it in each.
    expect(scenariosWith(result, 'submits-not-waited')).toEqual(['main', 'reused', 'persistent']);
    for (const scenario of result.runs) expect(scenario.activity?.counts.submitsUnwaited).toBe(1);
    // On main, where an op's time is its own calls alone, its figures contradict each other too.
    expect(scenariosWith(result, 'gpu-longer-than-op')).toContain('main');
    expect(scenariosWith(result, 'rate-below-op-time')).toContain('main');
    const gpu = contradictions(result).find((w) => w.code === 'gpu-longer-than-op');
    expect(gpu?.message).toMatch(/the op returned before its GPU work ended/);
    expect(gpu?.advice).toMatch(/await queue\.onSubmittedWorkDone\(\) or the mapAsync of its output/);
    expectEveryVerdictUntrusted(run, ['submits-not-waited']);
    // Its passes are longer than the op that held them: the op's fault, not the device's timestamps.
    expect(result.warnings?.some((w) => w.code === 'timestamps-untrusted')).toBe(false);
    expect(run.stdout).not.toMatch(/timestamps can't be trusted/);
  }, 240_000);

  it('a submit after its wait: submits never waited for, alone', async () => {
    const run = await profile([
      '--op',
      'test/fixtures/ops/submit-after-wait.mjs',
      '--strategy',
      'main,persistent',
    ]);
    const { result } = run;
    expect(scenariosWith(result, 'submits-not-waited')).toEqual(['main', 'persistent']);
    for (const scenario of result.runs) {
      expect(scenario.activity?.counts.submits).toBe(2);
      expect(scenario.activity?.counts.submitsUnwaited).toBe(1);
    }
    expect(contradictions(result).find((w) => w.code === 'submits-not-waited')?.message).toMatch(
      /returned with 1 of their 2 queue submits \(median per op\) never waited for/,
    );
    expectEveryVerdictUntrusted(run, ['submits-not-waited']);
  }, 240_000);
});

describe('correct ops raise none of it', () => {
  const cases: [string, string[]][] = [
    ["wgprof's built-in kernel", []],
    ['examples/multi-pass.mjs', ['--op', 'examples/multi-pass.mjs']],
    ['examples/typegpu-compute.mjs', ['--op', 'examples/typegpu-compute.mjs']],
  ];
  for (const [name, args] of cases)
    it(`${name}, under every strategy`, async () => {
      const { result, stdout } = await profile(args);
      expect(result.runs.length).toBe(5);
      expect(contradictions(result)).toEqual([]);
      for (const scenario of result.runs) {
        expect(scenario.verdictUntrusted, scenario.label).toBeUndefined();
        if (args.length > 0) expect(scenario.activity?.counts.submitsUnwaited, scenario.label).toBe(0);
      }
      expect(stdout).not.toMatch(/cannot be trusted|contradicts itself/);
    }, 240_000);
});

describe('the thresholds', () => {
  const summary = (median: number, low: number, high: number): Summary => ({
    ...({} as Summary),
    n: 30,
    median,
    medianCi: { low, high, level: 0.95, method: 'bootstrap-percentile', resamples: 0, exact: true },
  });

  it('a GPU time is longer than the op only beyond GPU_OVER_OP times the op, beyond both CIs', () => {
    expect(GPU_OVER_OP).toBe(2);
    const op = summary(100, 90, 110);
    expect(gpuLongerThanOp(summary(300, 221, 400), op)).toBe(true);
    expect(gpuLongerThanOp(summary(300, 220, 400), op)).toBe(false);
    expect(gpuLongerThanOp(summary(95, 90, 100), op)).toBe(false);
  });

  it('the share of the wall time inside the ops is ops/s times the mean op, per op in flight', () => {
    expect(wallCovered(1000, 1e6, 1)).toBeCloseTo(1, 12);
    expect(wallCovered(442, 90_200, 1)).toBeCloseTo(0.039_868_4, 6);
    expect(wallCovered(4000, 1e6, 4)).toBeCloseTo(1, 12);
    expect(MIN_WALL_COVERED).toBe(0.5);
  });

  it("the cores a process kept busy are CPU per op times ops/s; beyond CPU_OVER_CORES times the machine's, it cannot be", () => {
    expect(coresBusy(2e6, 1000)).toBeCloseTo(2, 12);
    expect(coresBusy(317e6, 5.85)).toBeCloseTo(1.854_45, 5);
    expect(CPU_OVER_CORES).toBe(1.5);
  });
});
