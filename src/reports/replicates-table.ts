import { markdownTable } from 'markdown-table';
import type { ProfileResult, StrategyResult } from '../results/result-types.js';
import { placementLabel } from '../measurement/gpu-work-placement.js';
import { formatIn, unitFor } from './units.js';

const speed = (v: { estimate: number } | undefined): string =>
  v && Number.isFinite(v.estimate) ? `${v.estimate.toFixed(2)}x` : '-';

/** "237, 250, 244 us": each row in the unit that fits its own medians. */
function medians(run: StrategyResult): string {
  const unit = unitFor(run.summary.total?.median ?? 1);
  return `${(run.replicates ?? []).map((r) => formatIn(r.medianNs.total, unit)).join(', ')} ${unit.label}`;
}

/** "after, in submit, after": where each replicate's device did the GPU work (gpu-work-placement.ts). */
function placements(run: StrategyResult): string {
  const places = (run.replicates ?? []).map((r) => r.gpuWork);
  if (places.every((p) => p === undefined)) return '-';
  return places.map(placementLabel).join(', ');
}

/** "[0.91, 1.06]x": where a rerun's vs main would land (versus-main.ts, `rerun`). */
function rerun(run: StrategyResult): string {
  const r = run.vsMain?.rerun;
  return run.strategy === 'main' || !r ? '-' : `[${r.low.toFixed(2)}, ${r.high.toFixed(2)}]x`;
}

function agreement(run: StrategyResult): string {
  const a = run.replicateAgreement;
  if (!a) return '-';
  const spread = `${(a.spread * 100).toFixed(0)}% apart`;
  return a.agree ? `yes (${spread})` : `**no** (${spread}, beyond their own CIs)`;
}

/**
 * One row per scenario: each replicate's median total (one process and device each, in the
 * order they ran), its speed against main's replicate of the same round, where a rerun of the
 * profile would put the scenario's vs main, and whether the replicates agree.
 * This is where a device that ran at another speed in one process shows, instead of being
 * averaged into the pooled median.
 */
export function replicatesTable(result: ProfileResult): string {
  return markdownTable(
    [
      [
        'Scenario',
        'Median per replicate',
        'vs main per replicate',
        'vs main, a rerun (95%)',
        'GPU work done',
        'Agree',
      ],
      ...result.runs.map((run) => [
        run.label,
        medians(run),
        run.strategy === 'main' ? '-' : (run.replicates ?? []).map((r) => speed(r.vsMain)).join(', '),
        rerun(run),
        placements(run),
        agreement(run),
      ]),
    ],
    { align: ['l', 'r', 'r', 'r', 'l', 'l'] },
  );
}

/** True when the result has more than one replicate of any scenario to show. */
export function hasReplicates(result: ProfileResult): boolean {
  return result.runs.some((r) => (r.replicates?.length ?? 0) > 1);
}
