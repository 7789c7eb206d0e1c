import type { SlotReadings } from '../device/timestamp-slots.js';
import {
  TIMING,
  timestampHealth,
  withinSpan,
  type TimestampHealth,
  type TimingCode,
} from '../device/timestamp-check.js';
import type { UntimedReason } from './trace-events.js';
import type { CostMeasure } from './trace-timing-cost.js';

/**
 * How a traced program's compute passes were timed, and whether their readings can be figures:
 * "untimed by choice" (--gpu-time) kept apart from "timed, and the reading failed", and both
 * from passes untimed for the device's or the program's reasons.
 */

/** Every compute pass of the program, by what became of its timing; the counts add up to `passes`. */
export interface PassTally {
  readonly passes: number;
  /** Timed, and the reading passed every check. */
  readonly ok: number;
  /** Timed, and the reading failed a check (zero, reversed, longer than its span, no query set). */
  readonly failed: number;
  /** Untimed by choice: --gpu-time sampled them out, or is none. */
  readonly byChoice: number;
  /** Timed by the program itself (its own timestampWrites): left untouched. */
  readonly ownWrites: number;
  /** On a device without timestamp-query. */
  readonly noTimestampQuery: number;
  /** On a device past wgprof's budget of query sets per thread. */
  readonly overBudget: number;
  /** No slot free in their device's query set (or their device unknown); also passes of older logs without a code. */
  readonly noSlot: number;
  /** Timed, and never read back: their thread ended, or their device was lost, first. */
  readonly unread: number;
}

export const NO_PASSES: PassTally = {
  passes: 0,
  ok: 0,
  failed: 0,
  byChoice: 0,
  ownWrites: 0,
  noTimestampQuery: 0,
  overBudget: 0,
  noSlot: 0,
  unread: 0,
};

const REASON_KEY: Record<UntimedReason, keyof PassTally> = {
  'by-choice': 'byChoice',
  'own-writes': 'ownWrites',
  'no-timestamp-query': 'noTimestampQuery',
  'over-budget': 'overBudget',
  'no-slot': 'noSlot',
};

/** A logged pass as the timing sees it. */
export interface PassTiming {
  readonly code: TimingCode;
  readonly untimed?: UntimedReason | undefined;
  /** Its GPU duration, ns; NaN unless its reading passed. */
  readonly ns: number;
}

/** A read-back of a device's slots: the raw stamps, their codes (readingsOf), and when it ended (ns). */
export interface StampsRead {
  readonly stamps: BigUint64Array;
  readonly readings: SlotReadings;
  readonly doneNs: number;
}

/**
 * A timed pass's reading, checked: its slot's code (zero, reversed), then whether its duration
 * fits in the CPU span from its submit's start to the read-back's end (the pass ran inside it:
 * withinSpan); its stamps only if it passed both. No read-back (its thread ended, or its device
 * was lost, first): unread.
 */
export function passReading(
  slot: number,
  submitAt: number,
  read: StampsRead | undefined,
): { code: TimingCode; begin: number | null; end: number | null } {
  let code = (read?.readings.codes[slot] as TimingCode | undefined) ?? TIMING.unread;
  const ns = read?.readings.ns[slot] ?? Number.NaN;
  if (code === TIMING.timed && read && !withinSpan(ns, read.doneNs - submitAt)) code = TIMING.outOfSpan;
  if (code !== TIMING.timed || !read) return { code, begin: null, end: null };
  return {
    code,
    begin: Number(read.stamps[2 * slot] ?? 0n),
    end: Number(read.stamps[2 * slot + 1] ?? 0n),
  };
}

/** The code of a pass event; an older log's pass has none: timed if it has stamps. */
export function passCode(code: number | undefined, gpuBegin: number | null): TimingCode {
  if (code !== undefined && code >= TIMING.untimed && code <= TIMING.noQuerySet) return code as TimingCode;
  return gpuBegin !== null ? TIMING.timed : TIMING.untimed;
}

/** The passes counted by fate. */
export function tallyPasses(passes: readonly PassTiming[]): PassTally {
  const t: Record<keyof PassTally, number> = { ...NO_PASSES };
  for (const p of passes) {
    t.passes++;
    if (p.code === TIMING.timed) t.ok++;
    else if (p.code === TIMING.unread) t.unread++;
    else if (p.code !== TIMING.untimed) t.failed++;
    else t[p.untimed === undefined ? 'noSlot' : REASON_KEY[p.untimed]]++;
  }
  return t;
}

export function addTallies(a: PassTally, b: PassTally): PassTally {
  const t: Record<keyof PassTally, number> = { ...a };
  for (const k of Object.keys(t) as (keyof PassTally)[]) t[k] += b[k];
  return t;
}

/**
 * The health of one device's readings (timestamp-check.ts): every pass that was to be timed
 * counts, except those never read back (a reading not taken says nothing of the device's
 * timestamps). `exact`: quantization off, so equal durations mean a stuck clock.
 * `unavailableReason`: why its query set could not be made, when it could not.
 */
export function deviceHealth(
  passes: readonly PassTiming[],
  exact: boolean,
  unavailableReason?: string,
): TimestampHealth {
  return timestampHealth(
    passes.map((p) => p.code),
    passes.map((p) => p.ns),
    exact,
    (i) => passes[i]?.code !== TIMING.unread,
    unavailableReason,
  );
}

/** What timing cost the program per timed pass (trace-timing-cost.ts), with --gpu-time sample. */
export interface TraceTimingCost {
  /** Its encoders' createCommandEncoder and finish and the submit call, per pass. */
  readonly calls: CostMeasure;
  /** The program's wait (onSubmittedWorkDone, mapAsync) after the submits, per pass. */
  readonly wait: CostMeasure;
}

/** How the trace timed the program's passes, what that cost, and whether its GPU times are figures. */
export interface TraceTiming {
  /** --gpu-time as given back: sample, 1/N, every or none. */
  readonly gpuTime: string;
  /** Query sets wgprof made, one per device it timed (none with --gpu-time none). */
  readonly querySets: number;
  readonly passes: PassTally;
  /**
   * How the readings went; untrusted: no GPU figure at all (no GPU time per pass, no GPU busy
   * time, waits not split, no GPU lane in the timelines), `reason` says why.
   */
  readonly timestamps: TimestampHealth & { readonly trusted: boolean; readonly reason?: string };
  /** With --gpu-time sample (or 1/N) only. */
  readonly cost?: TraceTimingCost;
}
