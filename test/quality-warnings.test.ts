import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveProfileConfig, type ProfileConfig } from '../src/config/profile-config.js';
import { PROFILED_LIMITS, type DeviceInfo, type ProfiledLimit } from '../src/device/device-info.js';
import type { ComponentRow } from '../src/experiments/experiment.js';
import { fitDrift, isDrift, roundMedians } from '../src/quality/drift.js';
import { WARNING_CODES, type QualityWarning, type WarningCode } from '../src/results/result-types.js';
import {
  breakdownWarnings,
  profileWarnings,
  qualityWarnings,
  TIMESTAMP_QUANTUM_NS,
} from '../src/quality/quality-warnings.js';
import type { SummaryKey } from '../src/measurement/run-summary.js';
import type { Speedup } from '../src/measurement/versus-main.js';
import type { Phase } from '../src/op/phases.js';
import { renderText, toMarkdown } from '../src/reports/markdown.js';
import { qualitySection, warningsBlock } from '../src/reports/quality-section.js';
import type { Environment } from '../src/results/environment.js';
import {
  envelope,
  type BreakdownResult,
  type ProfileResult,
  type StrategyResult,
} from '../src/results/result-types.js';
import { validateResult } from '../src/results/validate-result.js';
import { createRng, farOutShare, summarize, type Summary } from '../src/statistics/index.js';
import { resultFiles, runCli, tempDir, type CliRun } from './support/cli.js';

// ---- synthetic results: every number chosen here, nothing from a device ----

const ENVIRONMENT: Environment = {
  os: { platform: 'linux', type: 'Linux', release: '6.1', version: '#1', arch: 'x64' },
  cpu: { model: 'test CPU', cores: 2 },
  memoryBytes: 8 * 2 ** 30,
  node: 'v20.20.0',
  webgpu: '0.6.2',
  wgprof: '0.1.0',
  timer: { clock: 'process.hrtime.bigint', resolutionNs: 50, costNs: 70 },
};

function device(quantizationOff = true): DeviceInfo {
  const limits = {} as Record<ProfiledLimit, number>;
  for (const name of PROFILED_LIMITS) limits[name] = 1024;
  return {
    backend: 'vulkan',
    featureLevel: 'core',
    vendor: 'test',
    architecture: 'test',
    device: 'test',
    description: 'test adapter',
    isFallbackAdapter: false,
    noRealGpuWork: false,
    adapterFeatures: ['timestamp-query'],
    deviceFeatures: ['timestamp-query'],
    timestamps: true,
    timestampQuantizationDisabled: quantizationOff,
    limits,
  };
}

const rng = (seed: number) => createRng(seed);

/** n values around `center` with a normal spread of `sd`, floored at 1 ns. */
function normal(n: number, center: number, sd: number, seed = 1): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Math.max(1, center + sd * r.nextNormal()));
}

interface RunSpec {
  readonly label: string;
  readonly strategy?: StrategyResult['strategy'];
  /** Steady totals, in the order they ran. */
  readonly totals: readonly number[];
  readonly phases?: Partial<Record<Phase, readonly number[]>>;
  /** The cold first op's total and phases (recorded before the steady ops). */
  readonly cold?: { readonly total: number; readonly phases?: Partial<Record<Phase, number>> };
  readonly everyOpCold?: boolean;
  readonly vsMain?: Speedup;
}

function summaries(
  columns: Partial<Record<SummaryKey, readonly number[]>>,
): Partial<Record<SummaryKey, Summary>> {
  const out: Partial<Record<SummaryKey, Summary>> = {};
  for (const [key, values] of Object.entries(columns) as [SummaryKey, readonly number[]][])
    if (values.length > 0) out[key] = summarize(values);
  return out;
}

function run(spec: RunSpec): StrategyResult {
  const phases = spec.phases ?? {};
  const cold = spec.cold;
  const withCold = <T>(c: T | undefined, steady: readonly T[]): (T | null)[] =>
    cold ? [c ?? null, ...steady] : [...steady];
  const storedPhases: Partial<Record<Phase, (number | null)[]>> = {};
  for (const [phase, values] of Object.entries(phases) as [Phase, number[]][])
    storedPhases[phase] = withCold(cold?.phases?.[phase], values);
  const coldPhases: Partial<Record<SummaryKey, number[]>> = {};
  for (const [phase, value] of Object.entries(cold?.phases ?? {}) as [Phase, number][])
    coldPhases[phase] = [value];
  const totals = withCold(cold?.total, spec.totals);
  return {
    strategy: spec.strategy ?? 'main',
    label: spec.label,
    concurrency: 1,
    opsOk: spec.totals.length,
    opsFailed: 0,
    opsTimedOut: 0,
    wallNs: spec.totals.reduce((a, b) => a + b, 0),
    opsPerSecond: 1,
    cpuPerOpNs: 1,
    everyOpCold: spec.everyOpCold ?? false,
    ...(spec.vsMain ? { vsMain: spec.vsMain } : {}),
    summary: summaries({ ...phases, total: spec.totals }),
    coldSummary: cold ? summaries({ ...coldPhases, total: [cold.total] }) : {},
    records: {
      originNs: '0',
      startNs: totals.map((_, i) => i * 1000),
      totalNs: totals,
      phases: storedPhases,
      cold: cold ? [0] : [],
      failures: [],
    },
  };
}

function profile(
  runs: readonly StrategyResult[],
  options: { config?: Partial<ProfileConfig>; quantizationOff?: boolean; rounds?: number } = {},
): ProfileResult {
  const config = { ...resolveProfileConfig({}), ...options.config };
  return {
    ...envelope('profile', {
      command: ['wgprof', 'profile'],
      environment: ENVIRONMENT,
      device: device(options.quantizationOff ?? true),
      config,
    }),
    rounds: { count: options.rounds ?? 10, stoppedBy: 'time-budget', elapsedMs: 60_000 },
    runs,
  };
}

const codes = (warnings: readonly QualityWarning[]): WarningCode[] => warnings.map((w) => w.code);
const only = (warnings: readonly QualityWarning[], code: WarningCode): QualityWarning[] =>
  warnings.filter((w) => w.code === code);

/** A quiet main: 200 steady ops around 100 us, no phase near any floor. */
const quietMain = (totals = normal(200, 100_000, 2_000)): StrategyResult =>
  run({ label: 'main', totals, phases: { sync: normal(totals.length, 60_000, 1_000, 2) } });

// ---- the checks ----

describe('too-few-samples', () => {
  it('fires on 20 steady ops and names the scenario, the phase and the count', () => {
    const warnings = profileWarnings(profile([quietMain(normal(20, 100_000, 2_000))]));
    const [w] = only(warnings, 'too-few-samples');
    expect(w).toMatchObject({ scenario: 'main', phase: 'total' });
    expect(w?.message).toMatch(
      /^main, total: only 20 steady ops behind its median \(its 95% CI is ±[\d.]+% of it\)/,
    );
    expect(w?.advice).toMatch(/--time-budget/);
  });

  it('does not fire on 30 or more', () => {
    expect(codes(profileWarnings(profile([quietMain(normal(30, 100_000, 2_000))])))).not.toContain(
      'too-few-samples',
    );
  });

  it('asks for --ops when a fixed --ops stopped the run', () => {
    const result = profile([quietMain(normal(10, 100_000, 2_000))], { config: { ops: 10 } });
    const stopped = { ...result, rounds: { ...result.rounds, stoppedBy: 'ops' as const } };
    expect(only(profileWarnings(stopped), 'too-few-samples')[0]?.advice).toMatch(/raise --ops to 30 or more/);
  });
});

describe('wide-ci', () => {
  it('fires when the vs-main ratio shows a difference its CI does not support', () => {
    const other = run({
      label: 'reused',
      strategy: 'reused',
      totals: normal(200, 103_000, 2_000, 3),
      vsMain: { estimate: 0.97, low: 0.94, high: 1.01, level: 0.95 },
    });
    const w = only(profileWarnings(profile([quietMain(), other])), 'wide-ci').find(
      (x) => x.phase === 'total',
    );
    expect(w?.scenario).toBe('reused');
    expect(w?.message).toMatch(/shows 0\.97x main's speed, but its 95% CI \[0\.94, 1\.01\] includes 1/);
  });

  it('does not fire when the CI excludes 1, or when the table shows 1.00x', () => {
    for (const vsMain of [
      { estimate: 0.9, low: 0.88, high: 0.92, level: 0.95 },
      { estimate: 1.001, low: 0.95, high: 1.05, level: 0.95 },
    ]) {
      const other = run({
        label: 'reused',
        strategy: 'reused',
        totals: normal(200, 100_000, 2_000, 3),
        vsMain,
      });
      const ratio = only(profileWarnings(profile([quietMain(), other])), 'wide-ci').filter(
        (w) => w.phase === 'total' && /main's speed/.test(w.message),
      );
      expect(ratio).toEqual([]);
    }
  });

  it("fires on a phase that differs from main's by --max-noise or more within the two CIs, not on a real or a small one", () => {
    // sync spreads by 50% (sd 30 us of 60 us): each median of 200 ops is known to about ±5 us.
    const withSync = (label: string, sync: number, spread: number, seed: number): StrategyResult =>
      run({
        label,
        strategy: label === 'main' ? 'main' : 'persistent',
        totals: normal(200, 100_000, 2_000, seed),
        phases: { sync: normal(200, sync, spread, seed + 1) },
      });
    const main = withSync('main', 60_000, 30_000, 1);
    // 4% apart: the table shows a difference a reader would take as real, within what the CIs allow.
    const noise = only(profileWarnings(profile([main, withSync('close', 62_400, 30_000, 5)])), 'wide-ci');
    expect(noise.find((w) => w.phase === 'sync')?.message).toMatch(
      /^close, sync: [\d.]+ us against main's [\d.]+ us \([+-][\d.]+ (ns|us)\) is within the noise: the two medians' 95% CIs allow ±[\d.]+ us\.$/,
    );
    // 20% apart: a real difference.
    const real = only(profileWarnings(profile([main, withSync('far', 72_000, 30_000, 7)])), 'wide-ci');
    expect(real.filter((w) => w.phase === 'sync')).toEqual([]);
    // 1% apart and within the noise (sd 6 us: each median known to about ±1 us), but under the
    // --max-noise of 2%: too small to mislead anyone, no warning.
    const quiet = withSync('main', 60_000, 6_000, 1);
    const small = only(profileWarnings(profile([quiet, withSync('near', 60_600, 6_000, 5)])), 'wide-ci');
    expect(small.filter((w) => w.phase === 'sync')).toEqual([]);
  });

  it('fires on a median known less well than --max-noise, with enough samples', () => {
    const spread = run({ label: 'main', totals: normal(40, 100_000, 40_000, 9) });
    const w = only(profileWarnings(profile([spread])), 'wide-ci')[0];
    expect(w?.message).toMatch(/is ±[\d.]+% of it, wider than the --max-noise of 2\.0%/);
    expect(codes(profileWarnings(profile([quietMain()])))).not.toContain('wide-ci');
  });

  it('fires on a breakdown component smaller than the CIs of the rows it is the difference of', () => {
    const row = (id: string, values: readonly number[]): ComponentRow => ({
      id,
      label: id,
      where: 'worker',
      summary: summarize(values),
      samplesNs: [...values],
      failures: [],
    });
    const ms = 1e6;
    const rows = [
      row('worker.empty', normal(60, 20 * ms, 0.2 * ms, 11)),
      row('worker.load', normal(60, 22 * ms, 0.2 * ms, 12)),
      row('worker.device', normal(60, 55 * ms, 3 * ms, 13)),
      // tensor creation: +0.3 ms on a row whose CI is a few ms wide.
      row('worker.create.writeBuffer', normal(60, 55.3 * ms, 3 * ms, 14)),
      row('worker.dispatch', normal(60, 70 * ms, 0.5 * ms, 15)),
      row('worker.op', normal(60, 80 * ms, 0.5 * ms, 16)),
    ];
    const result: BreakdownResult = {
      ...envelope('breakdown', {
        command: ['wgprof', 'breakdown'],
        environment: ENVIRONMENT,
        device: device(),
        config: { ...resolveProfileConfig({}), maxNoise: 0.05 },
      }),
      repeat: { stoppedBy: 'time-budget', elapsedMs: 60_000 },
      rows,
      steps: {},
      attribution: [],
    };
    const wide = only(breakdownWarnings(result), 'wide-ci');
    expect(wide.map((w) => w.row)).toEqual(['worker.create.writeBuffer']);
    expect(wide[0]?.message).toMatch(
      /the attribution gives tensor creation -?[\d.]+ (us|ms), the difference/,
    );
  });
});

describe('below-timer-resolution', () => {
  it('fires on a phase within 10 clock floors (here 700 ns), not on one above', () => {
    const main = run({
      label: 'main',
      totals: normal(200, 100_000, 2_000),
      phases: { kernelCpu: normal(200, 300, 20, 3), sync: normal(200, 60_000, 1_000, 4) },
    });
    const below = only(profileWarnings(profile([main])), 'below-timer-resolution');
    expect(below.map((w) => w.phase)).toEqual(['kernelCpu']);
    expect(below[0]?.message).toMatch(/a step of 50 ns, 70 ns per reading/);
  });

  it('judges GPU times by the timestamp quantum when quantization is on, and not at all when off', () => {
    const main = run({
      label: 'main',
      totals: normal(200, 100_000, 2_000),
      phases: { kernelGpu: Array.from({ length: 200 }, (_, i) => (i % 2) * TIMESTAMP_QUANTUM_NS) },
    });
    const on = only(profileWarnings(profile([main], { quantizationOff: false })), 'below-timer-resolution');
    expect(on.map((w) => w.phase)).toEqual(['kernelGpu']);
    expect(on[0]?.advice).toMatch(/without --quantize-timestamps/);
    expect(only(profileWarnings(profile([main])), 'below-timer-resolution')).toEqual([]);
  });
});

describe('timestamp-quantization', () => {
  const gpuRun = (gpu: readonly number[]): StrategyResult =>
    run({ label: 'main', totals: normal(gpu.length, 100_000, 2_000), phases: { kernelGpu: gpu } });

  it('fires when the device keeps quantization on', () => {
    const w = only(
      profileWarnings(profile([quietMain()], { quantizationOff: false })),
      'timestamp-quantization',
    );
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ phase: 'kernelGpu' });
    expect(w[0]?.advice).toMatch(/disable-dawn-features=timestamp_quantization/);
  });

  it('fires when quantization was asked off but every GPU time is a multiple of 65,536 ns', () => {
    const quantized = gpuRun(Array.from({ length: 100 }, (_, i) => (1 + (i % 3)) * TIMESTAMP_QUANTUM_NS));
    expect(only(profileWarnings(profile([quantized])), 'timestamp-quantization')[0]?.message).toMatch(
      /every one of 100 GPU durations is a multiple of 65\.5 us/,
    );
  });

  it('does not fire on exact GPU times', () => {
    expect(codes(profileWarnings(profile([gpuRun(normal(100, 70_000, 3_000, 5))])))).not.toContain(
      'timestamp-quantization',
    );
  });
});

describe('slow-first-op', () => {
  it('fires on a first op 10x a warm one and names the phase that grew most', () => {
    const reused = run({
      label: 'reused',
      strategy: 'reused',
      totals: normal(200, 1_000_000, 20_000),
      phases: { creation: normal(200, 200_000, 5_000, 2), kernelCpu: normal(200, 100_000, 5_000, 3) },
      cold: { total: 10_000_000, phases: { creation: 300_000, kernelCpu: 8_000_000 } },
    });
    const [w] = only(profileWarnings(profile([quietMain(), reused])), 'slow-first-op');
    expect(w).toMatchObject({ scenario: 'reused', phase: 'total' });
    expect(w?.message).toMatch(
      /first op took 10\.0 ms, 10\.0x a warm op \([\d.]+ (us|ms)\), most of the difference in kernel \(CPU\) \(\+7\.\d+ ms\)/,
    );
  });

  it('does not fire on a first op 1.3x a warm one, nor for a fresh worker per op', () => {
    const mild = run({ label: 'main', totals: normal(200, 1_000_000, 20_000), cold: { total: 1_300_000 } });
    const fresh = run({
      label: 'fresh',
      strategy: 'fresh',
      everyOpCold: true,
      totals: normal(200, 90_000_000, 1_000_000),
    });
    expect(codes(profileWarnings(profile([mild, fresh])))).not.toContain('slow-first-op');
  });
});

describe('outliers', () => {
  it('fires on a heavy tail: 5% of the ops ten times slower', () => {
    const r = rng(21);
    const tail = normal(400, 100_000, 3_000).map((v) => (r.next() < 0.05 ? v * 10 : v));
    const [w] = only(profileWarnings(profile([run({ label: 'main', totals: tail })])), 'outliers');
    expect(w).toMatchObject({ scenario: 'main', phase: 'total' });
    expect(w?.message).toMatch(/^main, total: \d+ of 400 \([\d.]+%\) took longer than Q3 \+ 3 IQR/);
  });

  it('does not fire on normal noise, nor on an exponential tail', () => {
    const r = rng(22);
    const exponential = Array.from({ length: 400 }, () => 100_000 - 20_000 * Math.log(1 - r.next()));
    // The fence keeps about 0.9% of an exponential sample beyond it: under the 2% that warns.
    expect(farOutShare(exponential).share).toBeLessThan(0.02);
    for (const totals of [normal(400, 100_000, 3_000), exponential])
      expect(codes(profileWarnings(profile([run({ label: 'main', totals })])))).not.toContain('outliers');
  });
});

describe('drift', () => {
  const ROUNDS = 12;
  const CHUNK = 20;
  /** main's ops, round by round, each round's level `level(round)` with 3% noise. */
  const rounds = (level: (round: number) => number, seed: number): number[] => {
    const r = rng(seed);
    return Array.from(
      { length: ROUNDS * CHUNK },
      (_, i) => level(Math.floor(i / CHUNK)) * (1 + 0.03 * r.nextNormal()),
    );
  };

  it('groups steady ops into rounds by position, leaving the cold op out', () => {
    const main = run({ label: 'main', totals: rounds((k) => 100_000 + 1_000 * k, 1), cold: { total: 1e9 } });
    const medians = roundMedians(main, CHUNK);
    expect(medians).toHaveLength(ROUNDS);
    // Each round's median of 20 ops with 3% noise lands within 3% of its level.
    expect(Math.abs((medians[0] ?? 0) / 100_000 - 1)).toBeLessThan(0.03);
    expect(Math.abs((medians[ROUNDS - 1] ?? 0) / 111_000 - 1)).toBeLessThan(0.03);
  });

  it('fires on a baseline that rises 1% a round (11% over the run)', () => {
    const main = run({ label: 'main', totals: rounds((k) => 100_000 * (1 + 0.01 * k), 2) });
    const [w] = only(profileWarnings(profile([main], { rounds: ROUNDS })), 'drift');
    expect(w).toMatchObject({ scenario: 'main', phase: 'total' });
    expect(w?.message).toMatch(
      /over 12 rounds \(a fitted line, \+\d+(\.\d)?% over the run; its slope's 95% CI, .* excludes zero\)/,
    );
  });

  it('does not fire on stationary noise, however many rounds', () => {
    for (const seed of [3, 4, 5, 6, 7]) {
      const main = run({ label: 'main', totals: rounds(() => 100_000, seed) });
      expect(codes(profileWarnings(profile([main], { rounds: ROUNDS })))).not.toContain('drift');
    }
  });

  it('needs a change beyond --max-noise as well as a slope whose CI excludes zero', () => {
    const medians = Array.from({ length: 30 }, (_, k) => 100_000 + 20 * k);
    const drift = fitDrift(medians);
    expect(drift?.slopeCi[0]).toBeGreaterThan(0);
    // 0.6% over the run: significant, but smaller than a 2% --max-noise.
    expect(drift && isDrift(drift, 0.02)).toBe(false);
    expect(fitDrift([1, 2, 3])).toBeUndefined();
  });
});

describe('the warnings as a whole', () => {
  it('come sorted by code, in the order of WARNING_CODES', () => {
    const r = rng(31);
    const main = run({
      label: 'main',
      totals: normal(20, 100_000, 3_000).map((v) => (r.next() < 0.2 ? v * 10 : v)),
      cold: { total: 5_000_000 },
    });
    const found = codes(qualityWarnings(profile([main], { quantizationOff: false })));
    expect(found.length).toBeGreaterThan(2);
    const order = found.map((c) => WARNING_CODES.indexOf(c));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

// ---- where they go: the schema and the reports ----

describe('the result schema', () => {
  const base = profile([quietMain(normal(20, 100_000, 2_000))]);

  it('accepts a result without warnings (as written before them) and one with them', () => {
    expect(validateResult(JSON.parse(JSON.stringify(base)))).toMatchObject({ ok: true });
    const withWarnings = { ...base, warnings: qualityWarnings(base) };
    expect(withWarnings.warnings.length).toBeGreaterThan(0);
    expect(validateResult(JSON.parse(JSON.stringify(withWarnings)))).toMatchObject({ ok: true });
    expect(validateResult(JSON.parse(JSON.stringify({ ...base, warnings: [] })))).toMatchObject({ ok: true });
  });

  it('accepts a measured recording cost in the environment', () => {
    const data = { ...base, environment: { ...ENVIRONMENT, recordingCostNs: 350 } };
    expect(validateResult(JSON.parse(JSON.stringify(data)))).toMatchObject({ ok: true });
  });

  it('refuses a warning with an unknown code, without advice, or with an unknown field', () => {
    const good: QualityWarning = {
      code: 'drift',
      scenario: 'main',
      phase: 'total',
      message: 'm',
      advice: 'a',
    };
    for (const bad of [
      { ...good, code: 'too-slow' },
      { code: 'drift', message: 'm' },
      { ...good, severity: 'high' },
      { ...good, phase: 'everything' },
    ])
      expect(validateResult(JSON.parse(JSON.stringify({ ...base, warnings: [bad] }))).ok).toBe(false);
  });
});

describe('the reports', () => {
  const warning = (code: WarningCode, scenario: string, advice: string): QualityWarning => ({
    code,
    scenario,
    phase: 'total',
    message: `${scenario}, total: something about ${code}.`,
    advice,
  });

  it('name shared advice once, after the last warning that has it', () => {
    const text = warningsBlock([
      warning('too-few-samples', 'main', 'Run more.'),
      warning('too-few-samples', 'reused', 'Run more.'),
      warning('outliers', 'main', 'Close other programs.'),
    ]);
    expect(text.split('\n')).toEqual([
      'Measurement warnings (3), and what to do:',
      '- [too-few-samples] main, total: something about too-few-samples.',
      '- [too-few-samples] reused, total: something about too-few-samples.',
      '  What to do: Run more.',
      '- [outliers] main, total: something about outliers.',
      '  What to do: Close other programs.',
    ]);
    expect(warningsBlock([])).toBe('Measurement warnings: none.');
  });

  it('count what is past five warnings of one code', () => {
    const many = Array.from({ length: 9 }, (_, i) => warning('outliers', `row${i}`, 'Close other programs.'));
    const lines = warningsBlock(many).split('\n');
    expect(lines.filter((l) => l.startsWith('- [outliers] row'))).toHaveLength(5);
    expect(lines).toContain('- [outliers] ... and 4 more (result.json lists every one)');
  });

  it('print the timer floor, the recording cost when known, and the warnings after the tables', () => {
    const result = profile([quietMain(normal(20, 100_000, 2_000))]);
    const stored = {
      ...result,
      environment: { ...ENVIRONMENT, recordingCostNs: 350 },
      warnings: qualityWarnings(result),
    };
    const text = renderText(stored);
    const floor = text.indexOf(
      'Timer: process.hrtime.bigint, resolution 50 ns, 70 ns per reading; recording an op costs 350 ns (median): the floor below which differences mean nothing.',
    );
    const warnings = text.indexOf('Measurement warnings (');
    expect(floor).toBeGreaterThan(text.lastIndexOf('| total'));
    expect(warnings).toBeGreaterThan(floor);
    expect(toMarkdown(stored)).toContain('- [too-few-samples] main, total: only 20 steady ops');
    // A result from before the warnings: the floor, and no claim either way about its quality.
    expect(qualitySection(result)).toHaveLength(1);
    expect(renderText(result)).not.toContain('Measurement warnings');
  });
});

// ---- the real CLI, on the real device ----

describe('wgprof profile stores and prints its warnings', () => {
  let out: string;
  let cli: CliRun;
  beforeAll(() => {
    out = tempDir();
    // 24 ops per scenario in one process: of them, the untimed ones (8 to 16: one in 2, in blocks
    // of 8) are fewer than the 30 a stable median needs, so too-few-samples must fire; and at least
    // 8 are untimed wherever the blocks fall, so that every scenario has figures and a verdict.
    cli = runCli(
      [
        'profile',
        '--strategy',
        'main,reused',
        '--kernel',
        'noop',
        '--size',
        '1K',
        '--ops',
        '24',
        '--replicates',
        '1',
        '--warmup',
        '2',
        '--out',
        out,
        '--details',
      ],
      { timeoutMs: 180_000 },
    );
  });

  it('writes them into a valid result.json', () => {
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    const [file = ''] = resultFiles(out);
    const data = JSON.parse(readFileSync(file, 'utf8')) as ProfileResult;
    expect(validateResult(data)).toMatchObject({ ok: true });
    const warnings = data.warnings ?? [];
    for (const w of warnings) {
      expect(WARNING_CODES).toContain(w.code);
      expect(w.message.length).toBeGreaterThan(0);
      expect(w.advice.length).toBeGreaterThan(0);
    }
    expect(warnings.filter((w) => w.code === 'too-few-samples').map((w) => w.scenario)).toEqual([
      'main',
      'reused',
    ]);
    const md = readFileSync(join(dirname(file), 'report.md'), 'utf8');
    // Of the 24 ops, the untimed ones give the total.
    expect(md).toMatch(/- \[too-few-samples\] main, total: only \d+ steady ops/);
  });

  it('prints them after the tables and the timer floor, before the guidance', () => {
    const text = cli.stdout;
    const floor = text.search(/^Timer: process\.hrtime\.bigint, resolution \d+ ns, \d+ ns per reading/m);
    const block = text.indexOf('\nMeasurement warnings (');
    expect(floor).toBeGreaterThan(text.search(/^unaccounted /m));
    expect(block).toBeGreaterThan(floor);
    expect(block).toBeLessThan(text.indexOf('Guidance (from'));
    const lines =
      text
        .slice(block + 1)
        .split('\n\n')[0]
        ?.split('\n') ?? [];
    expect(lines[0]).toMatch(/^Measurement warnings \(\d+\), and what to do:$/);
    for (const line of lines.slice(1)) expect(line).toMatch(/^(- \[[a-z-]+\] .+| {2}What to do: .+)$/);
    expect(lines.at(-1)).toMatch(/^ {2}What to do: /);
  });
});
