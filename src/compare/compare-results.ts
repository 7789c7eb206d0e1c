/**
 * Two profile results side by side: for each scenario both ran, how each phase's median changed,
 * how sure that change is (a bootstrap CI and a Mann-Whitney test), and whether it matters (a
 * threshold). Pure: no I/O, and the same inputs always give the same comparison.
 */
import type { MedianSampler } from '../statistics/median-distribution.js';
import type { ScenarioRates } from '../work/op-rates.js';
import type { DeviceInfo } from '../device/device-info.js';
import { PHASES, type Phase } from '../op/phases.js';
import type { Environment } from '../results/environment.js';
import type { ProfileResult, StrategyResult } from '../results/result-types.js';
import { steadySamples } from '../results/steady-samples.js';
import { bootstrapRatioCi, DEFAULT_LEVEL, median } from '../statistics/index.js';
import { mannWhitneyU } from './mann-whitney.js';

/**
 * What a change amounts to. Times are compared, so slower is worse:
 * - 'regression': the change's whole CI lies above +threshold and the test is significant;
 * - 'improvement': the whole CI lies below −threshold and the test is significant;
 * - 'ambiguous': the CI straddles +threshold or −threshold, or lies beyond one while the test is
 *   not significant (the two disagree): more ops are needed to tell;
 * - 'unchanged': the CI lies within (−threshold, +threshold).
 */
export type Verdict = 'regression' | 'improvement' | 'ambiguous' | 'unchanged';

export const VERDICTS: readonly Verdict[] = ['regression', 'improvement', 'ambiguous', 'unchanged'];

/** The summary keys a comparison covers: every phase, and the end-to-end total (not the leftover). */
export type ComparedKey = Phase | 'total';

export const COMPARED_KEYS: readonly ComparedKey[] = [...PHASES, 'total'];

/** Options of {@link compareResults}. */
export interface CompareOptions {
  /** The smallest change of a median that matters, a fraction (0.05: 5%); at least 0. */
  readonly threshold: number;
  /**
   * Confidence level of each change's CI, in (0, 1); default 0.95. The Mann-Whitney test's
   * significance level is 1 − level (0.05 by default).
   */
  readonly level?: number;
  /** Bootstrap resamples per CI; default 2000 (see bootstrapRatioCi). */
  readonly resamples?: number;
  /** Bootstrap seed; default the statistics module's DEFAULT_SEED (same inputs, same CIs). */
  readonly seed?: number;
  /**
   * How resample medians are drawn (statistics/bootstrap.ts): 'auto' (default) draws them
   * literally up to 5,000 values; 'order-statistic' from the same distribution at a cost that
   * does not grow with the ops (wgprof history compares a thousand neighbours).
   */
  readonly sampler?: 'auto' | MedianSampler;
}

/** A change as a fraction: new / base − 1 (+0.2: 20% slower; −0.1: 10% faster). */
export interface ChangeCi {
  /** Lower bound, a fraction. */
  readonly low: number;
  /** Upper bound, a fraction. */
  readonly high: number;
}

/** One phase (or the total) of one scenario, base against new. */
export interface MetricComparison {
  readonly key: ComparedKey;
  /** Steady-state ops that recorded this value in the base run, and in the new run. */
  readonly baseN: number;
  readonly newN: number;
  /** Type-7 medians of the steady-state per-op values, ns. */
  readonly baseMedianNs: number;
  readonly newMedianNs: number;
  /** newMedian / baseMedian − 1, a fraction: above 0 is slower. */
  readonly change: number;
  /** Percentile bootstrap CI of the change at the comparison's level (ratio-of-medians CI − 1). */
  readonly changeCi: ChangeCi;
  /** Two-sided Mann-Whitney p-value, new against base. */
  readonly pValue: number;
  /** Mann-Whitney standard score, continuity-corrected: above 0 when new's values tend larger. */
  readonly z: number;
  readonly verdict: Verdict;
}

/** A key both runs have that could not be compared, and why. */
export interface SkippedMetric {
  readonly key: ComparedKey;
  readonly reason: string;
}

/** One scenario (matched by label) present in both results. */
export interface ScenarioComparison {
  readonly label: string;
  /** True when either run's scenario is a fresh worker per op: its samples are all cold ops. */
  readonly everyOpCold: boolean;
  /** Phases in phase order, then the total. */
  readonly metrics: readonly MetricComparison[];
  readonly skipped: readonly SkippedMetric[];
  /** Each side's rates (of the first run a side), where its op declares its work: shown beside the times. */
  readonly rates?: { readonly base?: ScenarioRates; readonly new?: ScenarioRates };
}

/**
 * The geometric mean over scenarios of the 'total' median ratios new / base, as a change.
 *
 * Its CI is an approximation: the geometric mean of the scenarios' lower bounds and of their upper
 * bounds, not an interval of the geometric mean itself. With independent scenarios it is wider
 * than an exact interval (the bounds' errors do not all point the same way at once); with
 * scenarios that move together it is about right.
 */
export interface GeometricMeanChange {
  /** How many scenarios' totals it averages. */
  readonly scenarios: number;
  /** Geometric mean of new / base − 1, a fraction. */
  readonly change: number;
  /** exp(mean(log(1 + low))) − 1 and exp(mean(log(1 + high))) − 1 over the scenarios. */
  readonly changeCi: ChangeCi;
  readonly approximation: string;
}

/** What one result ran on, flattened for a side-by-side table. */
export interface EnvironmentSide {
  readonly createdAt: string;
  /** "Linux 6.18.44 x64". */
  readonly os: string;
  readonly cpuModel: string;
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly webgpu: string;
  readonly wgprof: string;
  /** The adapter's description (its device id when the description is empty). */
  readonly adapter: string;
  readonly vendor: string;
  readonly device: string;
  readonly backend: string;
}

/** Everything `wgprof compare` reports, as printed by --json. */
export interface Comparison {
  /**
   * The unit of comparison: 'ops' (one run per side; each op a sample: op-to-op noise only),
   * 'replicates' (one run per side, with replicates; each replicate's median a sample: the shifts
   * between processes and devices included) or 'runs' (several runs per side; each run's median a
   * sample: run-to-run noise included).
   */
  readonly method: 'ops' | 'replicates' | 'runs';
  /** Runs on each side. */
  readonly runs: { readonly base: number; readonly new: number };
  /** The threshold the verdicts used, a fraction. */
  readonly threshold: number;
  /** The CIs' confidence level; the tests' significance level is 1 − level. */
  readonly level: number;
  readonly base: EnvironmentSide;
  readonly new: EnvironmentSide;
  /** True when the adapter (vendor, device or description) or the backend differ. */
  readonly crossDevice: boolean;
  /** What differs, when crossDevice. */
  readonly crossDeviceReason?: string;
  /** True when the CPU model or the OS differ. */
  readonly crossMachine: boolean;
  /** What differs, when crossMachine. */
  readonly crossMachineReason?: string;
  /** Op settings that differ ("kernel: scale vs noop"): the two runs may not measure the same op. */
  readonly configDifferences: readonly string[];
  readonly scenarios: readonly ScenarioComparison[];
  /** Scenario labels only one of the results has. */
  readonly onlyInBase: readonly string[];
  readonly onlyInNew: readonly string[];
  /** Absent when no scenario has a compared total. */
  readonly geometricMean?: GeometricMeanChange;
  /** Verdicts over every compared metric of every scenario. */
  readonly counts: Readonly<Record<Verdict, number>>;
}

/**
 * The verdict of one change.
 *
 * @param ci the change's CI, fractions.
 * @param pValue the test's two-sided p-value.
 * @param threshold the smallest change that matters, a fraction (>= 0).
 * @param alpha the significance level, e.g. 0.05.
 */
export function verdictOf(ci: ChangeCi, pValue: number, threshold: number, alpha: number): Verdict {
  const significant = pValue < alpha;
  if (ci.low > threshold) return significant ? 'regression' : 'ambiguous';
  if (ci.high < -threshold) return significant ? 'improvement' : 'ambiguous';
  const straddles = (edge: number): boolean => ci.low <= edge && ci.high >= edge;
  return straddles(threshold) || straddles(-threshold) ? 'ambiguous' : 'unchanged';
}

function environmentSide(result: ProfileResult): EnvironmentSide {
  const env: Environment = result.environment;
  const device: DeviceInfo = result.device;
  return {
    createdAt: result.createdAt,
    os: `${env.os.type} ${env.os.release} ${env.os.arch}`,
    cpuModel: env.cpu.model,
    cpuCores: env.cpu.cores,
    memoryBytes: env.memoryBytes,
    node: env.node,
    webgpu: env.webgpu,
    wgprof: env.wgprof,
    adapter: device.description || device.device,
    vendor: device.vendor,
    device: device.device,
    backend: device.backend,
  };
}

/** "name: a vs b" for each field that differs. */
function differences(
  pairs: readonly (readonly [string, string | number | boolean, string | number | boolean])[],
): string[] {
  return pairs.filter(([, a, b]) => a !== b).map(([name, a, b]) => `${name}: ${String(a)} vs ${String(b)}`);
}

function compareMetric(
  key: ComparedKey,
  base: readonly number[],
  next: readonly number[],
  options: Required<Omit<CompareOptions, 'seed' | 'sampler'>> & Pick<CompareOptions, 'seed' | 'sampler'>,
): MetricComparison | SkippedMetric {
  const baseMedianNs = median(base);
  const newMedianNs = median(next);
  if (baseMedianNs === 0) return { key, reason: 'the base median is 0 ns, so it has no relative change' };
  let ci;
  try {
    ci = bootstrapRatioCi(next, base, {
      level: options.level,
      resamples: options.resamples,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.sampler === undefined ? {} : { sampler: options.sampler }),
    });
  } catch (error) {
    if (error instanceof RangeError) return { key, reason: error.message };
    throw error;
  }
  const test = mannWhitneyU(next, base);
  const changeCi = { low: ci.low - 1, high: ci.high - 1 };
  return {
    key,
    baseN: base.length,
    newN: next.length,
    baseMedianNs,
    newMedianNs,
    change: newMedianNs / baseMedianNs - 1,
    changeCi,
    pValue: test.pValue,
    z: test.z,
    verdict: verdictOf(changeCi, test.pValue, options.threshold, 1 - options.level),
  };
}

function compareScenario(
  base: StrategyResult,
  next: StrategyResult,
  options: Required<Omit<CompareOptions, 'seed' | 'sampler'>> & Pick<CompareOptions, 'seed' | 'sampler'>,
): ScenarioComparison {
  const metrics: MetricComparison[] = [];
  const skipped: SkippedMetric[] = [];
  for (const key of COMPARED_KEYS) {
    if (base.summary[key] === undefined || next.summary[key] === undefined) continue;
    const baseValues = steadySamples(base, key);
    const nextValues = steadySamples(next, key);
    if (baseValues.length === 0 || nextValues.length === 0) {
      skipped.push({
        key,
        reason: `no steady-state values in the ${baseValues.length ? 'new' : 'base'} run`,
      });
      continue;
    }
    const outcome = compareMetric(key, baseValues, nextValues, options);
    if ('verdict' in outcome) metrics.push(outcome);
    else skipped.push(outcome);
  }
  return { label: base.label, everyOpCold: base.everyOpCold || next.everyOpCold, metrics, skipped };
}

/**
 * The geometric mean of the scenarios' total ratios, with the approximate CI described at
 * {@link GeometricMeanChange}; undefined when no scenario has a compared total.
 */
export function geometricMeanChange(totals: readonly MetricComparison[]): GeometricMeanChange | undefined {
  if (totals.length === 0) return undefined;
  const mean = (values: readonly number[]): number =>
    Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length) - 1;
  return {
    scenarios: totals.length,
    change: mean(totals.map((m) => 1 + m.change)),
    changeCi: {
      low: mean(totals.map((m) => 1 + m.changeCi.low)),
      high: mean(totals.map((m) => 1 + m.changeCi.high)),
    },
    approximation:
      "CI from the geometric means of the scenarios' CI bounds, not an exact interval of the geometric mean",
  };
}

/**
 * Compares two profile results scenario by scenario (matched by label) and key by key (each phase
 * both summarised, and the total; not the leftover), on the steady-state per-op values of their
 * records: both medians, the change of the median (new / base − 1) with its percentile bootstrap
 * CI, the two-sided Mann-Whitney p-value, and a {@link Verdict}. Adds the geometric mean of the
 * scenarios' total ratios, both environments, and flags when the two ran on different adapters or
 * backends (crossDevice) or different CPUs or operating systems (crossMachine).
 *
 * @param base the reference run.
 * @param next the run under test ("new").
 * @param options threshold (a fraction, e.g. 0.05), level (default 0.95), resamples, seed.
 * @throws RangeError when the threshold is negative or not finite, or the level is not in (0, 1).
 */
export function compareResults(
  base: ProfileResult,
  next: ProfileResult,
  options: CompareOptions,
): Comparison {
  const { threshold, level = DEFAULT_LEVEL, resamples = 2000 } = options;
  if (!(threshold >= 0 && Number.isFinite(threshold)))
    throw new RangeError(`compareResults: threshold must be a finite fraction >= 0, got ${threshold}`);
  if (!(level > 0 && level < 1))
    throw new RangeError(`compareResults: level must be in (0, 1), got ${level}`);
  const settings = {
    threshold,
    level,
    resamples,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.sampler === undefined ? {} : { sampler: options.sampler }),
  };

  const nextByLabel = new Map(next.runs.map((run) => [run.label, run]));
  const scenarios: ScenarioComparison[] = [];
  for (const run of base.runs) {
    const other = nextByLabel.get(run.label);
    if (other) scenarios.push(compareScenario(run, other, settings));
  }
  return assemble([base], [next], scenarios, 'ops', threshold, level);
}

/**
 * The parts of a comparison that do not depend on the statistics: both environments (of each
 * side's first run), what differs between them, which scenarios only one side has, the counts of
 * verdicts and the geometric mean.
 */
export function assemble(
  bases: readonly ProfileResult[],
  nexts: readonly ProfileResult[],
  scenarios: ScenarioComparison[],
  method: Comparison['method'],
  threshold: number,
  level: number,
): Comparison {
  const base = bases[0];
  const next = nexts[0];
  if (!base || !next) throw new RangeError('compare needs at least one result on each side');
  const nextByLabel = new Map(next.runs.map((run) => [run.label, run]));
  const baseLabels = new Set(base.runs.map((run) => run.label));
  const counts: Record<Verdict, number> = { regression: 0, improvement: 0, ambiguous: 0, unchanged: 0 };
  for (const scenario of scenarios) for (const metric of scenario.metrics) counts[metric.verdict]++;
  const totals = scenarios.flatMap((s) => s.metrics.filter((m) => m.key === 'total'));
  const geometricMean = geometricMeanChange(totals);

  const a = environmentSide(base);
  const b = environmentSide(next);
  const device = differences([
    ['adapter vendor', a.vendor, b.vendor],
    ['adapter device', a.device, b.device],
    ['adapter', a.adapter, b.adapter],
    ['backend', a.backend, b.backend],
  ]);
  const machine = differences([
    ['CPU', a.cpuModel, b.cpuModel],
    ['OS', a.os, b.os],
  ]);
  const config = differences([
    ['kernel', base.config.kernel, next.config.kernel],
    ['dtype', base.config.dtype, next.config.dtype],
    ['size', base.config.size, next.config.size],
    ['create', base.config.create, next.config.create],
    ['readback', base.config.readback, next.config.readback],
  ]);

  const baseByLabel = new Map(base.runs.map((run) => [run.label, run]));
  const rated = scenarios.map((s) => {
    const b = baseByLabel.get(s.label)?.rates;
    const n = nextByLabel.get(s.label)?.rates;
    return b || n ? { ...s, rates: { ...(b ? { base: b } : {}), ...(n ? { new: n } : {}) } } : s;
  });
  return {
    method,
    runs: { base: bases.length, new: nexts.length },
    threshold,
    level,
    base: a,
    new: b,
    crossDevice: device.length > 0,
    ...(device.length > 0 ? { crossDeviceReason: device.join('; ') } : {}),
    crossMachine: machine.length > 0,
    ...(machine.length > 0 ? { crossMachineReason: machine.join('; ') } : {}),
    configDifferences: config,
    scenarios: rated,
    onlyInBase: base.runs.map((r) => r.label).filter((label) => !nextByLabel.has(label)),
    onlyInNew: next.runs.map((r) => r.label).filter((label) => !baseLabels.has(label)),
    ...(geometricMean ? { geometricMean } : {}),
    counts,
  };
}
