import { hierarchicalDifferenceCi, median } from '../statistics/index.js';

/**
 * What wgprof's timestamps cost a traced program, measured on the program itself: with
 * --gpu-time sample its encoders are timed or untimed whole (trace-sampling.ts), so its submits
 * and its waits come in both kinds, side by side in the same run, and the difference of their
 * medians is what timing added. Per pass, so that submits of different sizes compare: a submit's
 * calls (createCommandEncoder, finish, queue.submit) over its passes; a wait over the passes of
 * the submits it waited for. Pure functions on one device's submits and waits, in one thread.
 */

/** Samples on either side below which a cost is not estimated: "not measurable here". */
export const MIN_COST_SAMPLES = 5;

/** A submit as the cost sees it. */
export interface SubmitTiming {
  /** When the submit call began (ns, the process's clock). */
  readonly at: number;
  /** Inside its encoders' createCommandEncoder and finish, and the submit call, ns. */
  readonly callsNs: number;
  /** Its compute passes. */
  readonly passes: number;
  /** Of them, passes that wrote wgprof's timestamps (whatever their reading). */
  readonly wrote: number;
  /** Of them, passes that --gpu-time left untimed. */
  readonly byChoice: number;
  /** Of them, passes with a GPU time that passed every check. */
  readonly ok: number;
}

/** A wait of the program for the GPU: from the call (`at`) until its promise settled, ns. */
export interface WaitTiming {
  readonly at: number;
  readonly dur: number;
}

/** The submits (indices into `submits`) each wait waited for: those since the device's previous wait began. */
export function coveredSubmits(submits: readonly SubmitTiming[], waits: readonly WaitTiming[]): number[][] {
  const order = submits.map((_, k) => k).sort((a, b) => (submits[a]?.at ?? 0) - (submits[b]?.at ?? 0));
  const byStart = waits.map((_, k) => k).sort((a, b) => (waits[a]?.at ?? 0) - (waits[b]?.at ?? 0));
  const covered: number[][] = waits.map(() => []);
  let next = 0;
  for (const w of byStart) {
    const at = waits[w]?.at ?? 0;
    const list = covered[w] ?? [];
    while (next < order.length && (submits[order[next] ?? 0]?.at ?? 0) < at) list.push(order[next++] ?? 0);
  }
  return covered;
}

/** Per-pass values after timed and after untimed work, ns. */
export interface CostSides {
  readonly timed: number[];
  readonly untimed: number[];
}

/** Which kind of work a set of submits is: all timed, all untimed by choice, or neither (mixed, or no pass). */
function kindOf(submits: readonly SubmitTiming[]): 'timed' | 'untimed' | undefined {
  const passes = submits.reduce((n, s) => n + s.passes, 0);
  if (passes === 0) return undefined;
  if (submits.every((s) => s.wrote === s.passes)) return 'timed';
  if (submits.every((s) => s.byChoice === s.passes)) return 'untimed';
  return undefined;
}

/**
 * One device's samples: each submit with passes, all of them timed or all untimed by choice, as
 * its calls per pass; each wait whose submits (coveredSubmits) are so, as its duration per pass.
 * The device's first submit with passes is left out, and every wait that covers it: it is timed
 * by rule and cold (its pipelines' first use), and would count as timing's cost.
 */
export function costSamples(
  submits: readonly SubmitTiming[],
  waits: readonly WaitTiming[],
): { calls: CostSides; wait: CostSides } {
  const withPasses = submits.filter((s) => s.passes > 0);
  const first = withPasses.reduce<SubmitTiming | undefined>((a, s) => (a && a.at <= s.at ? a : s), undefined);
  const calls: CostSides = { timed: [], untimed: [] };
  for (const s of withPasses) {
    if (s === first) continue;
    const kind = kindOf([s]);
    if (kind) calls[kind].push(s.callsNs / s.passes);
  }
  const wait: CostSides = { timed: [], untimed: [] };
  const covered = coveredSubmits(withPasses, waits);
  waits.forEach((w, k) => {
    const list = (covered[k] ?? []).map((i) => withPasses[i]).filter((s) => s !== undefined);
    if (list.length === 0 || list.includes(first as SubmitTiming)) return;
    const kind = kindOf(list);
    if (kind) wait[kind].push(w.dur / list.reduce((n, s) => n + s.passes, 0));
  });
  return { calls, wait };
}

/** What timing cost per timed pass, on one measure (calls, or the wait). */
export interface CostMeasure {
  /** Samples after timed work, and after untimed work (the estimate uses those of devices with both). */
  readonly timed: number;
  readonly untimed: number;
  /** Median per pass after timed work minus after untimed, ns, with its CI; absent with too few samples. */
  readonly costNs?: {
    readonly estimate: number;
    readonly low: number;
    readonly high: number;
    readonly level: number;
  };
  /** The median per pass after untimed work, ns: what the cost adds to. */
  readonly untimedNs?: number;
}

/**
 * The cost on one measure from each group's samples (a group: one device of one thread, which
 * runs at its own speed), timed and untimed groups paired by index. The CI resamples the groups,
 * then the values in each (statistics/hierarchical-bootstrap.ts; one group: the plain bootstrap).
 */
export function costMeasure(groups: readonly CostSides[]): CostMeasure {
  const timed = groups.reduce((n, g) => n + g.timed.length, 0);
  const untimed = groups.reduce((n, g) => n + g.untimed.length, 0);
  // Only groups with both kinds compare: a device's own speed is in both of its sides.
  const pairs = groups.filter((g) => g.timed.length > 0 && g.untimed.length > 0);
  const pairedTimed = pairs.reduce((n, g) => n + g.timed.length, 0);
  const pairedUntimed = pairs.reduce((n, g) => n + g.untimed.length, 0);
  if (pairedTimed < MIN_COST_SAMPLES || pairedUntimed < MIN_COST_SAMPLES) return { timed, untimed };
  const ci = hierarchicalDifferenceCi(
    pairs.map((g) => g.timed),
    pairs.map((g) => g.untimed),
  );
  return {
    timed,
    untimed,
    costNs: { estimate: ci.estimate, low: ci.low, high: ci.high, level: ci.level },
    untimedNs: median(pairs.flatMap((g) => g.untimed)),
  };
}

/** True when the cost's CI excludes zero: timing changed what the program's calls or waits took, beyond the noise. */
export function costBeyondNoise(measure: CostMeasure): boolean {
  const c = measure.costNs;
  return c !== undefined && (c.low > 0 || c.high < 0);
}
