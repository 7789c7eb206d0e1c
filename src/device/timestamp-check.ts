/**
 * Every GPU time is checked before it is used: drivers write wrong timestamps and still advertise
 * the feature (Metal's counter sample buffers read as all zeros on macOS 26, wgpu issue 9414; a
 * Metal device runs out of counter sample buffers, gpuweb issue 3652; quantized timestamps round
 * short passes to 0). A reading that fails a check is not a figure; a run whose readings mostly
 * fail says once that this device's timestamps cannot be trusted, and keeps CPU-side figures only.
 *
 * Each op's reading is a code in its record (the store's `timing` column): whether the op was
 * timed at all, and if so whether its reading passed.
 */
export const TIMING = {
  /** The op wrote no timestamps: its CPU-side figures are the user's program's. */
  untimed: 0,
  /** Timed, and its reading passed (or is not read back yet). */
  timed: 1,
  /** Zero duration, or a stamp never written (0). */
  zero: 2,
  /** The pass ended before it began. */
  reversed: 3,
  /** Longer than the op that contained it, on the CPU clock. */
  outOfSpan: 4,
  /** Its timestamps were written and never read back (its device was lost first). */
  unread: 5,
  /** It was to be timed and wrote no timestamps: its device's query set could not be made. */
  noQuerySet: 6,
  /**
   * Untimed, the first after a block of timed ops: left out of every figure, because a timed op
   * slows the op after it (config/gpu-time.ts's TIMED_BLOCK).
   */
  settle: 7,
} as const;
export type TimingCode = (typeof TIMING)[keyof typeof TIMING];

/** Each code's name, as exports write it (the CSV's gpu_timing column). */
export const TIMING_NAMES: readonly string[] = [
  'untimed',
  'timed',
  'zero',
  'reversed',
  'out-of-span',
  'unread',
  'no-query-set',
  'settle',
];

/**
 * True for an op that wrote timestamps, whatever its reading: it paid for timing, and its
 * CPU-side figures are not the user's program's. (`noQuerySet` ops wrote none.)
 */
export const wroteTimestamps = (code: number): boolean => code >= TIMING.timed && code <= TIMING.unread;

/**
 * A pass's GPU duration can exceed the CPU span around it (from the submit's start to the end of
 * the wait) only by the clocks' disagreement: their rates (ppm), and the CPU clock's readings at
 * either end. 5% and 20 us allow far more than that, so only a reading that cannot be true fails.
 */
export const SPAN_TOLERANCE = 0.05;
export const SPAN_SLACK_NS = 20_000;

/** Fewer equal readings than this can be a coincidence of a coarse GPU clock. */
export const CONSTANT_MIN_READINGS = 16;

/** The code of one begin/end pair (GPU clock, ns): timed (it passed), zero or reversed. */
export function classifyStamps(begin: bigint, end: bigint): TimingCode {
  if (begin === 0n || end === begin) return TIMING.zero;
  if (end < begin) return TIMING.reversed;
  return TIMING.timed;
}

/** Whether a GPU duration fits in the CPU span of the op (or call) that contained it. */
export function withinSpan(gpuNs: number, spanNs: number): boolean {
  return !(Number.isFinite(spanNs) && gpuNs > spanNs * (1 + SPAN_TOLERANCE) + SPAN_SLACK_NS);
}

/** How a run's (or a thread's) timestamp readings went. */
export interface TimestampHealth {
  /** Ops (or passes) that wrote timestamps. */
  readonly timed: number;
  /** Of those, readings that passed every check. */
  readonly ok: number;
  readonly zero: number;
  readonly reversed: number;
  readonly outOfSpan: number;
  /** Never read back (device lost), or never written (no query set). */
  readonly unavailable: number;
  /** Of `unavailable`, those never written: no query set could be made (absent: none, or not told apart). */
  readonly noQuerySet?: number;
  /** Every passing reading the same duration (exact timestamps, CONSTANT_MIN_READINGS or more). */
  readonly constant: boolean;
  /** Why readings were unavailable, when it is known (a query set that could not be made). */
  readonly unavailableReason?: string;
}

/**
 * Counts the codes of the ops that ended ok (`include`), and whether their passing durations
 * (`gpuNs`, NaN where none) were all the same. `exact`: timestamps unquantized, so that equal
 * durations to the nanosecond mean a stuck clock, not rounding.
 */
export function timestampHealth(
  codes: ArrayLike<number>,
  gpuNs: ArrayLike<number>,
  exact: boolean,
  include: (index: number) => boolean = () => true,
  unavailableReason?: string,
): TimestampHealth {
  const counts = { timed: 0, ok: 0, zero: 0, reversed: 0, outOfSpan: 0, unavailable: 0, noQuerySet: 0 };
  let first = NaN;
  let allEqual = true;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] ?? TIMING.untimed;
    if (code === TIMING.untimed || code === TIMING.settle || !include(i)) continue;
    const ns = gpuNs[i] ?? NaN;
    // Timed, with no reading and no failure: an op module's op with a pass wgprof did not time
    // (it brought its own timestamps, or its device's query set was still being made).
    if (code === TIMING.timed && Number.isNaN(ns)) continue;
    counts.timed++;
    if (code === TIMING.timed) {
      counts.ok++;
      if (Number.isNaN(first)) first = ns;
      else if (ns !== first) allEqual = false;
    } else if (code === TIMING.zero) counts.zero++;
    else if (code === TIMING.reversed) counts.reversed++;
    else if (code === TIMING.outOfSpan) counts.outOfSpan++;
    else {
      counts.unavailable++;
      if (code === TIMING.noQuerySet) counts.noQuerySet++;
    }
  }
  return {
    ...counts,
    constant: exact && allEqual && counts.ok >= CONSTANT_MIN_READINGS,
    ...(unavailableReason && counts.unavailable > 0 ? { unavailableReason } : {}),
  };
}

/** Adds health counts (of several threads, replicates or devices). */
export function addHealth(a: TimestampHealth, b: TimestampHealth): TimestampHealth {
  const reason = a.unavailableReason ?? b.unavailableReason;
  return {
    timed: a.timed + b.timed,
    ok: a.ok + b.ok,
    zero: a.zero + b.zero,
    reversed: a.reversed + b.reversed,
    outOfSpan: a.outOfSpan + b.outOfSpan,
    unavailable: a.unavailable + b.unavailable,
    noQuerySet: (a.noQuerySet ?? 0) + (b.noQuerySet ?? 0),
    // Each part's own verdict: two devices each constant at another value are each stuck.
    constant: (a.constant || b.constant) && a.ok + b.ok > 0,
    ...(reason ? { unavailableReason: reason } : {}),
  };
}

export const NO_READINGS: TimestampHealth = {
  timed: 0,
  ok: 0,
  zero: 0,
  reversed: 0,
  outOfSpan: 0,
  unavailable: 0,
  constant: false,
};

/** What a run may do with its GPU times. */
export interface TimestampVerdict {
  /** False: no GPU figure is reported; `reason` says why, once. */
  readonly trusted: boolean;
  /** Readings that failed a check (those ops have no GPU time either way). */
  readonly failed: number;
  /** Why the device's timestamps cannot be trusted, or what failed in a trusted run. */
  readonly reason?: string;
}

/** Share of failed readings past which a device's timestamps are not trusted at all. */
export const UNTRUSTED_SHARE = 0.5;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The failures in words, the largest first: "400 of 400 readings were zero". */
function failuresText(h: TimestampHealth): string {
  const noQuerySet = h.noQuerySet ?? 0;
  const kinds: [number, string][] = [
    [h.zero, 'zero (no timestamp written, or a duration of 0)'],
    [h.reversed, 'reversed (the pass ended before it began)'],
    [h.outOfSpan, 'longer than the op that contained them on the CPU clock'],
    [noQuerySet, `never written: no query set (${h.unavailableReason ?? 'the device could not make one'})`],
    [h.unavailable - noQuerySet, 'never read back (the device was lost first)'],
  ];
  const parts = kinds
    .filter(([n]) => n > 0)
    .sort((a, b) => b[0] - a[0])
    .map(([n, what]) => `${n} ${what}`);
  return `${parts.join(', ')}, of ${plural(h.timed, 'reading')}`;
}

/**
 * Trusted unless most readings failed, or every passing one read the same: then the device's
 * timestamps say nothing and the run reports CPU-side figures only. Otherwise the failed readings
 * are counted and said (those ops have no GPU time), as the trace does for untimed passes.
 */
export function judgeTimestamps(h: TimestampHealth): TimestampVerdict {
  const failed = h.timed - h.ok;
  if (h.timed === 0) return { trusted: true, failed: 0 };
  if (h.constant)
    return {
      trusted: false,
      failed: h.timed,
      reason: `every one of ${plural(h.ok, 'reading')} was the same duration to the nanosecond: the GPU's clock does not move between its stamps`,
    };
  if (failed / h.timed > UNTRUSTED_SHARE) return { trusted: false, failed, reason: failuresText(h) };
  return failed > 0 ? { trusted: true, failed, reason: failuresText(h) } : { trusted: true, failed: 0 };
}
