import type { RecordStore } from './record-store.js';
import { steadyCount, steadyValues } from './steady-state.js';
import { relativeNoise, Stopping, type StopReason, type StoppingRule } from './stopping-rule.js';

/** What the rounds need of a scenario's run (a strategy is one). */
export interface RoundsMember {
  readonly scenario: { readonly label: string };
  readonly store: RecordStore;
  /** Set when its device was lost: the rounds stop. */
  readonly lost: string | undefined;
  runChunk(ops: number): Promise<void>;
}

export interface RoundsOutcome {
  readonly rounds: number;
  readonly stoppedBy: Exclude<StopReason, 'reps'>;
  readonly elapsedMs: number;
}

/**
 * A scenario whose last this many ops all failed gives up: an op module that crashes its worker
 * at every op would otherwise be restarted and fail until the time budget ran out (about a
 * thousand failed records in a 60 s budget), telling nothing more than the first fifty did.
 */
export const FAILING_STREAK = 50;

/** True when the store's last FAILING_STREAK records all failed. */
export function givenUp(store: RecordStore): boolean {
  const n = store.count;
  if (n < FAILING_STREAK) return false;
  for (let i = n - FAILING_STREAK; i < n; i++) if (store.status(i) === 'ok') return false;
  return true;
}

/** The relative half-width of the CI of the median of a scenario's steady-state totals. */
export function noiseOf(member: RoundsMember): number {
  return relativeNoise(steadyValues(member.store.totalsNs, member.store));
}

/**
 * Runs the scenarios interleaved, a chunk each per round (main, fresh, reused, ... then again),
 * so that drift on a noisy machine falls on all of them alike and ratios taken within the run
 * stay fair, until the stopping rule says stop.
 */
export async function runRounds(
  members: readonly RoundsMember[],
  rule: Omit<StoppingRule, 'unit'>,
  onChunk?: (label: string, round: number, done: number) => void,
  shouldStop: () => boolean = () => false,
): Promise<RoundsOutcome> {
  const stopping = new Stopping({ ...rule, unit: 'ops' }, shouldStop);
  const timed = (m: RoundsMember): number => steadyCount(m.store);
  let rounds = 0;
  for (;;) {
    rounds++;
    for (const member of members) {
      if (member.lost || givenUp(member.store)) continue;
      const left = stopping.want(timed(member));
      if (left <= 0) continue;
      if (stopping.stopRequested) return { rounds, stoppedBy: 'interrupted', elapsedMs: stopping.elapsedMs };
      onChunk?.(member.scenario.label, rounds, timed(member));
      await member.runChunk(left);
    }
    const stoppedBy = stopping.verdict(
      members.map((m) => ({ count: timed(m), exhausted: givenUp(m.store), noise: () => noiseOf(m) })),
      members.some((m) => m.lost !== undefined),
    );
    if (stoppedBy)
      return { rounds, stoppedBy: stoppedBy as RoundsOutcome['stoppedBy'], elapsedMs: stopping.elapsedMs };
  }
}
