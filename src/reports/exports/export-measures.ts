import { PHASES, type Phase } from '../../op/phases.js';
import type { ProfileResult, StrategyResult } from '../../results/result-types.js';
import type { Rate } from '../../work/op-rates.js';
import { shortAdapter } from '../terminal/view-parts.js';
import { benchmarkName } from './benchmark-name.js';

/** Which way a measure improves: the engines keep the two apart (github-action-benchmark per file). */
export type Better = 'smaller' | 'bigger';

/** One figure of a scenario as the engines take it, whatever the format. */
export interface ExportMeasure {
  /**
   * Its Bencher measure slug (lowercase letters, digits and `-`, at most 64 characters):
   * `latency` and `throughput` are Bencher's built-in measures (ns, ops/s), the rest are made
   * on first upload.
   */
  readonly slug: string;
  readonly unit: string;
  readonly better: Better;
  readonly value: number;
  /**
   * Its 95% CI. Absent where the figure has none: ops/s is the completed ops over the wall time,
   * one count, not a sample.
   */
  readonly ci?: { readonly low: number; readonly high: number };
}

/** What ran, where: one line each, for the engines that keep a note beside a figure. */
export interface ExportMachine {
  /** "llvmpipe: Mesa 25.0.7 (vulkan)". */
  readonly adapter: string;
  /** "AMD EPYC, 2 cores · Linux 6.18.44 · Node v20.20.2". */
  readonly host: string;
}

/** One scenario of one profile: a benchmark and its figures. */
export interface ExportBenchmark {
  /** Valid for every engine (benchmark-name.ts): `scale/1M/f32/persistent`. */
  readonly name: string;
  readonly machine: ExportMachine;
  readonly measures: readonly ExportMeasure[];
}

/** Each phase's measure slug, its median per op in ns. Fixed here: a slug renamed is a new history. */
export const PHASE_SLUG: Readonly<Record<Phase, string>> = {
  spawn: 'spawn-ns',
  init: 'init-ns',
  creation: 'creation-ns',
  kernelCpu: 'kernel-cpu-ns',
  kernelGpu: 'kernel-gpu-ns',
  sync: 'sync-ns',
  readback: 'readback-ns',
  handoff: 'handoff-ns',
  teardown: 'teardown-ns',
};

/** A figure with its CI, or nothing where the figure is not a finite number (JSON has no NaN). */
function measure(
  slug: string,
  unit: string,
  better: Better,
  value: number | undefined,
  ci?: { readonly low: number; readonly high: number },
): ExportMeasure[] {
  if (value === undefined || !Number.isFinite(value)) return [];
  const bounded = ci !== undefined && Number.isFinite(ci.low) && Number.isFinite(ci.high);
  return [{ slug, unit, better, value, ...(bounded ? { ci: { low: ci.low, high: ci.high } } : {}) }];
}

/** A rate (bytes or FLOP per second) as a bigger-is-better measure. */
function rateMeasure(slug: string, unit: string, rate: Rate | undefined): ExportMeasure[] {
  return rate ? measure(slug, unit, 'bigger', rate.value, rate) : [];
}

/**
 * A scenario's figures, in a fixed order: the median total per op (`latency`), each phase's
 * median, ops/s (`throughput`), its speed against main (`vs-main`, absent for main itself and
 * when main did not run), and its op's rates where the op declares its work.
 */
export function scenarioMeasures(run: StrategyResult): ExportMeasure[] {
  const median = (key: Phase | 'total'): ExportMeasure[] => {
    const summary = run.summary[key];
    const slug = key === 'total' ? 'latency' : PHASE_SLUG[key];
    return summary ? measure(slug, 'ns', 'smaller', summary.median, summary.medianCi) : [];
  };
  const vs = run.vsMain;
  return [
    ...median('total'),
    ...PHASES.flatMap(median),
    ...measure('throughput', 'ops/s', 'bigger', run.opsPerSecond),
    ...(vs ? measure('vs-main', 'x', 'bigger', vs.estimate, vs) : []),
    ...rateMeasure('kernel-bytes-per-s', 'B/s', run.rates?.kernel?.bytesPerSecond),
    ...rateMeasure('kernel-flops-per-s', 'FLOP/s', run.rates?.kernel?.flopsPerSecond),
    ...rateMeasure('op-bytes-per-s', 'B/s', run.rates?.op?.bytesPerSecond),
    ...rateMeasure('op-flops-per-s', 'FLOP/s', run.rates?.op?.flopsPerSecond),
  ];
}

/** The adapter and host a profile ran on, as its terminal view's second line names them. */
export function exportMachine(result: ProfileResult): ExportMachine {
  const { device, environment: env } = result;
  return {
    adapter: `${shortAdapter(device.description)} (${device.backend}${device.noRealGpuWork ? ', NO REAL GPU WORK' : ''})`,
    host: `${env.cpu.model}, ${env.cpu.cores} cores · ${env.os.type} ${env.os.release} · Node ${env.node}`,
  };
}

/** A profile's scenarios as benchmarks, in the run's order; a scenario with no figure is left out. */
export function profileBenchmarks(result: ProfileResult): ExportBenchmark[] {
  const machine = exportMachine(result);
  return result.runs
    .map((run) => ({ name: benchmarkName(result.config, run), machine, measures: scenarioMeasures(run) }))
    .filter((benchmark) => benchmark.measures.length > 0);
}
