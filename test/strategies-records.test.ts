import { beforeAll, describe, expect, it } from 'vitest';
import type { Phase } from '../src/op/phases.js';
import type { ProfileResult, StrategyResult } from '../src/results/result-types.js';
import { validateResult } from '../src/results/validate-result.js';
import { EXACT_WARMUP, runCli, type CliRun } from './support/cli.js';

// 20 ops per replicate: at least 10 on one thread of pool/2, and any 10 ops in a row hold timed
// and untimed ones wherever the blocks of 8 (--gpu-time sample) fall.
const OPS = 60;

function profileJson(
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): { run: CliRun; result: ProfileResult } {
  const run = runCli(
    [
      'profile',
      '--kernel',
      'noop',
      '--size',
      '1K',
      '--warmup',
      '3',
      ...EXACT_WARMUP,
      '--json',
      '--no-save',
      ...args,
    ],
    env ? { env } : {},
  );
  expect(run.status, run.stderr).toBe(0);
  return { run, result: JSON.parse(run.stdout) as ProfileResult };
}

function runOf(result: ProfileResult, label: string): StrategyResult {
  const run = result.runs.find((r) => r.label === label);
  if (!run) throw new Error(`no run labelled ${label}: ${result.runs.map((r) => r.label).join(', ')}`);
  return run;
}

const SEQUENTIAL_OUT: readonly Phase[] = ['kernelGpu'];

describe('every strategy on the real device', () => {
  let result: ProfileResult;
  beforeAll(() => {
    result = profileJson([
      '--strategy',
      'all',
      '--ops',
      String(OPS),
      '--pool-size',
      '1,2',
      '--handoff',
      'message,atomics',
    ]).result;
  });

  it('runs every scenario, in replicates, to the fixed op count, and the result validates', () => {
    expect(result.runs.map((r) => r.label)).toEqual([
      'main',
      'fresh',
      'reused/message',
      'reused/atomics',
      'pool/1',
      'pool/2',
      'persistent',
    ]);
    for (const run of result.runs) {
      expect(run.opsOk, run.label).toBe(OPS);
      expect(run.opsFailed + run.opsTimedOut).toBe(0);
    }
    // Three replicates (the default), each a measuring process of its own per scenario.
    expect(result.rounds).toMatchObject({ stoppedBy: 'ops', count: 3 });
    expect(result.isolation).toMatchObject({ replicates: 3, processes: 3 * result.runs.length, probeOps: 8 });
    for (const run of result.runs) {
      expect(
        run.replicates?.map((r) => r.round),
        run.label,
      ).toEqual([0, 1, 2]);
      expect(
        run.replicates?.map((r) => r.opsOk),
        run.label,
      ).toEqual([OPS / 3, OPS / 3, OPS / 3]);
      // Every op is marked with the replicate that measured it.
      expect(run.records.replicate?.length, run.label).toBe(run.records.totalNs.length);
    }
    const validation = validateResult(result);
    expect(validation.ok ? 'ok' : validation.problem).toBe('ok');
  });

  it('records the phases each strategy has, and only those', () => {
    const core: Phase[] = ['creation', 'kernelCpu', 'kernelGpu', 'sync'];
    const expected: Record<string, Phase[]> = {
      main: core,
      fresh: ['spawn', 'init', ...core, 'handoff', 'teardown'],
      'reused/message': ['spawn', 'init', ...core, 'handoff'],
      'reused/atomics': ['spawn', 'init', ...core, 'handoff'],
      'pool/1': ['init', ...core, 'handoff'],
      'pool/2': ['init', ...core, 'handoff'],
      persistent: ['spawn', 'init', ...core],
    };
    for (const [label, phases] of Object.entries(expected)) {
      expect(Object.keys(runOf(result, label).records.phases), label).toEqual(phases);
    }
  });

  it('keeps the first op of each worker apart, with its spawn and init', () => {
    // Each replicate's process has its own device and workers, so its own cold op: the first of
    // its OPS / 3 steady ops and one cold one.
    const firsts = [0, 1, 2].map((r) => r * (OPS / 3 + 1));
    expect(runOf(result, 'main').records.cold).toEqual(firsts);
    expect(runOf(result, 'fresh').everyOpCold).toBe(true);
    expect(runOf(result, 'fresh').records.cold).toHaveLength(OPS);
    expect(runOf(result, 'pool/2').records.cold).toHaveLength(2 * 3);
    for (const label of ['reused/message', 'reused/atomics', 'persistent']) {
      const run = runOf(result, label);
      expect(run.records.cold, label).toEqual(firsts);
      expect(run.records.phases.spawn?.[0], label).toBeGreaterThan(0);
      expect(run.records.phases.init?.[0], label).toBeGreaterThan(0);
      // Warm ops have no spawn or init of their own.
      expect(run.records.phases.spawn?.[1], label).toBeNull();
      expect(run.coldSummary.total?.median, label).toBeGreaterThan(run.summary.total?.median ?? Infinity);
    }
  });

  it('puts every record on one time line, in order, with its phases inside its total', () => {
    const origins = new Set(result.runs.map((r) => r.records.originNs));
    expect(origins.size).toBe(1);
    for (const run of result.runs) {
      const { startNs, totalNs, phases } = run.records;
      for (let i = 0; i < startNs.length; i++) {
        const total = totalNs[i] ?? NaN;
        let sum = 0;
        for (const [phase, values] of Object.entries(phases) as [Phase, (number | null)[]][]) {
          if (!SEQUENTIAL_OUT.includes(phase)) sum += values[i] ?? 0;
        }
        // Phases lie end to end inside the op: their sum never exceeds it (1 us of clock slack).
        expect(sum, `${run.label} op ${i}`).toBeLessThanOrEqual(total + 1000);
        expect(startNs[i]).toBeGreaterThan(0);
        // One op at a time: each starts after the previous one ended (not so for a pool of 2).
        if (i > 0 && run.concurrency === 1 && !run.records.cold.includes(i)) {
          expect(startNs[i], `${run.label} op ${i}`).toBeGreaterThanOrEqual(
            (startNs[i - 1] ?? 0) + (totalNs[i - 1] ?? 0),
          );
        }
      }
    }
    // The pool of two really had two ops in flight: some ops overlap.
    const pool = runOf(result, 'pool/2').records;
    const overlaps = pool.startNs.some(
      (s, i) => i > 0 && s < (pool.startNs[i - 1] ?? 0) + (pool.totalNs[i - 1] ?? 0),
    );
    expect(overlaps).toBe(true);
  });

  it('measures GPU time in every thread', () => {
    for (const run of result.runs) expect(run.summary.kernelGpu?.median, run.label).toBeGreaterThan(0);
  });

  it('shows the seed: a fresh worker per op is many times slower than main', () => {
    const main = runOf(result, 'main').summary.total?.median ?? NaN;
    const fresh = runOf(result, 'fresh').summary.total?.median ?? NaN;
    expect(fresh).toBeGreaterThan(5 * main);
    expect(runOf(result, 'fresh').vsMain?.estimate).toBeLessThan(0.2);
  });
});

describe('faults in workers', () => {
  const faultRun = (fault: string, strategy: string, extra: string[] = []): ProfileResult =>
    profileJson(['--strategy', strategy, '--ops', '8', '--replicates', '1', '--op-timeout', '2s', ...extra], {
      WGPROF_INJECT_FAULT: fault,
    }).result;

  it('an op that throws is recorded as failed with its message, and the run goes on', () => {
    const result = faultRun('throw@6', 'reused,pool', ['--handoff', 'message,atomics']);
    for (const run of result.runs) {
      expect(run.opsFailed, run.label).toBeGreaterThanOrEqual(1);
      expect(run.records.failures[0]?.message).toMatch(/injected fault: op 6 throws/);
      expect(run.opsOk + run.opsFailed).toBe(8);
    }
  });

  it('a worker that crashes fails its op, is replaced, and the run goes on', () => {
    const result = faultRun('crash@6', 'reused', ['--handoff', 'message,atomics']);
    for (const run of result.runs) {
      expect(run.records.failures[0]?.message, run.label).toMatch(/worker crashed: injected fault/);
      // A replacement worker ran ops after the crash.
      expect(run.opsOk, run.label).toBeGreaterThan(0);
      expect(run.records.cold.length, run.label).toBeGreaterThan(1);
    }
  });

  it('an op that hangs is recorded as timed out, the worker abandoned, and the process still exits', () => {
    const started = Date.now();
    const result = faultRun('hang@6', 'reused,pool');
    for (const run of result.runs) {
      expect(run.opsTimedOut, run.label).toBeGreaterThanOrEqual(1);
      expect(run.records.failures.find((f) => f.status === 'timeout')?.message).toMatch(/within 2000 ms/);
    }
    expect(runOf(result, 'reused').opsOk).toBeGreaterThan(0);
    // Generous: the timeouts themselves take seconds; a process held open by a stuck worker would not end.
    expect(Date.now() - started).toBeLessThan(90_000);
  });
});
