import { describe, expect, it } from 'vitest';
import { steadySamples } from '../src/results/steady-samples.js';
import {
  compareResults,
  geometricMeanChange,
  verdictOf,
  type Comparison,
  type MetricComparison,
} from '../src/compare/compare-results.js';
import { compareRunSets, welch } from '../src/compare/compare-run-sets.js';
import { formatChange, renderCompare } from '../src/compare/render-compare.js';
import type { DeviceInfo } from '../src/device/device-info.js';
import type { Phase } from '../src/op/phases.js';
import type { Environment } from '../src/results/environment.js';
import type { ProfileResult, StrategyResult } from '../src/results/result-types.js';
import { createRng, summarize } from '../src/statistics/index.js';

const ENVIRONMENT: Environment = {
  os: { platform: 'linux', type: 'Linux', release: '6.18.44', version: '#1', arch: 'x64' },
  cpu: { model: 'Test CPU', cores: 2 },
  memoryBytes: 8 * 1024 ** 3,
  node: 'v20.20.2',
  webgpu: '0.6.2',
  wgprof: '0.1.0',
  timer: { clock: 'process.hrtime.bigint', resolutionNs: 60, costNs: 70 },
};

const DEVICE = {
  backend: 'vulkan',
  featureLevel: 'core',
  vendor: 'mesa',
  architecture: 'software',
  device: 'llvmpipe',
  description: 'llvmpipe: Mesa 25.0.7',
  isFallbackAdapter: true,
  noRealGpuWork: false,
  adapterFeatures: [],
  deviceFeatures: [],
  timestamps: true,
  timestampQuantizationDisabled: true,
  limits: {},
} as unknown as DeviceInfo;

/** n lognormal-ish op times around `medianNs` (spread `sigma` in log space), from a seeded stream. */
function times(seed: number, n = 300, medianNs = 100_000, sigma = 0.1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => medianNs * Math.exp(sigma * rng.nextNormal()));
}

interface Columns {
  readonly total: readonly (number | null)[];
  readonly phases?: Partial<Record<Phase, readonly (number | null)[]>>;
}

function fakeRun(
  label: string,
  columns: Columns,
  extra: Partial<Pick<StrategyResult, 'everyOpCold'>> & {
    cold?: number[];
    failures?: StrategyResult['records']['failures'];
  } = {},
): StrategyResult {
  const present = (values: readonly (number | null)[]): number[] =>
    values.filter((v): v is number => v !== null);
  const summary: StrategyResult['summary'] = { total: summarize(present(columns.total), { resamples: 10 }) };
  for (const [phase, values] of Object.entries(columns.phases ?? {}))
    summary[phase as Phase] = summarize(present(values), { resamples: 10 });
  return {
    strategy: label.split('/')[0] ?? label,
    label,
    concurrency: 1,
    opsOk: columns.total.length,
    opsFailed: 0,
    opsTimedOut: 0,
    wallNs: 1e9,
    opsPerSecond: 100,
    cpuPerOpNs: 1e6,
    everyOpCold: extra.everyOpCold ?? false,
    summary,
    coldSummary: {},
    records: {
      originNs: '0',
      startNs: columns.total.map((_, i) => i * 1000),
      totalNs: [...columns.total],
      phases: Object.fromEntries(Object.entries(columns.phases ?? {}).map(([k, v]) => [k, [...v]])),
      cold: extra.cold ?? [],
      failures: extra.failures ?? [],
    },
  };
}

function fakeResult(
  runs: StrategyResult[],
  overrides: { device?: Partial<DeviceInfo>; cpu?: string; kernel?: string } = {},
): ProfileResult {
  return {
    schema: 'wgprof-result',
    version: 1,
    kind: 'profile',
    createdAt: '2026-11-24T13:00:00.000Z',
    command: ['wgprof', 'profile'],
    environment: overrides.cpu ? { ...ENVIRONMENT, cpu: { model: overrides.cpu, cores: 8 } } : ENVIRONMENT,
    device: { ...DEVICE, ...overrides.device },
    config: {
      strategies: ['main'],
      handoffs: ['message'],
      poolSizes: [1],
      kernel: overrides.kernel ?? 'noop',
      dtype: 'f32',
      size: 1024,
      maxNoise: 0.02,
      timeBudgetMs: 60_000,
      opTimeoutMs: 30_000,
      chunk: 20,
      warmup: 20,
      create: 'writeBuffer',
      readback: false,
      backend: 'auto',
      quantizeTimestamps: false,
    },
    nativeMessages: [],
    rounds: { count: 1, stoppedBy: 'ops', elapsedMs: 1000 },
    runs,
  };
}

const scaled = (values: readonly number[], factor: number): number[] => values.map((v) => v * factor);

/** One scenario "main" with a total and a sync phase (sync = 60% of the total). */
function single(total: readonly number[]): ProfileResult {
  return fakeResult([fakeRun('main', { total, phases: { sync: scaled(total, 0.6) } })]);
}

function metric(comparison: Comparison, label: string, key: string): MetricComparison {
  const found = comparison.scenarios.find((s) => s.label === label)?.metrics.find((m) => m.key === key);
  if (!found) throw new Error(`no ${label} ${key} in the comparison`);
  return found;
}

describe('verdictOf', () => {
  const t = 0.05;
  it('needs the whole CI beyond the threshold and a significant test', () => {
    expect(verdictOf({ low: 0.06, high: 0.09 }, 0.001, t, 0.05)).toBe('regression');
    expect(verdictOf({ low: -0.09, high: -0.06 }, 0.001, t, 0.05)).toBe('improvement');
    expect(verdictOf({ low: 0.06, high: 0.09 }, 0.2, t, 0.05)).toBe('ambiguous');
    expect(verdictOf({ low: -0.09, high: -0.06 }, 0.06, t, 0.05)).toBe('ambiguous');
  });
  it('calls a CI across either threshold ambiguous, significant or not', () => {
    expect(verdictOf({ low: 0.02, high: 0.08 }, 0.001, t, 0.05)).toBe('ambiguous');
    expect(verdictOf({ low: -0.08, high: -0.02 }, 0.5, t, 0.05)).toBe('ambiguous');
    expect(verdictOf({ low: -0.2, high: 0.2 }, 0.9, t, 0.05)).toBe('ambiguous');
  });
  it('calls a CI inside the threshold unchanged, even when significant', () => {
    expect(verdictOf({ low: 0.01, high: 0.03 }, 0.001, t, 0.05)).toBe('unchanged');
    expect(verdictOf({ low: -0.04, high: 0.04 }, 0.9, t, 0.05)).toBe('unchanged');
  });
});

describe('compareResults on synthetic runs', () => {
  const base = times(1);

  it('calls a 20% slowdown a regression at a 5% threshold', () => {
    const comparison = compareResults(single(base), single(scaled(times(2), 1.2)), { threshold: 0.05 });
    const total = metric(comparison, 'main', 'total');
    expect(total.change).toBeGreaterThan(0.15);
    expect(total.change).toBeLessThan(0.25);
    expect(total.changeCi.low).toBeGreaterThan(0.05);
    expect(total.changeCi.low).toBeLessThan(total.change);
    expect(total.changeCi.high).toBeGreaterThan(total.change);
    expect(total.pValue).toBeLessThan(1e-6);
    expect(total.z).toBeGreaterThan(0);
    expect(total.verdict).toBe('regression');
    expect(metric(comparison, 'main', 'sync').verdict).toBe('regression');
    expect(comparison.counts).toEqual({ regression: 2, improvement: 0, ambiguous: 0, unchanged: 0 });
    expect(total.baseN).toBe(300);
    expect(total.baseMedianNs).toBeCloseTo(summarize(base).median, 6);
  });

  it('calls a 20% speed-up an improvement', () => {
    const comparison = compareResults(single(base), single(scaled(times(2), 1 / 1.2)), { threshold: 0.05 });
    const total = metric(comparison, 'main', 'total');
    expect(total.changeCi.high).toBeLessThan(-0.05);
    expect(total.z).toBeLessThan(0);
    expect(total.verdict).toBe('improvement');
  });

  it('does not call a 2% slowdown a regression at a 5% threshold', () => {
    const comparison = compareResults(single(base), single(scaled(times(2), 1.02)), { threshold: 0.05 });
    const total = metric(comparison, 'main', 'total');
    expect(['unchanged', 'ambiguous']).toContain(total.verdict);
    expect(comparison.counts.regression).toBe(0);
  });

  it('calls a 5% slowdown, right on the threshold, ambiguous', () => {
    const comparison = compareResults(single(base), single(scaled(times(2), 1.05)), { threshold: 0.05 });
    const total = metric(comparison, 'main', 'total');
    expect(total.changeCi.low).toBeLessThan(0.05);
    expect(total.changeCi.high).toBeGreaterThan(0.05);
    expect(total.verdict).toBe('ambiguous');
  });

  it('finds no change between identical data', () => {
    const comparison = compareResults(single(base), single(base), { threshold: 0.05 });
    for (const m of comparison.scenarios[0]?.metrics ?? []) {
      expect(m.change).toBe(0);
      expect(m.pValue).toBe(1);
      expect(m.changeCi.low).toBeLessThanOrEqual(0);
      expect(m.changeCi.high).toBeGreaterThanOrEqual(0);
      expect(m.verdict).toBe('unchanged');
    }
    expect(comparison.counts.regression).toBe(0);
    expect(comparison.crossDevice).toBe(false);
    expect(comparison.crossMachine).toBe(false);
    expect(comparison.geometricMean?.change).toBe(0);
  });

  it('is deterministic: the same inputs give the same comparison', () => {
    const a = compareResults(single(base), single(times(3)), { threshold: 0.05 });
    const b = compareResults(single(base), single(times(3)), { threshold: 0.05 });
    expect(b).toEqual(a);
  });

  it('takes only steady-state ok ops, unless every op is cold', () => {
    const total = [50e6, ...base.slice(1)];
    total[7] = 90e6;
    const run = fakeRun(
      'reused',
      { total, phases: { sync: total.map((v, i) => (i === 3 ? null : v)) } },
      { cold: [0], failures: [{ index: 7, status: 'failed', message: 'boom' }] },
    );
    expect(steadySamples(run, 'total')).toHaveLength(298);
    expect(Math.max(...steadySamples(run, 'total'))).toBeLessThan(50e6);
    expect(steadySamples(run, 'sync')).toHaveLength(297);
    expect(steadySamples(run, 'kernelGpu')).toEqual([]);
    const fresh = fakeRun('fresh', { total }, { everyOpCold: true, cold: total.map((_, i) => i) });
    expect(steadySamples(fresh, 'total')).toHaveLength(300);
  });

  it('matches scenarios by label and skips what only one side has, and the leftover', () => {
    const baseResult = fakeResult([fakeRun('main', { total: base }), fakeRun('pool/1', { total: base })]);
    const nextResult = fakeResult([
      fakeRun('pool/1', { total: base, phases: { handoff: base } }),
      fakeRun('main', { total: base }),
      fakeRun('pool/2', { total: base }),
    ]);
    const comparison = compareResults(baseResult, nextResult, { threshold: 0.05 });
    expect(comparison.scenarios.map((s) => s.label)).toEqual(['main', 'pool/1']);
    expect(comparison.scenarios[1]?.metrics.map((m) => m.key)).toEqual(['total']);
    expect(comparison.onlyInBase).toEqual([]);
    expect(comparison.onlyInNew).toEqual(['pool/2']);
  });

  it('skips a phase whose base median is 0 (quantized timestamps), saying why', () => {
    const zeros = base.map(() => 0);
    const run = fakeRun('main', { total: base, phases: { kernelGpu: zeros } });
    const comparison = compareResults(fakeResult([run]), fakeResult([run]), { threshold: 0.05 });
    expect(comparison.scenarios[0]?.metrics.map((m) => m.key)).toEqual(['total']);
    expect(comparison.scenarios[0]?.skipped).toEqual([
      { key: 'kernelGpu', reason: expect.stringMatching(/median is 0/) as unknown },
    ]);
  });

  it('flags another adapter, backend, CPU or op', () => {
    const comparison = compareResults(
      single(base),
      fakeResult([fakeRun('main', { total: base })], {
        device: { description: 'Apple M2', vendor: 'apple', backend: 'metal' },
        cpu: 'Apple M2',
        kernel: 'scale',
      }),
      { threshold: 0.05 },
    );
    expect(comparison.crossDevice).toBe(true);
    expect(comparison.crossDeviceReason).toMatch(/adapter: llvmpipe: Mesa 25.0.7 vs Apple M2/);
    expect(comparison.crossDeviceReason).toMatch(/backend: vulkan vs metal/);
    expect(comparison.crossMachine).toBe(true);
    expect(comparison.crossMachineReason).toBe('CPU: Test CPU vs Apple M2');
    expect(comparison.configDifferences).toEqual(['kernel: noop vs scale']);
    expect(comparison.new.cpuCores).toBe(8);
  });

  it('refuses a negative threshold and a level outside (0, 1)', () => {
    expect(() => compareResults(single(base), single(base), { threshold: -0.1 })).toThrow(RangeError);
    expect(() => compareResults(single(base), single(base), { threshold: 0.05, level: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('geometric mean of the totals', () => {
  const row = (change: number, low: number, high: number): MetricComparison => ({
    key: 'total',
    baseN: 1,
    newN: 1,
    baseMedianNs: 1,
    newMedianNs: 1 + change,
    change,
    changeCi: { low, high },
    pValue: 1,
    z: 0,
    verdict: 'unchanged',
  });

  it('is the geometric mean of the ratios, its CI that of the bounds', () => {
    // Ratios 1.21 and 1.0: sqrt(1.21) = 1.1. Lower bounds 1.1 and 0.9: sqrt(0.99). Upper 1.331 and 1.1: sqrt(1.4641) = 1.21.
    const gm = geometricMeanChange([row(0.21, 0.1, 0.331), row(0, -0.1, 0.1)]);
    expect(gm?.scenarios).toBe(2);
    expect(gm?.change).toBeCloseTo(0.1, 12);
    expect(gm?.changeCi.low).toBeCloseTo(Math.sqrt(0.99) - 1, 12);
    expect(gm?.changeCi.high).toBeCloseTo(0.21, 12);
    expect(gm?.approximation).toMatch(/not an exact interval/);
    expect(geometricMeanChange([])).toBeUndefined();
  });

  it('cancels a 25% slowdown in one scenario against a 20% speed-up in another', () => {
    const baseResult = fakeResult([
      fakeRun('main', { total: times(1) }),
      fakeRun('persistent', { total: times(2) }),
    ]);
    const nextResult = fakeResult([
      fakeRun('main', { total: scaled(times(1), 1.25) }),
      fakeRun('persistent', { total: scaled(times(2), 0.8) }),
    ]);
    const comparison = compareResults(baseResult, nextResult, { threshold: 0.05 });
    expect(metric(comparison, 'main', 'total').change).toBeCloseTo(0.25, 12);
    expect(metric(comparison, 'persistent', 'total').change).toBeCloseTo(-0.2, 12);
    expect(comparison.geometricMean?.change).toBeCloseTo(0, 12);
    expect(comparison.counts).toMatchObject({ regression: 1, improvement: 1 });
  });
});

describe('renderCompare', () => {
  it('prints the environments, a table per scenario, the geometric mean and the counts', () => {
    const comparison = compareResults(single(times(1)), single(scaled(times(2), 1.2)), { threshold: 0.05 });
    const text = renderCompare(comparison, { base: 'a/result.json', new: 'b/result.json' });
    expect(text).toMatch(
      /^wgprof compare: a\/result.json \(base\) vs b\/result.json \(new\); threshold 5.0%/,
    );
    expect(text).toMatch(/\| +\| base: a\/result.json +\| new: b\/result.json +\|/);
    expect(text).toMatch(/\| CPU +\| Test CPU \(2 cores\) +\| Test CPU \(2 cores\) +\|/);
    expect(text).toMatch(/^main, 300 vs 300 ops:$/m);
    expect(text).toMatch(
      /\| Phase +\| base median \[us\] +\| new median \[us\] +\| +change \(95% CI\) \| +p \| verdict +\|/,
    );
    expect(text).toMatch(
      /^\| total +\| +\d+\.?\d* +\| +\d+\.?\d* +\| +\+\d+\.\d% \[\+\d+\.\d%, \+\d+\.\d%\] \| <0.001 \| regression \|$/m,
    );
    expect(text).toMatch(/^geometric mean of the total over 1 scenario: \+\d+\.\d% \[/m);
    expect(text).toMatch(/^summary: 2 regressions, 0 improvements, 0 ambiguous, 0 unchanged/m);
    expect(text).not.toMatch(/different adapters/);
  });

  it('says when the two runs are on different adapters or machines', () => {
    const other = fakeResult([fakeRun('main', { total: times(1) })], {
      device: { backend: 'metal' },
      cpu: 'M2',
    });
    const text = renderCompare(compareResults(single(times(1)), other, { threshold: 0.05 }));
    expect(text).toMatch(/^comparison across different adapters\/backends: backend: vulkan vs metal$/m);
    expect(text).toMatch(/^comparison across different machines: CPU: Test CPU vs M2$/m);
    expect(text).toMatch(/^\| backend \(differs\) +\| vulkan +\| metal +\|$/m);
  });

  it('formats changes with a sign', () => {
    expect(formatChange(0.2)).toBe('+20.0%');
    expect(formatChange(-0.031)).toBe('-3.1%');
    expect(formatChange(-0.0001)).toBe('0.0%');
    expect(formatChange(Infinity)).toBe('+inf');
  });
});

describe('comparing several runs a side', () => {
  it("matches SciPy's Welch t test", () => {
    // scipy.stats.ttest_ind([1,2,3,4], [2,4,6,8], equal_var=False): t = -1.7320508, df = 4.4117647, p = 0.1515805
    const result = welch([2, 4, 6, 8], [1, 2, 3, 4]);
    expect(result.t).toBeCloseTo(-1.7320508075688774, 9);
    expect(result.df).toBeCloseTo(4.411764705882353, 9);
    expect(result.pValue).toBeCloseTo(0.15158050484530375, 6);
  });

  it('takes each run as one sample: a consistent 20% slowdown over three runs is a regression', () => {
    const bases = [1, 2, 3].map((seed) => single(times(seed, 200, 100_000 * (1 + 0.01 * seed))));
    const nexts = [4, 5, 6].map((seed) =>
      single(scaled(times(seed, 200, 100_000 * (1 + 0.01 * (seed - 3))), 1.2)),
    );
    const comparison = compareRunSets(bases, nexts, { threshold: 0.05 });
    expect(comparison.method).toBe('runs');
    expect(comparison.runs).toEqual({ base: 3, new: 3 });
    const total = metric(comparison, 'main', 'total');
    expect(total.baseN).toBe(3);
    expect(total.change).toBeCloseTo(0.2, 1);
    expect(total.verdict).toBe('regression');
  });

  it('does not call a shift that one run alone carries a regression', () => {
    // Two quiet runs and one 10% slower run on the new side: the spread between runs absorbs it.
    const bases = [1, 2, 3].map((seed) => single(times(seed, 200)));
    const nexts = [4, 5].map((seed) => single(times(seed, 200)));
    nexts.push(single(scaled(times(6, 200), 1.1)));
    expect(metric(compareRunSets(bases, nexts, { threshold: 0.05 }), 'main', 'total').verdict).not.toBe(
      'regression',
    );
  });

  /** One run of "main" in three replicates (a process each), whose op times centre on `centres`. */
  function replicatedRun(seed: number, centres: readonly number[]): ProfileResult {
    const groups = centres.map((c, i) => times(seed * 10 + i, 100, c, 0.05));
    const total = groups.flat();
    const run = fakeRun('main', { total, phases: { sync: scaled(total, 0.6) } });
    const replicates = groups.map((g, round) => {
      const m = summarize(g, { resamples: 10 }).median;
      return {
        round,
        position: 0,
        opsOk: g.length,
        medianNs: { total: m, sync: m * 0.6 },
        stoppedBy: 'ops' as const,
      };
    });
    return fakeResult([{ ...run, replicates }]);
  }

  it("one run a side with replicates compares replicate against replicate: a process's shift is noise", () => {
    // The same op, but each replicate's process ran at its own speed, as on lavapipe (+-10%).
    const base = replicatedRun(1, [100_000, 90_000, 110_000]);
    const next = replicatedRun(2, [112_000, 99_000, 120_000]);
    const byReplicates = compareRunSets([base], [next], { threshold: 0.05 });
    expect(byReplicates.method).toBe('replicates');
    const total = metric(byReplicates, 'main', 'total');
    expect([total.baseN, total.newN]).toEqual([3, 3]);
    expect(total.verdict).not.toBe('regression');
    expect(renderCompare(byReplicates)).toMatch(/^compared replicate against replicate \(one run a side\)/m);
    // Op against op, the same two runs' 300 ops a side call the 10% a regression.
    expect(metric(compareResults(base, next, { threshold: 0.05 }), 'main', 'total').verdict).toBe(
      'regression',
    );
    // A clear change still shows: every replicate 40% slower.
    const slower = replicatedRun(3, [140_000, 126_000, 154_000]);
    expect(metric(compareRunSets([base], [slower], { threshold: 0.05 }), 'main', 'total').verdict).toBe(
      'regression',
    );
  });

  it('one run a side is the op-by-op comparison; one against several is refused', () => {
    const a = single(times(1));
    const b = single(times(2));
    expect(compareRunSets([a], [b], { threshold: 0.05 }).method).toBe('ops');
    expect(() => compareRunSets([a], [b, b], { threshold: 0.05 })).toThrow(/at least two on each side/);
  });
});
