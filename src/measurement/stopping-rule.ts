import { summarize } from '../statistics/index.js';

/**
 * When a repeated measurement stops: profile rounds (ops per scenario) and the repetitions of
 * breakdown's and sync's experiments both follow one rule, with the minimums named here once.
 */

/** Fewest steady-state ops per scenario before --max-noise may end the profile rounds. */
export const MIN_STEADY_OPS = 30;
/** Fewest repetitions per experiment before --max-noise may end breakdown or sync. */
export const MIN_REPS = 10;
/** Ops per scenario per round: small enough to interleave often, large enough to amortise switching. */
export const OPS_PER_CHUNK = 20;
/** Repetitions per experiment per round (each may start a worker: fewer than ops). */
export const REPS_PER_CHUNK = 5;
/** Repetitions after which an experiment that never once succeeded is given up. */
export const MAX_FAILURES_WITHOUT_SAMPLE = 3;

/**
 * Why a measurement stopped: its fixed count (`ops` for profile rounds, `reps` for experiments),
 * every median known to --max-noise, every verdict settled (a profile: each scenario's vs main CI
 * in one verdict's region), verdicts that cannot settle in the rounds the budget has left
 * (`futile`), the most rounds a profile's schedule adds (`rounds`), the time budget,
 * a lost device, a stop request (Ctrl-C), a measuring process that died without answering (a
 * profile's replicates), or every item left only failing (`failing`: each gave up after its
 * ops kept failing, which more time would not change).
 */
export type StopReason =
  | 'ops'
  | 'reps'
  | 'noise'
  | 'settled'
  | 'futile'
  | 'rounds'
  | 'time-budget'
  | 'device-lost'
  | 'interrupted'
  | 'process-died'
  | 'failing';

export interface StoppingRule {
  /** What the fixed count counts, and so the reason it stops with. */
  readonly unit: 'ops' | 'reps';
  /** A fixed count per item; when set, noise is not consulted. */
  readonly count?: number;
  /** Fewest samples per item before noise may stop the measurement. */
  readonly minCount: number;
  /** The 95% CI half-width of each item's median, as a share of it. */
  readonly maxNoise: number;
  readonly timeBudgetMs: number;
  /** Samples per item per round. */
  readonly chunk: number;
}

/** The relative half-width of the 95% CI of the median: the one noise figure every stop uses. */
export function relativeNoise(values: ArrayLike<number>): number {
  if (values.length < 2) return Number.POSITIVE_INFINITY;
  const s = summarize(values);
  return s.median > 0 ? (s.medianCi.high - s.medianCi.low) / 2 / s.median : Number.POSITIVE_INFINITY;
}

/** Where one item stands after a round. */
export interface ItemProgress {
  /** Samples that count towards the fixed count. */
  readonly count: number;
  /** True when the item can give no more samples (it only fails): it no longer holds the stop up. */
  readonly exhausted?: boolean;
  /** Its noise, computed only when the rule consults it. */
  noise(): number;
}

/** The rule applied: how many samples each item takes this round, and whether to stop after it. */
export class Stopping {
  private readonly started = Date.now();

  constructor(
    readonly rule: StoppingRule,
    private readonly interrupted: () => boolean = () => false,
  ) {}

  get elapsedMs(): number {
    return Date.now() - this.started;
  }

  /** How many samples an item with `count` of them takes this round. */
  want(count: number): number {
    const { rule } = this;
    return rule.count === undefined ? rule.chunk : Math.max(0, Math.min(rule.chunk, rule.count - count));
  }

  /** A stop request, checked before each chunk. */
  get stopRequested(): boolean {
    return this.interrupted();
  }

  /** After a round: the reason to stop, or undefined to run another. */
  verdict(items: readonly ItemProgress[], deviceLost = false): StopReason | undefined {
    const { rule } = this;
    if (deviceLost) return 'device-lost';
    const live = items.filter((item) => item.exhausted !== true);
    if (items.length > 0 && live.length === 0) return 'failing';
    if (rule.count !== undefined) {
      if (live.every((item) => item.count >= (rule.count ?? 0))) return rule.unit;
    } else if (
      Math.min(...live.map((item) => item.count)) >= rule.minCount &&
      live.every((item) => item.noise() <= rule.maxNoise)
    ) {
      return 'noise';
    }
    if (this.elapsedMs >= rule.timeBudgetMs) return 'time-budget';
    return undefined;
  }
}
