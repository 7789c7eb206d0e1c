import { markdownTable } from 'markdown-table';
import { formatChangeCi } from '../compare/render-compare.js';
import { formatIn, formatPercent, unitFor } from '../reports/units.js';
import type { History, HistoryGroup, ScenarioSeries } from './history-types.js';
import { isCompared, runsLine, whenText } from './history-words.js';
import { provenanceText } from './provenance.js';

/** The title of a group: its op and where it ran. */
export function groupTitle(group: HistoryGroup): string {
  return `${group.op} on ${group.device}`;
}

/**
 * Run | when | commit (and label) | median [CI] | step (its verdict) | change vs previous [CI],
 * for one scenario of a group: the unit chosen once, from its first median.
 */
export function seriesTable(group: HistoryGroup, series: ScenarioSeries): string {
  const unit = unitFor(series.points[0]?.medianNs ?? 1);
  const runOf = new Map(group.runs.map((r) => [r.run, r]));
  const rows = series.points.map((p) => {
    const run = runOf.get(p.run);
    const step = p.step;
    const change = isCompared(step) ? formatChangeCi(step.change, step.changeCi) : '-';
    const verdict =
      step === undefined ? '-' : isCompared(step) ? step.verdict : `not compared: ${step.notCompared}`;
    return [
      String(p.run),
      run ? whenText(run.createdAt) : '-',
      provenanceText(run?.provenance),
      `${formatIn(p.medianNs, unit)} [${formatIn(p.lowNs, unit)}, ${formatIn(p.highNs, unit)}]`,
      verdict,
      change,
    ];
  });
  // The step's verdict beside the median: where a terminal splits the table, the two stay together.
  const header = [
    'run',
    'when (UTC)',
    'commit',
    `median [CI] [${unit.label}]`,
    'step',
    'vs previous [95% CI]',
  ];
  return markdownTable([header, ...rows], { align: ['r', 'l', 'l', 'r', 'l', 'r'] });
}

/** A group as Markdown: a heading, what it ran on, then a table per scenario. */
export function groupMarkdown(group: HistoryGroup): string {
  return [
    `## ${groupTitle(group)}`,
    '',
    `- settings: ${group.config.join(', ')}`,
    `- device: ${group.device}`,
    `- host: ${group.host}`,
    `- ${runsLine(group)}`,
    ...group.scenarios.flatMap((s) => ['', `### ${s.scenario}`, '', seriesTable(group, s)]),
  ].join('\n');
}

/**
 * The whole history as Markdown (`--format md`, and `--details` laid out for the terminal): a
 * section per group with every run of every scenario, then the files that were skipped.
 */
export function historyMarkdown(history: History): string {
  const skipped =
    history.skipped.length === 0
      ? []
      : ['', '## Skipped files', '', ...history.skipped.map((s) => `- ${s.path}: ${s.reason}`)];
  return `${[
    '# wgprof history',
    '',
    `- ${history.results} profile result${history.results === 1 ? '' : 's'} in ${history.groups.length} group${history.groups.length === 1 ? '' : 's'} (same op, settings, device and host), each in time order`,
    `- each step is \`wgprof compare\`'s verdict on the total between a run and the scenario's previous one: a regression or an improvement only when its whole CI lies beyond ${formatPercent(history.threshold)} and the test agrees`,
    ...history.groups.flatMap((g) => ['', groupMarkdown(g)]),
    ...skipped,
  ].join('\n')}\n`;
}
