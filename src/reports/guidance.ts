import type { DeviceInfo } from '../device/device-info.js';
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
export const NEGLIGIBLE_PERCENT = 5;
/** Above this, a pattern is not for per-op work. */
export const AVOID_PERCENT = 50;
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

/** The phase (other than total) whose median grew most over main's: where the time went. */
function biggestGrowth(run: StrategyResult, main: StrategyResult): { phase: string; ns: number } | undefined {
  let best: { phase: string; ns: number } | undefined;
  for (const [phase, summary] of Object.entries(run.summary)) {
    if (phase === 'total' || phase === 'leftover' || phase === 'kernelGpu') continue;
    const grew = summary.median - (main.summary[phase as keyof typeof main.summary]?.median ?? 0);
    if (!best || grew > best.ns) best = { phase, ns: grew };
  }
  return best;
}

/** A GPU that is the CPU (lavapipe, SwiftShader, WARP): its work shares the cores with wgprof's threads. */
function isSoftwareGpu(device: DeviceInfo): boolean {
  return device.isFallbackAdapter || /llvmpipe|lavapipe|swiftshader|warp/i.test(device.description);
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

function verdictFor(
  run: StrategyResult,
  main: StrategyResult,
  overhead: GuidanceRow['overhead'],
  softwareGpu: boolean,
): string {
  const unit = unitFor(run.summary.total?.median ?? 1);
  const t = (ns: number | undefined): string => `${formatIn(ns, unit)} ${unit.label}`;
  const total = run.summary.total?.median;
  const startCost = (run.summary.spawn?.median ?? 0) + (run.summary.init?.median ?? 0);
  const pct = overhead.estimate >= 99 ? overhead.estimate.toFixed(1) : overhead.estimate.toFixed(0);
  let words: string;
  if (overhead.low <= 0 && overhead.high >= 0) {
    words = `No measurable overhead: the CI of the change (${overhead.low.toFixed(1)}% to ${overhead.high.toFixed(1)}%) includes zero. Fine to use.`;
  } else if (Math.abs(overhead.estimate) < NEGLIGIBLE_PERCENT) {
    words = `Negligible: ${Math.abs(overhead.estimate).toFixed(1)}% ${overhead.estimate > 0 ? 'slower' : 'faster'} than main. Fine to use.`;
  } else if (overhead.estimate < 0) {
    words = `${(-overhead.estimate).toFixed(0)}% faster than main${run.concurrency > 1 ? ` with ${run.concurrency} ops in flight` : ''}.`;
  } else if (startCost > 0 && run.everyOpCold) {
    words =
      `Avoid for per-op work: costs ${pct}% of main's throughput, and ${share(startCost, total).toFixed(0)}% of each op is worker start and device opening ` +
      `(spawn ${t(run.summary.spawn?.median)} + init ${t(run.summary.init?.median)}${run.summary.teardown ? `, then teardown ${t(run.summary.teardown.median)}` : ''} of ${t(total)}).`;
  } else {
    const growth = biggestGrowth(run, main);
    const where =
      growth && growth.ns > 0 ? `; most of it in ${growth.phase} (+${t(growth.ns)} per op over main)` : '';
    words = `${overhead.estimate >= AVOID_PERCENT ? 'Avoid for per-op work: costs' : 'Costs'} ${pct}% of main's throughput${where}.`;
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
      const s = run.vsMain ?? { estimate: NaN, low: NaN, high: NaN };
      const overhead = { estimate: 100 * (1 - s.estimate), low: 100 * (1 - s.high), high: 100 * (1 - s.low) };
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
