import type { BreakdownResult } from '../../results/result-types.js';
import { renderBreakdown } from '../breakdown-table.js';
import { formatDuration } from '../units.js';
import { breakdownFloorLine } from '../floor-words.js';
import { fitTable } from './text-table.js';
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
 * `wgprof breakdown`'s default view: the seed's component table in a few lines: where a
 * fresh-worker op's time goes, component by component (each the difference of two measured
 * rows), and what the same op costs on the main thread with a warm device.
 */
export function breakdownView(result: BreakdownResult, options: ViewOptions): string {
  const { style, width } = options;
  const op = result.rows.find((r) => r.id === 'worker.op')?.summary;
  const mainOp = result.rows.find((r) => r.id === 'main.op')?.summary;
  const head = headLines('breakdown', result, repeatStopLine(result), options);
  const opLine = op
    ? `a fresh-worker op takes ${formatDuration(op.median)} ${style.dim(`[${formatDuration(op.medianCi.low)}, ${formatDuration(op.medianCi.high)}]`)}; its components:`
    : 'no fresh-worker op was measured';
  const table = fitTable(
    {
      header: ['component', 'time', 'share'],
      rows: result.attribution.map((a) => [a.component, formatDuration(a.ns), `${a.percent.toFixed(0)}%`]),
      align: ['l', 'r', 'r'],
    },
    width,
    style.dim,
  );
  const main =
    mainOp && op
      ? [
          `the same op on the main thread, with a warm device: ${formatDuration(mainOp.median)} (${((100 * mainOp.median) / op.median).toFixed(0)}% of it)`,
        ]
      : [];
  const floor = breakdownFloorLine(result);
  return joinSections([
    head,
    [...wrapText(opLine, width), ...table.map((l) => `  ${l}`)],
    [...main, ...(floor ? [floor] : [])].flatMap((l) => wrapText(l, width)),
    warningCountLine(result.warnings, options),
    footLines(options, 'every row'),
  ]);
}

export function breakdownDetails(result: BreakdownResult, options: ViewOptions): string {
  return detailsView(renderBreakdown(result), options);
}
