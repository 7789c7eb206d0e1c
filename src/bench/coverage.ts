/**
 * Measured coverage of a ratio's 95% CI across independent repeats of one profile (issue 12,
 * item 6): does one repeat's CI cover what another repeat estimates? Pure arithmetic; the bench
 * row in rows/coverage.ts runs the repeats.
 */
import type { ProfileResult } from '../results/result-types.js';

/** A ratio with its CI, as a profile result's `vsMain` holds it. */
export interface RatioCi {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** Where a rerun would put its estimate (`vsMain.rerun`), where the result has it. */
  readonly rerun?: { readonly low: number; readonly high: number };
}

/** One scenario in one repeat: its `vsMain` (absent for main itself) and its median total, ns. */
export interface RepeatScenario {
  readonly label: string;
  readonly vsMain?: RatioCi;
  readonly medianNs?: number;
}

/** One repeat of the profile: its scenarios, in the order the profile ran them. */
export type Repeat = readonly RepeatScenario[];

/**
 * A profile result's scenarios as one repeat: label, `vsMain`, and the median of `total`. Main's
 * own `vsMain` is left out: it is main against itself, an estimate of 1 by construction, which
 * any CI around 1 covers.
 */
export function repeatOf(result: Pick<ProfileResult, 'runs'>): Repeat {
  return result.runs.map((run) => ({
    label: run.label,
    ...(run.vsMain && run.strategy !== 'main'
      ? {
          vsMain: {
            estimate: run.vsMain.estimate,
            low: run.vsMain.low,
            high: run.vsMain.high,
            ...(run.vsMain.rerun ? { rerun: run.vsMain.rerun } : {}),
          },
        }
      : {}),
    ...(run.summary.total ? { medianNs: run.summary.total.median } : {}),
  }));
}

export interface PairCoverage {
  /** Ordered pairs (i, j), i != j, of repeats that both have a CI: n (n - 1). */
  readonly pairs: number;
  /** Of those, the pairs in which repeat i's [low, high] holds repeat j's estimate (ends included). */
  readonly covered: number;
  /** covered / pairs; NaN when there are no pairs (fewer than two repeats). */
  readonly share: number;
}

/**
 * Over all ordered pairs (i, j), i != j: the share in which cis[i] covers cis[j].estimate.
 * Ordered, because covering is not symmetric: a wide CI can hold a narrow one's estimate while
 * the narrow one misses the wide one's.
 */
export function pairCoverage(cis: readonly RatioCi[]): PairCoverage {
  let pairs = 0;
  let covered = 0;
  for (const [i, ci] of cis.entries()) {
    for (const [j, other] of cis.entries()) {
      if (i === j) continue;
      pairs++;
      if (ci.low <= other.estimate && other.estimate <= ci.high) covered++;
    }
  }
  return { pairs, covered, share: pairs > 0 ? covered / pairs : Number.NaN };
}

export interface Spread {
  readonly n: number;
  readonly min: number;
  readonly max: number;
  /** max / min - 1: how much the largest exceeds the smallest, as a share of it. */
  readonly relativeRange: number;
  readonly mean: number;
  /** Sample standard deviation (divides by n - 1) over the mean; NaN below two values. */
  readonly cv: number;
}

/** How far a set of values (a scenario's medians, one per repeat) spread; NaNs when empty. */
export function spreadOf(values: readonly number[]): Spread {
  const n = values.length;
  if (n === 0) {
    return { n, min: NaN, max: NaN, relativeRange: NaN, mean: NaN, cv: NaN };
  }
  const min = Math.min(...values);
  const max = Math.max(...values);
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const variance = n > 1 ? values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1) : NaN;
  return { n, min, max, relativeRange: max / min - 1, mean, cv: Math.sqrt(variance) / mean };
}

export interface ScenarioCoverage {
  readonly label: string;
  /** Repeats that ran the scenario. */
  readonly repeats: number;
  /** Each repeat's `vsMain`, in repeat order (repeats without one left out). */
  readonly vsMain: readonly RatioCi[];
  /** Coverage of `vsMain` over ordered pairs; absent for a scenario without one (main). */
  readonly coverage?: PairCoverage;
  /** The same for the rerun intervals; absent unless every repeat's vsMain has one. */
  readonly rerunCoverage?: PairCoverage;
  /** Each repeat's median total, ns, in repeat order, and their spread. */
  readonly medians: readonly number[];
  readonly medianSpread: Spread;
}

/**
 * Per scenario (by label, in the order they first appear): the coverage of its `vsMain` across
 * the repeats and the spread of its median. A scenario missing from a repeat is left out of that
 * repeat's pairs and values.
 */
export function scenarioCoverage(repeats: readonly Repeat[]): ScenarioCoverage[] {
  const labels = [...new Set(repeats.flatMap((repeat) => repeat.map((s) => s.label)))];
  return labels.map((label) => {
    const found = repeats.flatMap((repeat) => repeat.filter((s) => s.label === label).slice(0, 1));
    const vsMain = found.flatMap((s) => (s.vsMain ? [s.vsMain] : []));
    const reruns = vsMain.flatMap((v) => (v.rerun ? [{ estimate: v.estimate, ...v.rerun }] : []));
    const medians = found.flatMap((s) => (s.medianNs === undefined ? [] : [s.medianNs]));
    return {
      label,
      repeats: found.length,
      vsMain,
      ...(vsMain.length > 0 ? { coverage: pairCoverage(vsMain) } : {}),
      ...(reruns.length > 0 && reruns.length === vsMain.length
        ? { rerunCoverage: pairCoverage(reruns) }
        : {}),
      medians,
      medianSpread: spreadOf(medians),
    };
  });
}

/**
 * The scenario with the lowest coverage share (NaN counts as lowest), of its CIs or (`of`
 * 'rerun') of its rerun intervals; undefined if none has one.
 */
export function worstCoverage(
  scenarios: readonly ScenarioCoverage[],
  of: 'ci' | 'rerun' = 'ci',
): ScenarioCoverage | undefined {
  const coverageOf = (s: ScenarioCoverage): PairCoverage | undefined =>
    of === 'ci' ? s.coverage : s.rerunCoverage;
  const rank = (s: ScenarioCoverage): number => {
    const share = coverageOf(s)?.share ?? Number.NaN;
    return Number.isNaN(share) ? -1 : share;
  };
  return scenarios
    .filter((s) => coverageOf(s) !== undefined)
    .reduce<ScenarioCoverage | undefined>(
      (worst, s) => (worst && rank(worst) <= rank(s) ? worst : s),
      undefined,
    );
}
