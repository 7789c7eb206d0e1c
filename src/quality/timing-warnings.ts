import type { Timed } from '../measurement/timing-cost.js';
import type { QualityWarning } from '../results/result-types.js';

/**
 * What the run's GPU timing says about its figures: a device whose timestamps cannot be
 * trusted (said once, for the whole run: it is the device's, not a scenario's), readings that
 * failed in a run that otherwise trusts them, and CPU-side figures that include timing's cost
 * because every op was timed.
 */

const UNTRUSTED_ADVICE =
  'No GPU time is reported for this device; every CPU-side figure stands. Drivers have shipped timestamps like these ' +
  "(on macOS 26, Metal's counter sample buffers were reported to read as zeros: wgpu issue 9414; a Metal device can run out " +
  'of counter sample buffers: gpuweb issue 3652). Update the OS or GPU driver, or try another --backend; ' +
  '--gpu-time none skips timing altogether.';

function untrusted(runs: readonly Timed[]): QualityWarning[] {
  const bad = runs.filter((r) => r.timing && !r.timing.timestamps.trusted);
  const first = bad[0]?.timing?.timestamps.reason;
  if (bad.length === 0 || first === undefined) return [];
  const where = bad.length === runs.length ? 'in every scenario' : `in ${bad.map((r) => r.label).join(', ')}`;
  return [
    {
      code: 'timestamps-untrusted',
      message: `this device's GPU timestamps cannot be trusted (${where}): ${first}. The run reports CPU-side figures only.`,
      advice: UNTRUSTED_ADVICE,
    },
  ];
}

function partial(runs: readonly Timed[]): QualityWarning[] {
  return runs.flatMap((run) => {
    const t = run.timing?.timestamps;
    if (!t?.trusted || t.reason === undefined) return [];
    return [
      {
        code: 'timestamps-partial' as const,
        scenario: run.label,
        message: `${run.label}: ${t.timed - t.ok} GPU timestamp readings failed a check: ${t.reason}. Those ops have no GPU time; the others' readings passed.`,
        advice:
          'A few failed readings leave the GPU time of the rest standing; many point at the driver. Rerun to see whether they recur.',
      },
    ];
  });
}

function includeTiming(runs: readonly Timed[]): QualityWarning[] {
  return runs.flatMap((run) => {
    const t = run.timing;
    if (!t || t.figuresOf !== 'all' || t.timedOps === 0) return [];
    return [
      {
        code: 'figures-include-timing' as const,
        scenario: run.label,
        message: `${run.label}: every op wrote GPU timestamps (--gpu-time ${t.gpuTime}), so its CPU-side figures (phases, total, ops/s) include what timing costs, which the user's program does not pay.`,
        advice:
          'Run with --gpu-time sample (the default): one op in 2 is timed, the others give the CPU-side figures, and the run measures what timing cost.',
      },
    ];
  });
}

/**
 * A scenario whose few ops all fell inside blocks of timed ops (one in 2 timed, in blocks of 8):
 * with no untimed op it has no CPU-side figure at all.
 */
function noUntimed(runs: readonly Timed[]): QualityWarning[] {
  return runs.flatMap((run) => {
    const t = run.timing;
    if (!t || t.figuresOf !== 'untimed' || t.untimedOps > 0 || t.timedOps === 0) return [];
    return [
      {
        code: 'too-few-samples' as const,
        scenario: run.label,
        message: `${run.label}: no op of it ran untimed, so it has no CPU-side figure (phases, total, ops/s): its ${t.timedOps} ops all fell in blocks of timed ops (--gpu-time ${t.gpuTime}, timed in blocks of 8).`,
        advice:
          'Raise --ops (or leave it out); or pass --gpu-time none for CPU-side figures alone, every for GPU time on every op.',
      },
    ];
  });
}

/**
 * The other way round: a scenario whose few ops all fell outside the blocks of timed ops (a pool
 * thread counts its own ops, warm-up included: pool/2 with 10 ops a process got 0 to 2 timed) has
 * no GPU time, and without a word its GPU column would only read "-".
 */
function noTimed(runs: readonly Timed[]): QualityWarning[] {
  return runs.flatMap((run) => {
    const t = run.timing;
    if (!t || t.gpuTime === 'none' || t.timedOps > 0 || t.untimedOps === 0) return [];
    return [
      {
        code: 'too-few-samples' as const,
        scenario: run.label,
        phase: 'kernelGpu' as const,
        message: `${run.label}: no op of it was timed, so it has no GPU time: its ${t.untimedOps} ops all fell outside the blocks of timed ops (--gpu-time ${t.gpuTime}, timed in blocks of 8).`,
        advice: 'Raise --ops (or leave it out); or pass --gpu-time every for GPU time on every op.',
      },
    ];
  });
}

/** `deviceTimesGpu`: the device has timestamp-query (without it, no op is ever timed, and rightly). */
export function timingWarnings(runs: readonly Timed[], deviceTimesGpu = true): QualityWarning[] {
  return [
    ...untrusted(runs),
    ...partial(runs),
    ...includeTiming(runs),
    ...noUntimed(runs),
    ...(deviceTimesGpu ? noTimed(runs) : []),
  ];
}
