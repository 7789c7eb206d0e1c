import type { SyncResult } from '../../results/result-types.js';
import { renderSync } from '../sync-tables.js';
import { formatCost } from '../timing-line.js';
import { formatDuration } from '../units.js';
import { syncFloorLine } from '../floor-words.js';
import {
  detailsView,
  footLines,
  headLines,
  joinSections,
  repeatStopLine,
  warningCountLine,
  type ViewOptions,
} from './view-parts.js';
import { wrapText } from './wrap.js';

/**
 * `wgprof sync`'s default view: what synchronising with the GPU costs here, in four lines: the
 * floor (an empty submit and a trivial kernel, awaited), completion of a copy from the smallest to
 * the largest size, the batching fit (a fixed cost per sync and one per kernel), and the overhead
 * of sync beyond the kernel's own GPU time.
 */
export function syncView(result: SyncResult, options: ViewOptions): string {
  const { style, width } = options;
  const d = (ns: number | undefined): string => (ns === undefined ? '-' : formatDuration(ns));
  const floor = result.floor.map((r) => `${r.label} ${d(r.summary?.median)}`).join('; ');
  const completion = result.completion.filter((r) => r.method === 'onSubmittedWorkDone' && r.summary);
  const [small, large] = [completion[0], completion[completion.length - 1]];
  const size = (bytes: number): string =>
    bytes >= 1 << 20 ? `${bytes / (1 << 20)} MiB` : `${bytes / 1024} KiB`;
  const fit = result.batching.fit;
  const o = result.overhead;
  const lines = [
    `floor: ${floor}`,
    small && large
      ? `completion of a copy, waited by onSubmittedWorkDone: ${d(small.summary?.median)} at ${size(small.bytes)} to ${d(large.summary?.median)} at ${size(large.bytes)}`
      : 'completion: not measured',
    fit
      ? `batching: a sync costs ${d(fit.intercept)} ${style.dim(`[${d(fit.interceptCi[0])}, ${d(fit.interceptCi[1])}]`)} plus ${d(fit.slope)} per ${result.config.kernel} kernel${result.batching.poorFit ? ` (poor fit: ${result.batching.poorFit})` : ''}`
      : `batching: no fit (${result.batching.poorFit ?? 'too few sizes'})`,
    'unavailable' in o
      ? `sync overhead: unavailable (${o.unavailable})`
      : `sync overhead: a timed op's sync less its own GPU time, ${d(o.overhead.median)} ${style.dim(`[${d(o.overhead.medianCi.low)}, ${d(o.overhead.medianCi.high)}]`)}; untimed sync ${d(o.sync.median)}${o.timing?.costNs ? `; timing cost ${formatCost(o.timing)}` : ''}`,
  ];
  const measuredFloor = syncFloorLine(result);
  if (measuredFloor) lines.push(measuredFloor);
  return joinSections([
    headLines('sync', result, repeatStopLine(result), options),
    lines.flatMap((l) => wrapText(l, width, '', '  ')),
    warningCountLine(result.warnings, options),
    footLines(options, 'every row'),
  ]);
}

export function syncDetails(result: SyncResult, options: ViewOptions): string {
  return detailsView(renderSync(result), options);
}
