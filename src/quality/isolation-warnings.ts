import { isSoftwareGpu } from '../device/device-info.js';
import type { ProfileResult, QualityWarning, StrategyResult } from '../results/result-types.js';
import { formatIn, unitFor } from '../reports/units.js';
import { placementLabel } from '../measurement/gpu-work-placement.js';

/**
 * The checks on how a profile kept its scenarios apart (runner/replicated-profile.ts): replicates
 * that disagree, a scenario whose process leaves the next one slower, a machine that was busy
 * before a process started.
 */

/**
 * A probe this much slower after one scenario's process than after the others' (the median of
 * at least two, every one of them above the others' upper quartile) is interference.
 */
export const INTERFERENCE_SHARE = 0.1;

const duration = (ns: number | undefined): string => {
  const unit = unitFor(Math.abs(ns ?? 0));
  return `${formatIn(ns, unit)} ${unit.label}`;
};
const pct = (share: number): string => `${(100 * share).toFixed(0)}%`;

function disagreeing(run: StrategyResult, result: ProfileResult): QualityWarning[] {
  const a = run.replicateAgreement;
  if (!a || a.agree) return [];
  const medians = (run.replicates ?? []).map((r) => duration(r.medianNs.total)).join(', ');
  return [
    {
      code: 'replicates-disagree',
      scenario: run.label,
      phase: 'total',
      message:
        `${run.label}, total: its replicates' medians (${medians}, one measuring process and device each) are ${pct(a.spread)} apart, ` +
        'further than their own CIs allow: the speed changed from one process and device to the next, not from op to op.',
      advice:
        (isSoftwareGpu(result.device)
          ? "A software GPU can settle into one of several speeds for a device's life. "
          : 'The GPU may have run at another clock or power state in one process. ') +
        'The pooled median and its CI (which resamples the replicates) cover that spread; to narrow it, raise --replicates rather than --ops.',
    },
  ];
}

/** The interference probe, read: a scenario whose process leaves the next one's main-thread ops slower. */
function interference(result: ProfileResult): QualityWarning[] {
  const threshold = Math.max(INTERFERENCE_SHARE, 2 * result.config.maxNoise);
  return (
    (result.isolation?.interference ?? [])
      // Past the threshold, and beyond the noise: every probe after the scenario above three
      // quarters of the others. Above their median only, by chance alone (each process's speed a
      // draw: on a 2-core VM a probe measured 227 to 769 us in one run) that is one in eight for
      // three probes, and some scenario of five was named in two of three runs; above the upper
      // quartile it is one in 64 (one in 16 for two probes).
      .filter(
        (i) => i.change > threshold && i.probes >= 2 && (i.lowestNs ?? 0) > (i.othersHighNs ?? i.othersNs),
      )
      .map((i) => ({
        code: 'interference' as const,
        scenario: i.after,
        message:
          `the ${result.isolation?.probeOps ?? ''} main-thread ops that open each measuring process took ${duration(i.probeNs)} (median of ${i.probes}) ` +
          `right after ${i.after}'s process, against ${duration(i.othersNs)} after the others': ${pct(i.change)} slower, past the ${pct(threshold)} wgprof tolerates.`,
        advice:
          `What ${i.after} leaves behind (threads still exiting, memory being returned) slowed the next process down. Each scenario runs in its own process, ` +
          'so this touches only the first ops of the one after it; if the warning repeats, close other programs and run again.',
      }))
  );
}

/** A machine still busy when the settle step gave up: something else competed with the run. */
function busyMachine(result: ProfileResult): QualityWarning[] {
  const busy = result.runs.flatMap((run) =>
    (run.replicates ?? []).filter((r) => r.settle && !r.settle.quiet).map((r) => ({ run: run.label, r })),
  );
  if (busy.length === 0) return [];
  const worst = Math.max(...busy.map((b) => b.r.settle?.busyShare ?? 0));
  return [
    {
      code: 'busy-machine',
      message:
        `${busy.length} of the run's measuring processes started on a busy machine (up to ${pct(worst)} of all cores busy before them, ` +
        `after waiting for it to go quiet): ${[...new Set(busy.map((b) => b.run))].join(', ')}.`,
      advice:
        'Another program used the CPU during the run: its figures include that competition. Close other programs and run again.',
    },
  ];
}

/**
 * Replicates whose devices did the GPU work in different places (inside submit, or after it):
 * the driver's choice per device, which moves time between kernel (CPU) and sync and changes the
 * total, so replicates (and scenarios) that differ in it are not comparable phase by phase.
 */
function placementDiffers(result: ProfileResult): QualityWarning[] {
  const placed = result.runs.map((run) => ({
    run,
    places: (run.replicates ?? []).map((r) => r.gpuWork),
  }));
  const seen = new Set(placed.flatMap((p) => p.places).filter((p) => p !== undefined));
  if (seen.size < 2) return [];
  const list = placed
    .filter((p) => p.places.length > 0)
    .map((p) => `${p.run.label}: ${p.places.map(placementLabel).join(', ')}`)
    .join('; ');
  return [
    {
      code: 'gpu-work-placement',
      message:
        `the devices did the GPU work in different places, replicate by replicate (${list}): ` +
        'inside submit() (the wait found the work done: sync under half the GPU time) or after it.',
      advice:
        (isSoftwareGpu(result.device)
          ? "lavapipe runs a queue's work on the submitting thread or on a submit thread of its own, chosen per device. "
          : 'The driver chose, device by device, whether submit() does the work before it returns. ') +
        "Inside submit, the kernel's CPU phase holds the GPU time and sync is near zero, and the total differs too: compare kernel + sync, and " +
        'read a vs main from replicates that did the work in the same place (the replicates table), not from the pooled figures alone.',
    },
  ];
}

export function isolationWarnings(result: ProfileResult): QualityWarning[] {
  return [
    ...result.runs.flatMap((run) => disagreeing(run, result)),
    ...interference(result),
    ...busyMachine(result),
    ...placementDiffers(result),
  ];
}
