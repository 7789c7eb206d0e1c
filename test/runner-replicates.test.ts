import { describe, expect, it } from 'vitest';
import { interferenceOf, type Probe } from '../src/quality/interference.js';
import { isolationWarnings } from '../src/quality/isolation-warnings.js';
import { poolReplicates, replicateAgreement, type ReplicateEntry } from '../src/runner/pool-replicates.js';
import { extraRoundFits, isSettled, nextProcessMs, orderOf } from '../src/runner/replicated-profile.js';
import { couldSettle } from '../src/measurement/versus-main.js';
import type { ProfileResult, QualityWarning, StrategyResult } from '../src/results/result-types.js';
import {
  gpuWorkPlacement,
  usualPlacement,
  type GpuWorkPlacement,
} from '../src/measurement/gpu-work-placement.js';
import { createRng, summarize } from '../src/statistics/index.js';
import type { ReplicateRun } from '../src/runner/protocol.js';

/** A stored run of `totals` (ns), with creation a tenth of each, as a measuring process would send it. */
function storedRun(
  label: string,
  totals: number[],
  origin: bigint,
  options: { cold?: number[]; failed?: number[] } = {},
): StrategyResult {
  const creation = totals.map((t) => t / 10);
  const failed = new Set(options.failed ?? []);
  const ok = totals.filter((_, i) => !failed.has(i) && !(options.cold ?? []).includes(i));
  return {
    strategy: label === 'main' ? 'main' : 'persistent',
    label,
    concurrency: 1,
    opsOk: totals.length - failed.size,
    opsFailed: failed.size,
    opsTimedOut: 0,
    wallNs: totals.reduce((a, b) => a + b, 0),
    opsPerSecond: 0,
    cpuPerOpNs: 100,
    everyOpCold: false,
    summary: { total: summarize(ok), creation: summarize(ok.map((t) => t / 10)) },
    coldSummary: {},
    records: {
      originNs: origin.toString(),
      startNs: totals.map((_, i) => i * 1000),
      totalNs: totals,
      phases: { creation },
      cold: options.cold ?? [],
      failures: [...failed].map((index) => ({ index, status: 'failed' as const, message: 'x' })),
    },
  };
}

function entry(
  round: number,
  run: StrategyResult,
  origin: bigint,
  probeNs?: number,
  after?: string,
): ReplicateEntry {
  const measured = {
    run,
    rounds: { rounds: 1, stoppedBy: 'ops', elapsedMs: 1 },
    start: { ms: 1, warmup: { ops: 20, cutShort: false } },
    ...(probeNs === undefined ? {} : { probe: { ops: 8, medianNs: probeNs } }),
  } as unknown as ReplicateRun;
  return { round, position: 0, originNs: origin, measured, ...(after ? { after } : {}) };
}

const around = (rng: ReturnType<typeof createRng>, n: number, centre: number, sd: number): number[] =>
  Array.from({ length: n }, () => centre + sd * rng.nextNormal());

describe('pooling replicates', () => {
  const rng = createRng(7);
  const origin = 1_000_000n;
  const main = [0, 1, 2].map((r) =>
    entry(r, storedRun('main', around(rng, 40, 100_000, 2000), origin + BigInt(r) * 10_000_000n), origin),
  );
  const other = [0, 1, 2].map((r) =>
    entry(
      r,
      storedRun('persistent', around(rng, 40, 50_000, 1000), origin + BigInt(r) * 10_000_000n + 5_000_000n, {
        cold: [0],
        failed: [3],
      }),
      origin,
    ),
  );
  const pooled = poolReplicates(other, main, origin, 0.02);

  it("keeps every replicate's records, on the run's clock, with indices moved along", () => {
    expect(pooled.records.totalNs).toHaveLength(120);
    expect(pooled.records.replicate?.slice(38, 42)).toEqual([0, 0, 1, 1]);
    // The second replicate's process started 15 ms after the run's origin.
    expect(pooled.records.startNs[40]).toBe(15_000_000);
    expect(pooled.records.cold).toEqual([0, 40, 80]);
    expect(pooled.records.failures.map((f) => f.index)).toEqual([3, 43, 83]);
    expect(pooled.records.phases.creation).toHaveLength(120);
    expect(pooled.opsOk).toBe(117);
  });

  it('pools the medians, with a CI that resamples replicates, and pairs vs main by round', () => {
    expect(pooled.summary.total?.median).toBeGreaterThan(48_000);
    expect(pooled.summary.total?.median).toBeLessThan(52_000);
    expect(pooled.summary.total?.medianCi.method).toBe('hierarchical-bootstrap-percentile');
    expect(pooled.vsMain?.estimate).toBeGreaterThan(1.9);
    expect(pooled.vsMain?.estimate).toBeLessThan(2.1);
    expect(pooled.replicates).toHaveLength(3);
    expect(pooled.replicates?.every((r) => (r.vsMain?.estimate ?? 0) > 1.8)).toBe(true);
    expect(pooled.replicateAgreement?.agree).toBe(true);
  });

  it('gives vs main a rerun interval around the CI, with two replicates or more and not with one', () => {
    const v = pooled.vsMain;
    const rerun = v?.rerun;
    expect(rerun?.low).toBeLessThan(v?.low ?? 0);
    expect(rerun?.high).toBeGreaterThan(v?.high ?? Infinity);
    const one = poolReplicates(other.slice(0, 1), main.slice(0, 1), origin, 0.02);
    expect(one.vsMain?.estimate).toBeGreaterThan(1.8);
    expect(one.vsMain?.rerun).toBeUndefined();
  });

  it('says so when replicates disagree beyond their own CIs, and not when they are within the band', () => {
    const slow = {
      round: 0,
      position: 0,
      opsOk: 40,
      medianNs: { total: 150 },
      totalCi: { low: 145, high: 155 },
      stoppedBy: 'ops' as const,
    };
    const fast = { ...slow, round: 1, medianNs: { total: 100 }, totalCi: { low: 98, high: 102 } };
    expect(replicateAgreement([slow, fast], 0.02)).toEqual({ agree: false, spread: 0.5 });
    const near = { ...fast, medianNs: { total: 146 }, totalCi: { low: 144, high: 144.9 } };
    expect(replicateAgreement([slow, near], 0.05).agree).toBe(true);
  });
});

describe('a round past --replicates', () => {
  // Made-up timings: two replicates of 40 and 60 ops in 400 and 600 ms, starts of 300 and 450 ms.
  const timed = (ops: number, elapsedMs: number, startMs: number): ReplicateEntry => {
    const base = entry(
      0,
      storedRun(
        'persistent',
        Array.from({ length: ops }, () => 10_000_000),
        0n,
      ),
      0n,
    );
    return {
      ...base,
      measured: {
        ...base.measured,
        rounds: { ...base.measured.rounds, elapsedMs },
        start: { ...base.measured.start, ms: startMs },
      },
    };
  };

  it("costs a process's overhead, the longest start, and the minimum ops at the pace so far", () => {
    const own = [timed(40, 400, 300), timed(60, 600, 450)];
    // 10 ms an op over both: 700 + 450 + 10 x 10.
    expect(nextProcessMs(own, 700, 10)).toBe(1250);
    expect(nextProcessMs([], 700, 10)).toBe(700);
  });

  it('starts only when every process of it fits in the time left', () => {
    expect(extraRoundFits(5000, [1250, 1250, 2000])).toBe(true);
    expect(extraRoundFits(4000, [1250, 1250, 2000])).toBe(false);
    expect(extraRoundFits(0, [])).toBe(true);
  });
});

describe('the order of each round', () => {
  it('visits every scenario once a round, and changes who follows whom from round to round', () => {
    const five = ['main', 'fresh', 'reused', 'pool/1', 'persistent'];
    const rounds = [0, 1, 2].map((r) => orderOf(five, r));
    for (const order of rounds) expect([...order].sort()).toEqual([...five].sort());
    const followers = (order: string[]): string[] => order.slice(1).map((s, i) => `${order[i] ?? ''}>${s}`);
    const pairs = rounds.flatMap(followers);
    // 12 successions in three rounds, none repeated: each scenario is followed by three others.
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(orderOf(['a', 'b'], 1)).toEqual(['b', 'a']);
    expect(orderOf(['a'], 3)).toEqual(['a']);
  });
});

describe('the stopping rule of the replicated schedule', () => {
  const speed = (estimate: number, low: number, high: number) => ({ estimate, low, high, level: 0.95 });
  it("settles a scenario on a vs-main CI within one verdict's region: faster, fine (inside the band), costs, avoid", () => {
    const wide = { median: 100, low: 80, high: 120 };
    // Faster than main by 10-30%; inside the band; costs 10-30%; avoid (loses 55-70%).
    expect(isSettled(wide, speed(1.2, 1.1, 1.3), 0.02)).toBe(true);
    expect(isSettled(wide, speed(1, 0.97, 1.03), 0.02)).toBe(true);
    expect(isSettled(wide, speed(0.8, 0.7, 0.9), 0.02)).toBe(true);
    expect(isSettled(wide, speed(0.4, 0.3, 0.45), 0.02)).toBe(true);
    // Straddling the band's edge, or avoid's: more ops could change the word.
    expect(isSettled(wide, speed(1, 0.9, 1.1), 0.02)).toBe(false);
    expect(isSettled(wide, speed(0.5, 0.4, 0.6), 0.02)).toBe(false);
    // A fresh worker per op: avoid anywhere past the band.
    expect(isSettled(wide, speed(0.5, 0.4, 0.6), 0.02, true)).toBe(true);
    // A precise median does not settle a verdict that is not.
    expect(isSettled({ median: 100, low: 99, high: 101 }, speed(1, 0.9, 1.1), 0.02)).toBe(false);
  });

  it('gives up on a verdict that the rounds left cannot settle, and not on one they can', () => {
    // 0.92x [0.81, 1.13] over 3 replicates: it loses 8% of main's throughput, 3% past the band's
    // edge, and its CI reaches 21% the other way; six more replicates shrink that by sqrt(3/9) to
    // 12%: still across the edge.
    expect(couldSettle(speed(0.92, 0.81, 1.13), 3, 6, false)).toBe(false);
    // 0.85x [0.75, 0.97]: three more shrink its reach by sqrt(3/6), to 0.935x at most: "costs".
    expect(couldSettle(speed(0.85, 0.75, 0.97), 3, 3, false)).toBe(true);
    expect(couldSettle(speed(0.85, 0.75, 0.97), 3, 0, false)).toBe(false);
    // 0.7x [0.6, 0.8] is settled already; no round left settles nothing new.
    expect(couldSettle(speed(0.7, 0.6, 0.8), 3, 0, false)).toBe(true);
    expect(couldSettle(speed(0.92, 0.81, 1.13), 3, 0, false)).toBe(false);
  });

  it('settles a scenario with no main beside it (or main alone) on its median known to --max-noise', () => {
    expect(isSettled({ median: 100, low: 99, high: 101 }, undefined, 0.02)).toBe(true);
    expect(isSettled({ median: 100, low: 80, high: 120 }, undefined, 0.02)).toBe(false);
    expect(isSettled(undefined, undefined, 0.02)).toBe(false);
  });
});

describe('the interference probe', () => {
  it('compares the probes after each scenario with every other probe', () => {
    const found = interferenceOf([
      { medianNs: 100 },
      { after: 'main', medianNs: 101 },
      { after: 'fresh', medianNs: 150 },
      { after: 'reused', medianNs: 99 },
      { after: 'fresh', medianNs: 140 },
    ]);
    const fresh = found.find((f) => f.after === 'fresh');
    expect(fresh?.probes).toBe(2);
    expect(fresh?.change).toBeCloseTo(145 / 100 - 1, 5);
    expect(found.find((f) => f.after === 'main')?.change).toBeLessThan(0.1);
    expect(fresh?.lowestNs).toBe(140);
  });

  it('warns only of a slowdown past the threshold that every probe after the scenario shows', () => {
    const warned = (probes: Probe[]): string[] => {
      const result = {
        config: { maxNoise: 0.02 },
        device: { description: 'test', isFallbackAdapter: false },
        runs: [],
        isolation: {
          replicates: 3,
          processes: probes.length,
          probeOps: 8,
          interference: interferenceOf(probes),
        },
      } as unknown as ProfileResult;
      return isolationWarnings(result).map((w) => `${w.code} ${w.scenario ?? ''}`);
    };
    const others: Probe[] = [
      { medianNs: 100 },
      { after: 'main', medianNs: 101 },
      { after: 'reused', medianNs: 99 },
    ];
    // Both probes after fresh are 40-50% slower: interference.
    expect(warned([...others, { after: 'fresh', medianNs: 150 }, { after: 'fresh', medianNs: 140 }])).toEqual(
      ['interference fresh'],
    );
    // One slow device among them is not: the other probe after fresh was as fast as the rest.
    expect(warned([...others, { after: 'fresh', medianNs: 200 }, { after: 'fresh', medianNs: 98 }])).toEqual(
      [],
    );
    // Nor is a single probe, however slow.
    expect(warned([...others, { after: 'fresh', medianNs: 200 }])).toEqual([]);
    // Nor probes above the others' median but within their spread: processes' speeds vary.
    const spread: Probe[] = [
      { medianNs: 200 },
      { after: 'main', medianNs: 230 },
      { after: 'reused', medianNs: 240 },
      { after: 'pool/1', medianNs: 330 },
      { after: 'persistent', medianNs: 340 },
      { after: 'main', medianNs: 220 },
    ];
    expect(warned([...spread, { after: 'fresh', medianNs: 300 }, { after: 'fresh', medianNs: 310 }])).toEqual(
      [],
    );
    expect(warned([...spread, { after: 'fresh', medianNs: 400 }, { after: 'fresh', medianNs: 420 }])).toEqual(
      ['interference fresh'],
    );
  });
});

describe('where a device did the GPU work', () => {
  it('is inside submit when the wait is under half the GPU time, else after it', () => {
    // Medians seen on lavapipe for one 1K scale kernel: two devices of one program.
    expect(gpuWorkPlacement({ kernelGpu: 21_200, sync: 7_800 })).toBe('in-submit');
    expect(gpuWorkPlacement({ kernelGpu: 26_400, sync: 66_300 })).toBe('after-submit');
    expect(gpuWorkPlacement({ sync: 7_800 })).toBeUndefined();
    expect(gpuWorkPlacement({ kernelGpu: 0, sync: 7_800 })).toBeUndefined();
    expect(usualPlacement(['in-submit', 'after-submit', 'after-submit'])).toBe('after-submit');
    expect(usualPlacement(['in-submit', undefined])).toBe('in-submit');
    expect(usualPlacement(['in-submit', 'after-submit'])).toBeUndefined();
  });

  it('warns, naming each replicate, when the replicates did it in different places', () => {
    const withPlaces = (label: string, places: (GpuWorkPlacement | undefined)[]): StrategyResult =>
      ({
        label,
        replicates: places.map((gpuWork, round) => ({ round, ...(gpuWork ? { gpuWork } : {}) })),
      }) as unknown as StrategyResult;
    const warned = (runs: StrategyResult[]): QualityWarning[] =>
      isolationWarnings({
        config: { maxNoise: 0.02 },
        device: { description: 'test', isFallbackAdapter: false },
        runs,
      } as unknown as ProfileResult).filter((w) => w.code === 'gpu-work-placement');
    expect(warned([withPlaces('main', ['after-submit', 'after-submit'])])).toEqual([]);
    const found = warned([
      withPlaces('main', ['in-submit', 'after-submit', 'after-submit']),
      withPlaces('persistent', ['after-submit', 'after-submit', undefined]),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain('main: in submit, after, after; persistent: after, after, ?');
  });
});
