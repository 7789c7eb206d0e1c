import { describe, expect, it } from 'vitest';
import type { ReplicateSummary, ProfileResult, StrategyResult } from '../src/results/result-types.js';
import { attributeDifference, guidanceRows } from '../src/reports/guidance.js';
import { poolSweepRows } from '../src/reports/pool-sweep.js';
import { expandScenarios } from '../src/strategies/scenario.js';
import type { Summary } from '../src/statistics/index.js';

function summary(median: number, ci = 0.01): Summary {
  return {
    n: 100,
    median,
    p90: median,
    p99: median,
    mean: median,
    stdev: 0,
    cv: 0,
    mad: 0,
    min: median,
    max: median,
    medianCi: {
      low: median * (1 - ci),
      high: median * (1 + ci),
      level: 0.95,
      method: 'bootstrap-percentile',
      resamples: 0,
      exact: true,
    },
  };
}

function run(partial: Partial<StrategyResult> & Pick<StrategyResult, 'strategy' | 'label'>): StrategyResult {
  return {
    concurrency: 1,
    opsOk: 100,
    opsFailed: 0,
    opsTimedOut: 0,
    wallNs: 1e9,
    opsPerSecond: 100,
    cpuPerOpNs: 1e6,
    everyOpCold: false,
    summary: {},
    coldSummary: {},
    records: { originNs: '0', startNs: [], totalNs: [], phases: {}, cold: [], failures: [] },
    ...partial,
  };
}

const main = run({
  strategy: 'main',
  label: 'main',
  summary: { total: summary(1e6), sync: summary(5e5), kernelGpu: summary(1e5) },
});

const HARDWARE = { isFallbackAdapter: false, description: 'Apple M2' };
const LAVAPIPE = { isFallbackAdapter: false, description: 'llvmpipe (LLVM 15.0.6, 256 bits)' };

function resultOf(...runs: StrategyResult[]): ProfileResult {
  return { runs: [main, ...runs], device: HARDWARE } as unknown as ProfileResult;
}

describe('guidance', () => {
  it('turns the speed ratio into an overhead with its CI, and names the start-up share of a fresh worker', () => {
    const fresh = run({
      strategy: 'fresh',
      label: 'fresh',
      everyOpCold: true,
      vsMain: { estimate: 0.08, low: 0.07, high: 0.09, level: 0.95 },
      summary: {
        total: summary(12.5e6),
        spawn: summary(3e6),
        init: summary(6e6),
        teardown: summary(2e6),
        kernelGpu: summary(1e5),
      },
    });
    const [row] = guidanceRows(resultOf(fresh));
    expect(row?.pattern).toBe('new worker per op');
    expect(row?.overhead.estimate).toBeCloseTo(92, 9);
    expect(row?.overhead.low).toBeCloseTo(91, 9);
    expect(row?.overhead.high).toBeCloseTo(93, 9);
    // (3 + 6) / 12.5 = 72% of each op is worker start and device opening.
    expect(row?.verdict).toMatch(
      /^Avoid for per-op work: costs 92% .* 72% of each op is worker start and device opening/,
    );
  });

  it('calls an overhead whose CI includes zero no measurable overhead', () => {
    const pool = run({
      strategy: 'pool',
      label: 'pool/1',
      vsMain: { estimate: 1.02, low: 0.97, high: 1.06, level: 0.95 },
    });
    const [row] = guidanceRows(resultOf(pool));
    expect(row?.pattern).toBe('worker pool (1)');
    expect(row?.verdict).toMatch(/^No measurable overhead/);
  });

  it('calls a CI that includes zero but also large changes undecided, not fine to use', () => {
    // Three replicates that disagreed: the change's CI ran from -49% to +50%.
    const reused = run({
      strategy: 'reused',
      label: 'reused',
      handoff: 'message',
      vsMain: { estimate: 0.87, low: 0.5, high: 1.49, level: 0.95 },
    });
    const [row] = guidanceRows(resultOf(reused));
    expect(row?.verdict).toMatch(/^Undecided: the CI of the change \(-49\.0% to 50\.0%\) includes zero/);
    expect(row?.verdict).toMatch(/more --replicates/);
    expect(row?.verdict).not.toMatch(/Fine to use/);
  });

  it('names the phase that carries the difference, and flags a slower GPU', () => {
    const reused = run({
      strategy: 'reused',
      label: 'reused',
      handoff: 'message',
      vsMain: { estimate: 0.6, low: 0.55, high: 0.65, level: 0.95 },
      summary: { total: summary(1.6e6), sync: summary(6e5), handoff: summary(4e5), kernelGpu: summary(2e5) },
    });
    const [row] = guidanceRows(resultOf(reused));
    expect(row?.verdict).toMatch(/Costs 40% of main's throughput; carried by handoff \(\+/);
    expect(row?.verdict).toMatch(/2\.0x main's GPU time per op: the GPU idles between its ops/);
    // On a software GPU the likelier cause is the waiting thread's spin taking the GPU's cores.
    const [soft] = guidanceRows({ ...resultOf(reused), device: LAVAPIPE } as unknown as ProfileResult);
    expect(soft?.verdict).toMatch(/2\.0x main's GPU time per op: on a software GPU .* spin/);
  });

  it("says when a difference from main is the device's, not the dispatch path's", () => {
    // 29% slower than main, all of it in sync, most of that the kernel's own GPU time.
    const persistent = run({
      strategy: 'persistent',
      label: 'persistent',
      vsMain: { estimate: 0.71, low: 0.65, high: 0.78, level: 0.95 },
      summary: { total: summary(1.4e6), sync: summary(9e5), kernelGpu: summary(4e5) },
    });
    const attribution = attributeDifference(persistent, main);
    expect(attribution).toMatchObject({ phase: 'sync', device: true });
    expect(attribution?.ns).toBeCloseTo(4e5, 0);
    const [row] = guidanceRows(resultOf(persistent));
    expect(row?.verdict).toMatch(
      /^Costs 29% of main's throughput; carried by sync \(\+0\.40 ms per op against main's\), most of it the kernel's own GPU time \(\+0\.30 ms\)/,
    );
    expect(row?.verdict).toMatch(
      /the device ran the same kernel slower, not the dispatch path\. The GPU ran at another speed/,
    );
    const [soft] = guidanceRows({ ...resultOf(persistent), device: LAVAPIPE } as unknown as ProfileResult);
    expect(soft?.verdict).toMatch(
      /On a software GPU the GPU's threads share the cores with the thread that waits for them/,
    );
  });

  it('names the phase when a strategy is faster for its own reasons', () => {
    const pool = run({
      strategy: 'pool',
      label: 'pool/1',
      vsMain: { estimate: 1.25, low: 1.2, high: 1.3, level: 0.95 },
      summary: { total: summary(8e5), sync: summary(3e5), kernelGpu: summary(1e5) },
    });
    const [row] = guidanceRows(resultOf(pool));
    expect(row?.verdict).toMatch(
      /^25% faster than main; carried by sync \(-200 us per op against main's\)\.$/,
    );
  });
});

describe('guidance when the devices did the GPU work in different places', () => {
  it("says so when main's devices did it inside submit and the scenario's after it", () => {
    const replicates = (gpuWork: 'in-submit' | 'after-submit', n: number): ReplicateSummary[] =>
      Array.from({ length: n }, (_, round) => ({
        round,
        position: 0,
        opsOk: 10,
        medianNs: {},
        stoppedBy: 'ops' as const,
        gpuWork,
      }));
    const persistent = run({
      strategy: 'persistent',
      label: 'persistent',
      vsMain: { estimate: 0.71, low: 0.65, high: 0.78, level: 0.95 },
      summary: { total: summary(1.4e6), sync: summary(9e5), kernelGpu: summary(1e5) },
      replicates: replicates('after-submit', 3),
    });
    const inSubmitMain = { ...main, replicates: replicates('in-submit', 3) };
    const result = { runs: [inSubmitMain, persistent], device: HARDWARE } as unknown as ProfileResult;
    const [row] = guidanceRows(result);
    expect(row?.verdict).toMatch(
      /Main's devices did the GPU work inside submit\(\) and this scenario's after submit\(\)/,
    );
    // Devices that did it in the same place say nothing of it.
    const [same] = guidanceRows({
      ...result,
      runs: [inSubmitMain, { ...persistent, replicates: replicates('in-submit', 3) }],
    });
    expect(same?.verdict).not.toMatch(/did the GPU work/);
  });
});

describe("the pool sweep's Little's law check", () => {
  it('holds when throughput equals concurrency over mean latency, and flags when it does not', () => {
    const good = run({
      strategy: 'pool',
      label: 'pool/2',
      concurrency: 2,
      opsPerSecond: 2000,
      summary: { total: summary(1e6) },
    });
    const bad = run({
      strategy: 'pool',
      label: 'pool/4',
      concurrency: 4,
      opsPerSecond: 2000,
      summary: { total: summary(1e6) },
    });
    const [g, b] = poolSweepRows(resultOf(good, bad));
    expect(g?.predictedOpsPerSecond).toBeCloseTo(2000, 6);
    expect(g?.holds).toBe(true);
    expect(b?.gap).toBeCloseTo(-0.5, 9);
    expect(b?.holds).toBe(false);
  });
});

describe('scenarios', () => {
  it('expands handoff modes and pool sizes into scenarios of their own', () => {
    const labels = expandScenarios(['main', 'reused', 'pool'], ['message', 'atomics'], [1, 4]).map((s) => [
      s.label,
      s.concurrency,
    ]);
    expect(labels).toEqual([
      ['main', 1],
      ['reused/message', 1],
      ['reused/atomics', 1],
      ['pool/1', 1],
      ['pool/4', 4],
    ]);
    expect(expandScenarios(['reused'], ['atomics'], [1])[0]?.label).toBe('reused');
  });
});
