import { isSoftwareGpu } from '../device/device-info.js';
import { AVOID_SHARE, NEGLIGIBLE_SHARE } from '../measurement/versus-main.js';
import { usualPlacement, type GpuWorkPlacement } from '../measurement/gpu-work-placement.js';
import { isSequential, PHASE_LABEL, PHASES, type Phase } from '../op/phases.js';
import { CONTRADICTION_WORDS } from '../results/verdict-trust.js';
import { markdownTable } from 'markdown-table';
import type { ProfileResult, StrategyResult } from '../results/result-types.js';
import { formatIn, unitFor } from './units.js';

/** One row of the guidance table: the numbers, and the words the thresholds give them. */
export interface GuidanceRow {
  readonly pattern: string;
  /** Share of main's throughput lost (negative: faster than main), with its 95% CI, in %. */
  readonly overhead: { readonly estimate: number; readonly low: number; readonly high: number };
  readonly verdict: string;
}

/** Below this, an overhead is called negligible even when the CI excludes zero. */
export const NEGLIGIBLE_PERCENT = 100 * NEGLIGIBLE_SHARE;
/** Above this, a pattern is not for per-op work. */
export const AVOID_PERCENT = 100 * AVOID_SHARE;
/**
 * A CI that includes zero but reaches past this (either way) cannot say "fine to use": it does not
 * rule out a cost this large. Three replicates of a reused worker at 1M on lavapipe, one of them
 * on a device 1.5x slow, gave a change of -48.9% to 49.7%.
 */
export const UNDECIDED_PERCENT = 15;
/** A GPU time per op this much above main's (with separated CIs) suggests the GPU clocked down. */
export const GPU_SLOWDOWN = 1.2;

const PATTERN: Record<string, string> = {
  fresh: 'new worker per op',
  reused: 'one reused worker',
  pool: 'worker pool',
  persistent: 'persistent worker',
};

function patternName(run: StrategyResult): string {
  const base = PATTERN[run.strategy] ?? run.strategy;
  if (run.strategy === 'pool') return `${base} (${run.concurrency})`;
  if (run.strategy === 'reused' && run.handoff) return `${base} (${run.handoff})`;
  return base;
}

function share(part: number | undefined, whole: number | undefined): number {
  return part !== undefined && whole ? (100 * part) / whole : 0;
}

/** Where a scenario's difference from main lies: the phase that carries it, and the GPU's part. */
export interface Attribution {
  /** The sequential phase whose median moved most in the direction of the total's. */
  readonly phase: Phase;
  /** That phase's median minus main's, ns (negative: faster). */
  readonly ns: number;
  /** kernelGpu's median minus main's, ns, when both have GPU times. */
  readonly gpuNs?: number;
  /** True when the GPU's own time carries it: the device ran differently, not the dispatch path. */
  readonly device: boolean;
}

/**
 * Per phase, the scenario's median minus main's; the phase carrying the difference is the one
 * that moved most the way the total did. When that is the wait for the GPU (sync) or the kernel,
 * and the kernel's GPU time moved at least half as much the same way, the GPU itself ran faster
 * or slower: the device, not the way the op reached it.
 */
export function attributeDifference(run: StrategyResult, main: StrategyResult): Attribution | undefined {
  const total = (run.summary.total?.median ?? NaN) - (main.summary.total?.median ?? NaN);
  if (!Number.isFinite(total) || total === 0) return undefined;
  const sign = Math.sign(total);
  let best: { phase: Phase; ns: number } | undefined;
  for (const phase of PHASES) {
    if (!isSequential(phase)) continue;
    const ns = (run.summary[phase]?.median ?? 0) - (main.summary[phase]?.median ?? 0);
    if (ns * sign > 0 && (!best || ns * sign > best.ns * sign)) best = { phase, ns };
  }
  if (!best) return undefined;
  const gpu = run.summary.kernelGpu?.median;
  const baseGpu = main.summary.kernelGpu?.median;
  const gpuNs = gpu !== undefined && baseGpu !== undefined ? gpu - baseGpu : undefined;
  const device =
    gpuNs !== undefined &&
    (best.phase === 'sync' || best.phase === 'kernelCpu') &&
    gpuNs * sign > 0 &&
    Math.abs(gpuNs) >= 0.5 * Math.abs(best.ns);
  return { ...best, ...(gpuNs === undefined ? {} : { gpuNs }), device };
}

function attributionWords(
  a: Attribution,
  t: (ns: number) => string,
  softwareGpu: boolean,
  cold: boolean,
): string {
  const signed = (ns: number): string => `${ns > 0 ? '+' : '-'}${t(Math.abs(ns))}`;
  const carried = `; carried by ${PHASE_LABEL[a.phase]} (${signed(a.ns)} per op against main's)`;
  if (!a.device || a.gpuNs === undefined) return `${carried}.`;
  const gpu = `, most of it the kernel's own GPU time (${signed(a.gpuNs)})`;
  if (cold) return `${carried}${gpu}: each op is the first dispatch on a new device.`;
  return (
    `${carried}${gpu}: the device ran the same kernel ${a.gpuNs < 0 ? 'faster' : 'slower'}, not the dispatch path. ` +
    (softwareGpu
      ? "On a software GPU the GPU's threads share the cores with the thread that waits for them (dawn.node spins while it waits), so a strategy that leaves them more of the cores runs the kernel faster; on a real GPU this difference would not be there."
      : 'The GPU ran at another speed (clocks, power state) in that scenario; it is not a cost of the strategy.')
  );
}

function gpuNote(run: StrategyResult, main: StrategyResult, softwareGpu: boolean): string {
  const gpu = run.summary.kernelGpu;
  const base = main.summary.kernelGpu;
  if (!gpu || !base || base.median <= 0) return '';
  if (gpu.median > GPU_SLOWDOWN * base.median && gpu.medianCi.low > base.medianCi.high) {
    const times = (gpu.median / base.median).toFixed(1);
    return run.everyOpCold
      ? ` Its kernel takes ${times}x main's GPU time: each op is the first dispatch on a new device.`
      : softwareGpu
        ? ` Its kernel takes ${times}x main's GPU time per op: on a software GPU the GPU's threads share the cores with the spin of the thread that waits for them (dawn.node polls while it waits), so its device can get fewer cores.`
        : ` Its kernel takes ${times}x main's GPU time per op: the GPU idles between its ops and may be clocking down.`;
  }
  return '';
}

const placementOf = (run: StrategyResult): GpuWorkPlacement | undefined =>
  usualPlacement((run.replicates ?? []).map((r) => r.gpuWork));

/** When main's devices and the scenario's did the GPU work in different places (gpu-work-placement.ts). */
function placementNote(run: StrategyResult, main: StrategyResult): string {
  const mine = placementOf(run);
  const mains = placementOf(main);
  if (!mine || !mains || mine === mains) return '';
  const where = (p: GpuWorkPlacement): string => (p === 'in-submit' ? 'inside submit()' : 'after submit()');
  return (
    ` Main's devices did the GPU work ${where(mains)} and this scenario's ${where(mine)}: the driver's choice per device, ` +
    'which moves time between kernel and sync and changes the total by itself; part of this difference may be that, not the strategy.'
  );
}

/**
 * What the thresholds make of a scenario's overhead (in %, with its CI): the one decision behind
 * both the guidance's sentences and the terminal's verdict line.
 */
export type VerdictCategory =
  'undecided' | 'no-overhead' | 'negligible' | 'avoid-start' | 'faster' | 'avoid' | 'costs';

export function verdictCategory(run: StrategyResult, overhead: GuidanceRow['overhead']): VerdictCategory {
  const straddles = overhead.low <= 0 && overhead.high >= 0;
  if (straddles && Math.max(-overhead.low, overhead.high) > UNDECIDED_PERCENT) return 'undecided';
  if (straddles) return 'no-overhead';
  if (Math.abs(overhead.estimate) < NEGLIGIBLE_PERCENT) return 'negligible';
  const startCost = (run.summary.spawn?.median ?? 0) + (run.summary.init?.median ?? 0);
  if (startCost > 0 && run.everyOpCold && overhead.estimate > 0) return 'avoid-start';
  if (overhead.estimate < 0) return 'faster';
  return overhead.estimate >= AVOID_PERCENT ? 'avoid' : 'costs';
}

/** Overhead = 1 - speed relative to main, in percent, with the CI carried over. */
export function overheadOf(run: StrategyResult): GuidanceRow['overhead'] | undefined {
  const s = run.vsMain;
  if (!s) return undefined;
  return { estimate: 100 * (1 - s.estimate), low: 100 * (1 - s.high), high: 100 * (1 - s.low) };
}

/** Share of each op that is the worker's start (spawn + init), in %. */
export function startShare(run: StrategyResult): number {
  return share((run.summary.spawn?.median ?? 0) + (run.summary.init?.median ?? 0), run.summary.total?.median);
}

/** The op's contradictions behind an untrusted verdict, in words: "GPU time longer than the op, ...". */
export function untrustedWords(run: StrategyResult): string | undefined {
  const u = run.verdictUntrusted;
  if (!u) return undefined;
  const words: Readonly<Record<string, string | undefined>> = CONTRADICTION_WORDS;
  return u.codes.map((c) => words[c] ?? c).join(', ');
}

function untrustedVerdict(run: StrategyResult): string | undefined {
  const words = untrustedWords(run);
  const where = run.verdictUntrusted?.scenarios.join(', ');
  if (words === undefined || where === undefined) return undefined;
  return (
    `Cannot be trusted: the op's figures contradict each other in ${where} (${words}). ` +
    'The overhead beside it means nothing until the op is fixed: the warnings say how.'
  );
}

function verdictFor(
  run: StrategyResult,
  main: StrategyResult,
  overhead: GuidanceRow['overhead'],
  softwareGpu: boolean,
): string {
  const untrusted = untrustedVerdict(run);
  if (untrusted !== undefined) return untrusted;
  const unit = unitFor(run.summary.total?.median ?? 1);
  const t = (ns: number | undefined): string => `${formatIn(ns, unit)} ${unit.label}`;
  const total = run.summary.total?.median;
  const pct = overhead.estimate >= 99 ? overhead.estimate.toFixed(1) : overhead.estimate.toFixed(0);
  const ci = `${overhead.low.toFixed(1)}% to ${overhead.high.toFixed(1)}%`;
  const category = verdictCategory(run, overhead);
  let words: string;
  if (category === 'undecided') {
    words =
      `Undecided: the CI of the change (${ci}) includes zero, and changes as large as its ends too; ` +
      'its replicates disagree (see the replicates table). Run longer (--time-budget) or with more --replicates before relying on it.';
  } else if (category === 'no-overhead') {
    words = `No measurable overhead: the CI of the change (${ci}) includes zero. Fine to use.`;
  } else if (category === 'negligible') {
    words = `Negligible: ${Math.abs(overhead.estimate).toFixed(1)}% ${overhead.estimate > 0 ? 'slower' : 'faster'} than main. Fine to use.`;
  } else if (category === 'avoid-start') {
    words =
      `Avoid for per-op work: costs ${pct}% of main's throughput, and ${startShare(run).toFixed(0)}% of each op is worker start and device opening ` +
      `(spawn ${t(run.summary.spawn?.median)} + init ${t(run.summary.init?.median)}${run.summary.teardown ? `, then teardown ${t(run.summary.teardown.median)}` : ''} of ${t(total)}).`;
  } else {
    const attribution = attributeDifference(run, main);
    const where = attribution ? attributionWords(attribution, t, softwareGpu, run.everyOpCold) : '.';
    const head =
      category === 'faster'
        ? `${(-overhead.estimate).toFixed(0)}% faster than main${run.concurrency > 1 ? ` with ${run.concurrency} ops in flight` : ''}`
        : `${category === 'avoid' ? 'Avoid for per-op work: costs' : 'Costs'} ${pct}% of main's throughput`;
    return (
      head + where + (attribution?.device ? '' : gpuNote(run, main, softwareGpu)) + placementNote(run, main)
    );
  }
  return words + gpuNote(run, main, softwareGpu);
}

/**
 * The guidance table's rows, from this run's numbers only: overhead = 1 - speed relative to main,
 * in percent, with the CI carried over from the speed ratio's.
 */
export function guidanceRows(result: ProfileResult): GuidanceRow[] {
  const main = result.runs.find((r) => r.strategy === 'main');
  if (!main) return [];
  return result.runs
    .filter((run) => run.strategy !== 'main' && run.vsMain)
    .map((run) => {
      const overhead = overheadOf(run) ?? { estimate: NaN, low: NaN, high: NaN };
      return {
        pattern: patternName(run),
        overhead,
        verdict: verdictFor(run, main, overhead, isSoftwareGpu(result.device)),
      };
    });
}

export function guidanceTable(rows: readonly GuidanceRow[]): string {
  return markdownTable(
    [
      ['Pattern', 'Overhead vs main (95% CI)', 'Verdict'],
      ...rows.map((r) => [
        r.pattern,
        `${r.overhead.estimate.toFixed(1)}% [${r.overhead.low.toFixed(1)}, ${r.overhead.high.toFixed(1)}]`,
        r.verdict,
      ]),
    ],
    { align: ['l', 'r', 'l'] },
  );
}
