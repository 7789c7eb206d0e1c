import type { TraceResult } from '../../results/result-types.js';
import type { UncoveredWork } from '../../trace/uncovered.js';
import { deviceLine, endLine, gpuBusyLine, renderTrace } from '../trace-report.js';
import { gpuFiguresShown, timingLine } from '../trace-timing.js';
import { formatDuration, formatPercent } from '../units.js';
import { fitTable } from './text-table.js';
import { detailsView, footLines, joinSections, type ViewOptions } from './view-parts.js';
import { wrapText } from './wrap.js';

/**
 * One warning per group of threads or processes the trace could not follow: their GPU work is
 * missing, which the figures above cannot show.
 */
export function uncoveredLines(list: readonly UncoveredWork[] | undefined): string[] {
  return (list ?? []).map(
    (u) =>
      `Warning: not traced: ${u.kind === 'worker' ? 'worker thread' : 'child process'} \`${u.what}\`${u.count > 1 ? ` (${u.count} of them)` : ''}: ${u.why}; any GPU work it did is missing from this trace.`,
  );
}

/**
 * `wgprof trace`'s default view: what ran and how it ended, where the program's time in GPU calls
 * went (its largest kinds), the GPU's busy time, the passes that took the most GPU time, and the
 * notes counted; `--details` prints the whole report (every table, per thread, every note).
 */
export function traceView(result: TraceResult, options: ViewOptions): string {
  const { style, width } = options;
  const all = result.summary.all;
  const wall = result.program.wallNs;
  const wrap = (l: string): string[] => wrapText(l, width, '', '  ');
  const calls = (Object.entries(all.calls) as [string, { readonly ns: number }][])
    .filter(([, c]) => c.ns > 0)
    .sort((a, b) => b[1].ns - a[1].ns)
    .slice(0, 3)
    .map(([kind, c]) => `${kind} ${formatDuration(c.ns)} (${formatPercent(c.ns / wall)})`);
  const inside = `time inside GPU calls: ${formatDuration(all.insideGpuCallsNs)} (${formatPercent(all.insideGpuCallsNs / wall)} of wall time): ${calls.join(', ') || 'none'}`;
  const shown = gpuFiguresShown(result.summary) && all.timedPasses > 0;
  const passes = [...all.passRows]
    .sort((a, b) => (shown ? b.totalNs - a.totalNs : b.count - a.count))
    .slice(0, 3);
  const table =
    passes.length === 0
      ? []
      : fitTable(
          {
            header: shown ? ['pass', 'count', 'median GPU', 'share'] : ['pass', 'count'],
            rows: passes.map((p) =>
              shown
                ? [p.label, String(p.count), formatDuration(p.medianNs), formatPercent(p.share)]
                : [p.label, String(p.count)],
            ),
            align: shown ? ['l', 'r', 'r', 'r'] : ['l', 'r'],
          },
          width,
          style.dim,
        );
  const timing = timingLine(result.summary.timing);
  const notes = result.notes.length;
  return joinSections([
    [endLine(result), deviceLine(result)].flatMap(wrap),
    [inside, gpuBusyLine(result), ...(timing === undefined ? [] : [timing])].flatMap(wrap),
    table.length > 0
      ? [
          style.dim(`top compute passes${all.passRows.length > 3 ? ` (3 of ${all.passRows.length})` : ''}:`),
          ...table,
        ]
      : [],
    uncoveredLines(result.summary.uncovered).flatMap(wrap),
    notes > 0 ? [style.dim(`${notes} note${notes === 1 ? '' : 's'}: --details prints them`)] : [],
    footLines(options, 'every table, per thread'),
  ]);
}

export function traceDetails(result: TraceResult, options: ViewOptions): string {
  return detailsView(
    renderTrace(result),
    options,
    uncoveredLines(result.summary.uncovered).flatMap((l) => wrapText(l, options.width, '', '  ')),
  );
}
