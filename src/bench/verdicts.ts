/**
 * Do short runs of the default profile give the verdicts a long run gives (issue 23)? Pure
 * arithmetic over profile results; the bench row in rows/verdicts.ts runs them. A verdict is
 * compared by its word (`fine`, `avoid`, `costs`, `faster`, `undecided`), not by its sentence: two
 * runs that both say "Costs" agree whatever percentage each prints.
 */
import { overheadOf, verdictCategory, type VerdictCategory } from '../reports/guidance.js';
import type { ProfileResult } from '../results/result-types.js';
import { median } from '../statistics/index.js';

/**
 * A verdict's word: the guidance's categories with the two "fine to use" ones (no measurable
 * overhead, negligible) as one, and the two "avoid" ones (a fresh worker's start, a large cost) as one.
 */
export type VerdictWord = 'fine' | 'avoid' | 'costs' | 'faster' | 'undecided';

const WORD: Readonly<Record<VerdictCategory, VerdictWord>> = {
  'no-overhead': 'fine',
  negligible: 'fine',
  'avoid-start': 'avoid',
  avoid: 'avoid',
  costs: 'costs',
  faster: 'faster',
  undecided: 'undecided',
};

export function verdictWord(category: VerdictCategory): VerdictWord {
  return WORD[category];
}

/** One scenario's verdict in one run, with the overhead it came from (share of main's throughput lost, %, 95% CI). */
export interface ScenarioVerdict {
  readonly label: string;
  readonly category: VerdictCategory;
  readonly word: VerdictWord;
  readonly overhead: { readonly estimate: number; readonly low: number; readonly high: number };
}

/**
 * The verdict of each scenario of a profile result, in the result's order: every scenario but
 * main that has a `vs main` (the guidance's rows), its category from reports/guidance.ts.
 */
export function scenarioVerdicts(result: Pick<ProfileResult, 'runs'>): ScenarioVerdict[] {
  return result.runs.flatMap((run) => {
    const overhead = run.strategy === 'main' ? undefined : overheadOf(run);
    if (!overhead) return [];
    const category = verdictCategory(run, overhead);
    return [{ label: run.label, category, word: verdictWord(category), overhead }];
  });
}

/** Scenario label -> verdict word, in the result's order. */
export type VerdictWords = Readonly<Record<string, VerdictWord>>;

export function verdictWords(result: Pick<ProfileResult, 'runs'>): VerdictWords {
  return Object.fromEntries(scenarioVerdicts(result).map((v) => [v.label, v.word]));
}

/** One short run against the long run. */
export interface RunComparison {
  /**
   * Strict agreement: the two runs have the same scenarios and every one has the long run's word
   * (a short run's `undecided` where the long run decided is not agreement).
   */
  readonly agrees: boolean;
  /** Some scenario has a decided word in both runs, and the words differ. */
  readonly contradicts: boolean;
  /** Scenarios whose words differ, or that one of the two runs lacks, in first-seen order. */
  readonly differing: readonly string[];
  /** Of those, the ones both runs decided (neither `undecided`, neither missing). */
  readonly contradicting: readonly string[];
}

/** Labels of both runs, the long run's first, each once. */
function labelsOf(...runs: readonly VerdictWords[]): string[] {
  return [...new Set(runs.flatMap((words) => Object.keys(words)))];
}

/**
 * A short run's words against the long run's. Only two decided words that differ contradict: a
 * short run's `undecided` says it did not know, not that the long run is wrong, and where the long
 * run is `undecided` there is nothing to contradict. A scenario that one run lacks breaks
 * agreement and contradicts nothing.
 */
export function compareVerdicts(short: VerdictWords, long: VerdictWords): RunComparison {
  const differing: string[] = [];
  const contradicting: string[] = [];
  for (const label of labelsOf(long, short)) {
    const mine = short[label];
    const theirs = long[label];
    if (mine === theirs) continue;
    differing.push(label);
    if (mine !== undefined && theirs !== undefined && mine !== 'undecided' && theirs !== 'undecided')
      contradicting.push(label);
  }
  return {
    agrees: differing.length === 0,
    contradicts: contradicting.length > 0,
    differing,
    contradicting,
  };
}

/** One scenario across the short runs, against its long-run word. */
export interface ScenarioAgreement {
  readonly label: string;
  /** Absent when the long run lacks the scenario. */
  readonly long?: VerdictWord;
  /** Short runs with the long run's word. */
  readonly same: number;
  /** Short runs that said `undecided` where the long run decided. */
  readonly undecided: number;
  /** Short runs with another decided word. */
  readonly contradicting: number;
  /** Short runs without the scenario. */
  readonly missing: number;
}

export interface AgreementSummary {
  readonly runs: number;
  /** Short runs in strict agreement with the long run. */
  readonly agreeing: number;
  /** Short runs with at least one contradicting scenario. */
  readonly contradicting: number;
  readonly comparisons: readonly RunComparison[];
  /** Per scenario, the long run's first, then any only the short runs have. */
  readonly scenarios: readonly ScenarioAgreement[];
}

/** Every short run against the long run, and the counts per run and per scenario. */
export function agreementOf(shorts: readonly VerdictWords[], long: VerdictWords): AgreementSummary {
  const comparisons = shorts.map((short) => compareVerdicts(short, long));
  const scenarios = labelsOf(long, ...shorts).map((label): ScenarioAgreement => {
    const theirs = long[label];
    const counts = { same: 0, undecided: 0, contradicting: 0, missing: 0 };
    for (const short of shorts) {
      const mine = short[label];
      if (mine === undefined) counts.missing++;
      else if (mine === theirs) counts.same++;
      else if (mine === 'undecided') counts.undecided++;
      else if (theirs !== undefined && theirs !== 'undecided') counts.contradicting++;
    }
    return { label, ...(theirs === undefined ? {} : { long: theirs }), ...counts };
  });
  return {
    runs: shorts.length,
    agreeing: comparisons.filter((c) => c.agrees).length,
    contradicting: comparisons.filter((c) => c.contradicts).length,
    comparisons,
    scenarios,
  };
}

/** The least of `runs` that is at least `share` of them: 9 of 10 at 0.9, 2 of 2. */
export function agreementNeeded(runs: number, share: number): number {
  return Math.max(0, Math.ceil(runs * share - 1e-9));
}

/** The median of the wall times and their range, ns; NaNs when there are none. */
export function wallSpread(wallNs: readonly number[]): { median: number; min: number; max: number } {
  if (wallNs.length === 0) return { median: NaN, min: NaN, max: NaN };
  return { median: median(wallNs), min: Math.min(...wallNs), max: Math.max(...wallNs) };
}
