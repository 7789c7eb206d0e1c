import type { ChangeCi, Comparison, Verdict } from '../compare/compare-results.js';
import type { Provenance } from '../results/provenance.js';

/**
 * What `wgprof history` reads and prints: profile results grouped by what they measured and where,
 * each group's runs in time order, and per scenario the series of its median total per op with
 * the verdict of each step between neighbours. This is what `--format json` writes.
 */

/** A file that was not read into the history, and why, in words. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

/** One result of a group: its place in the group's time order, from 1. */
export interface HistoryRun {
  readonly run: number;
  readonly path: string;
  readonly createdAt: string;
  /** Where the run was made from (git commit, a label), when the result records it. */
  readonly provenance?: Provenance;
}

/** A step from the scenario's previous point to this one, by compare's own verdict on the total. */
export interface ComparedStep {
  /** The run this point is compared against: the scenario's previous point. */
  readonly fromRun: number;
  /** How compare took its samples: 'ops', 'replicates' (or 'runs', never here: one run a side). */
  readonly method: Comparison['method'];
  /** This median / the previous one - 1, a fraction (above 0: slower). */
  readonly change: number;
  readonly changeCi: ChangeCi;
  readonly verdict: Verdict;
}

/** A step compare could not judge (no steady values on a side, a median of 0 ns), and why. */
export interface UncomparedStep {
  readonly fromRun: number;
  readonly notCompared: string;
}

export type HistoryStep = ComparedStep | UncomparedStep;

/** One run's figure of one scenario: the median total per op over its steady ops, with its CI. */
export interface HistoryPoint {
  readonly run: number;
  /** Steady ops the median is of. */
  readonly n: number;
  readonly medianNs: number;
  /** The median's CI as the result stores it (95% unless the run said otherwise). */
  readonly lowNs: number;
  readonly highNs: number;
  /** Against the scenario's previous point; absent on its first. */
  readonly step?: HistoryStep;
}

/** One scenario of a group over its runs. */
export interface ScenarioSeries {
  /** As the tables write it ("main", "fresh (all cold)"). */
  readonly scenario: string;
  readonly points: readonly HistoryPoint[];
  /** The verdicts of its compared steps. */
  readonly counts: Readonly<Record<Verdict, number>>;
}

/** Results of one op, configuration and device: the only ones whose figures make a trend. */
export interface HistoryGroup {
  /** Stable for the same op, configuration and device: a key for scripts. */
  readonly id: string;
  /** "noop/1K/f32": kernel (or op module), elements, dtype. */
  readonly op: string;
  /** The settings beside the op that change its figures, as "name=value". */
  readonly config: readonly string[];
  /** "llvmpipe: Mesa 25.0.7 (vulkan)". */
  readonly device: string;
  /** The host's CPU model and cores. */
  readonly host: string;
  readonly runs: readonly HistoryRun[];
  readonly scenarios: readonly ScenarioSeries[];
}

export interface History {
  /** The threshold of compare's verdicts, a fraction. */
  readonly threshold: number;
  /** Profile results read. */
  readonly results: number;
  readonly groups: readonly HistoryGroup[];
  readonly skipped: readonly SkippedFile[];
}
