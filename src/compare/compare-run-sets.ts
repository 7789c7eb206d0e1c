import type { ProfileResult, StrategyResult } from '../results/result-types.js';
import { steadySamples } from '../results/steady-samples.js';
import { DEFAULT_LEVEL, median, studentTCdf, studentTQuantile } from '../statistics/index.js';
import {
  assemble,
  COMPARED_KEYS,
  compareResults,
  type ComparedKey,
  verdictOf,
  type CompareOptions,
  type Comparison,
  type MetricComparison,
  type ScenarioComparison,
  type SkippedMetric,
} from './compare-results.js';

/** Welch's t test on two small samples: t, its Welch-Satterthwaite degrees of freedom, the two-sided p. */
export function welch(
  a: readonly number[],
  b: readonly number[],
): { t: number; df: number; se: number; pValue: number } {
  const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = (xs: readonly number[], m: number): number =>
    xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
  const ma = mean(a);
  const mb = mean(b);
  const va = variance(a, ma) / a.length;
  const vb = variance(b, mb) / b.length;
  const se = Math.sqrt(va + vb);
  const diff = mb - ma;
  if (se === 0)
    return {
      t: diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY,
      df: a.length + b.length - 2,
      se,
      pValue: diff === 0 ? 1 : 0,
    };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const t = diff / se;
  return { t, df, se, pValue: 2 * (1 - studentTCdf(Math.abs(t), df)) };
}

/**
 * One metric over runs: each run contributes the log of its steady-state median, so the noise
 * that counts is the spread between runs, drift and all. The change is the ratio of the two
 * sides' geometric means of run medians, with a Welch t interval on the log scale.
 */
function compareOverRuns(
  key: MetricComparison['key'],
  bases: readonly number[],
  nexts: readonly number[],
  threshold: number,
  level: number,
): MetricComparison | SkippedMetric {
  if (bases.some((m) => !(m > 0)) || nexts.some((m) => !(m > 0)))
    return { key, reason: 'a run has a median of 0 ns, which has no logarithm' };
  const la = bases.map(Math.log);
  const lb = nexts.map(Math.log);
  const test = welch(la, lb);
  const meanLog = (ls: readonly number[]): number => ls.reduce((s, x) => s + x, 0) / ls.length;
  const diff = meanLog(lb) - meanLog(la);
  const half =
    Number.isFinite(test.t) && test.se > 0 ? studentTQuantile(1 - (1 - level) / 2, test.df) * test.se : 0;
  const changeCi = { low: Math.exp(diff - half) - 1, high: Math.exp(diff + half) - 1 };
  return {
    key,
    baseN: bases.length,
    newN: nexts.length,
    baseMedianNs: Math.exp(meanLog(la)),
    newMedianNs: Math.exp(meanLog(lb)),
    change: Math.exp(diff) - 1,
    changeCi,
    pValue: test.pValue,
    z: test.t,
    verdict: verdictOf(changeCi, test.pValue, threshold, 1 - level),
  };
}

type Side = readonly StrategyResult[];

/**
 * Scenario by scenario (base's labels that every result has) and key by key, over samples that
 * are each a median: a run's or a replicate's (`mediansOf`). Keys a side lacks are left out.
 */
function compareOverMedians(
  bases: readonly ProfileResult[],
  nexts: readonly ProfileResult[],
  mediansOf: (runs: Side, key: ComparedKey) => number[],
  threshold: number,
  level: number,
): ScenarioComparison[] {
  const scenarioOf = (result: ProfileResult, label: string): StrategyResult | undefined =>
    result.runs.find((r) => r.label === label);
  const scenarios: ScenarioComparison[] = [];
  for (const { label } of bases[0]?.runs ?? []) {
    const baseRuns = bases.map((r) => scenarioOf(r, label));
    const nextRuns = nexts.map((r) => scenarioOf(r, label));
    if (baseRuns.some((r) => !r) || nextRuns.some((r) => !r)) continue;
    const a = baseRuns as StrategyResult[];
    const b = nextRuns as StrategyResult[];
    const metrics: MetricComparison[] = [];
    const skipped: SkippedMetric[] = [];
    for (const key of COMPARED_KEYS) {
      if ([...a, ...b].some((r) => r.summary[key] === undefined)) continue;
      const [ma, mb] = [mediansOf(a, key), mediansOf(b, key)];
      const outcome =
        ma.length < 2 || mb.length < 2
          ? { key, reason: `fewer than two medians on a side (${ma.length} and ${mb.length})` }
          : compareOverRuns(key, ma, mb, threshold, level);
      if ('verdict' in outcome) metrics.push(outcome);
      else skipped.push(outcome);
    }
    scenarios.push({ label, everyOpCold: [...a, ...b].some((r) => r.everyOpCold), metrics, skipped });
  }
  return scenarios;
}

/** Each run's median of `key`, from its steady-state ops. */
function runMedians(runs: Side, key: ComparedKey): number[] {
  return runs
    .map((r) => steadySamples(r, key))
    .map((samples) => (samples.length > 0 ? median(samples) : NaN));
}

/** Each replicate's median of `key` (its own process and device), over the side's runs. */
function replicateMedians(runs: Side, key: ComparedKey): number[] {
  return runs.flatMap((r) => (r.replicates ?? []).flatMap((rep) => rep.medianNs[key] ?? []));
}

/** Every scenario of the result measured by two replicates or more. */
function replicated(result: ProfileResult): boolean {
  return result.runs.length > 0 && result.runs.every((r) => (r.replicates?.length ?? 0) >= 2);
}

/**
 * Compares two sets of profile results of one configuration. Several runs a side: run against
 * run, each run's median one sample, so that what changes from one run to the next on its own (a
 * busy machine, a GPU that clocks differently) does not pass for a regression. One run a side
 * whose scenarios each ran in two replicates or more: replicate against replicate, each one's
 * median a sample, since each is its own process and device and carries the same shifts (on
 * lavapipe, five repeats of the default profile put main's median anywhere from 17.5 to 22.4 ms;
 * op against op, 11 of their 20 ordered pairs had a false regression, replicate against
 * replicate 4). Otherwise (results without replicates, or with
 * one): op against op (compareResults).
 *
 * @throws RangeError when one side has one run and the other several.
 */
export function compareRunSets(
  bases: readonly ProfileResult[],
  nexts: readonly ProfileResult[],
  options: CompareOptions,
): Comparison {
  const [base] = bases;
  const [next] = nexts;
  if (!base || !next) throw new RangeError('compare needs at least one result on each side');
  const { threshold } = options;
  const level = options.level ?? DEFAULT_LEVEL;
  if (bases.length === 1 && nexts.length === 1) {
    if (!(replicated(base) && replicated(next))) return compareResults(base, next, options);
    const scenarios = compareOverMedians(bases, nexts, replicateMedians, threshold, level);
    return assemble(bases, nexts, scenarios, 'replicates', threshold, level);
  }
  if (bases.length < 2 || nexts.length < 2) {
    throw new RangeError(
      `give one run on each side, or at least two on each side (got ${bases.length} and ${nexts.length})`,
    );
  }
  const scenarios = compareOverMedians(bases, nexts, runMedians, threshold, level);
  return assemble(bases, nexts, scenarios, 'runs', threshold, level);
}
