import { formatChange } from '../compare/render-compare.js';
import { formatDuration, formatPercent } from '../reports/units.js';
import { layoutMarkdown } from '../reports/terminal/markdown-layout.js';
import type { Style } from '../reports/terminal/style.js';
import { joinSections, type ViewOptions } from '../reports/terminal/view-parts.js';
import { wrapText } from '../reports/terminal/wrap.js';
import type { History, HistoryGroup, ScenarioSeries } from './history-types.js';
import { historyMarkdown } from './history-markdown.js';
import { pointsWith, runsLine, stepText } from './history-words.js';

/** At most this many marked steps are listed on a scenario's line; --details has them all. */
const LISTED_STEPS = 3;

/** "2 regressions (run 7 +18.0% [+12.0%, +25.0%], run 12 ...)", or '' when there is none. */
function markedText(series: ScenarioSeries, verdict: 'regression' | 'improvement', style: Style): string {
  const points = pointsWith(series, verdict);
  if (points.length === 0) return '';
  const listed = points.slice(0, LISTED_STEPS).map(stepText);
  if (points.length > LISTED_STEPS) listed.push(`and ${points.length - LISTED_STEPS} more`);
  const word = `${points.length} ${verdict}${points.length === 1 ? '' : 's'}`;
  return `${style.verdict(verdict === 'regression' ? 'bad' : 'good', word)} (${listed.join(', ')})`;
}

/**
 * "noop/1K/f32 main: 127 us -> 130 us (+2.4%) over 20 runs; 1 regression (run 7 +18.0% [...])":
 * a scenario's first and last median, and the steps beyond the noise.
 */
export function seriesLine(group: HistoryGroup, series: ScenarioSeries, style: Style): string {
  const first = series.points[0];
  const last = series.points[series.points.length - 1];
  const name = `${group.op} ${series.scenario}:`;
  if (!first || !last) return `${name} no run measured its total`;
  if (first === last) return `${name} ${formatDuration(first.medianNs)} in 1 run; nothing to compare yet`;
  const trend = `${formatDuration(first.medianNs)} -> ${formatDuration(last.medianNs)} (${formatChange(last.medianNs / first.medianNs - 1)}) over ${series.points.length} runs`;
  const marked = [markedText(series, 'regression', style), markedText(series, 'improvement', style)].filter(
    (t) => t !== '',
  );
  return `${name} ${trend}; ${marked.length > 0 ? marked.join(', ') : 'no step beyond the noise'}`;
}

/** A group's lines: what it measured and where, its runs, a line per scenario. */
function groupLines(group: HistoryGroup, options: ViewOptions): string[] {
  const { style, width } = options;
  return [
    `${style.bold(group.op)} ${style.dim('·')} ${group.config.join(', ')}`,
    `${style.dim('on')} ${group.device} ${style.dim('·')} ${group.host}`,
    style.dim(runsLine(group)),
    ...group.scenarios.map((s) => seriesLine(group, s, style)),
  ].flatMap((l) => wrapText(l, width, '', '  '));
}

/**
 * `wgprof history`'s default view: what was read, then per group a header and a line per scenario
 * (its first and last median, how many runs, the steps marked), and where to read more. The
 * skipped files have had their line each on stderr already.
 */
export function historyView(history: History, options: ViewOptions): string {
  const { style, width } = options;
  const skipped = history.skipped.length;
  const head = [
    `${style.bold('wgprof history:')} ${history.results} profile result${history.results === 1 ? '' : 's'} in ${history.groups.length} group${history.groups.length === 1 ? '' : 's'}${skipped > 0 ? `; ${skipped} file${skipped === 1 ? '' : 's'} skipped` : ''}`,
    style.dim(
      `a step is marked when compare's verdict on it, against the scenario's previous run, is a regression or an improvement beyond ${formatPercent(history.threshold)}`,
    ),
  ].flatMap((l) => wrapText(l, width, '', '  '));
  const foot = wrapText(
    style.dim('--details: every run with its commit, median and step · --format html --out FILE: the charts'),
    width,
    '',
    '  ',
  );
  return joinSections([head, ...history.groups.map((g) => groupLines(g, options)), foot]);
}

/** `--details`: the Markdown history laid out for the terminal. */
export function historyDetails(history: History, options: ViewOptions): string {
  return joinSections([layoutMarkdown(historyMarkdown(history), options.width, options.style.dim)]);
}
