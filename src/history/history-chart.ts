import type { TopLevelSpec } from 'vega-lite';
import { formatChange } from '../compare/render-compare.js';
import { CHART_CONFIG, type Chart } from '../reports/html/charts.js';
import { formatIn, unitFor, type TimeUnit } from '../reports/units.js';
import type { HistoryGroup } from './history-types.js';
import { isCompared, whenText } from './history-words.js';
import { provenanceText } from './provenance.js';

/** One point of a group's chart: a scenario's median in one run, its CI, and where the run came from. */
export interface HistoryChartPoint {
  readonly run: number;
  readonly scenario: string;
  /** In the chart's unit. */
  readonly median: number;
  readonly low: number;
  readonly high: number;
  /** 'regression', 'improvement', or 'no mark' (unchanged, ambiguous, the first run). */
  readonly step: string;
  /** What a reader sees on hover: the run, when, commit and label, the median and its step. */
  readonly hover: string;
}

const STEP_SHAPES = {
  domain: ['no mark', 'regression', 'improvement'],
  range: ['circle', 'triangle-up', 'triangle-down'],
};

/** The unit of a group's chart: from its fastest median, so that every value is at least 1. */
export function chartUnit(group: HistoryGroup): TimeUnit {
  return unitFor(Math.min(...group.scenarios.flatMap((s) => s.points.map((p) => p.medianNs))));
}

/** Every scenario's points of a group, in `unit`, with the words shown on hover. */
export function historyChartPoints(group: HistoryGroup, unit: TimeUnit): HistoryChartPoint[] {
  const runOf = new Map(group.runs.map((r) => [r.run, r]));
  return group.scenarios.flatMap((series) =>
    series.points.map((p) => {
      const run = runOf.get(p.run);
      const step = p.step;
      const marked = isCompared(step) && (step.verdict === 'regression' || step.verdict === 'improvement');
      const stepWords = isCompared(step)
        ? `; ${formatChange(step.change)} vs run ${step.fromRun}: ${step.verdict}`
        : step
          ? `; not compared: ${step.notCompared}`
          : '';
      return {
        run: p.run,
        scenario: series.scenario,
        median: p.medianNs / unit.ns,
        low: p.lowNs / unit.ns,
        high: p.highNs / unit.ns,
        step: marked ? step.verdict : 'no mark',
        hover:
          `${series.scenario}, run ${p.run} (${run ? whenText(run.createdAt) : '?'} UTC, ${provenanceText(run?.provenance)}): ` +
          `${formatIn(p.medianNs, unit)} ${unit.label} [${formatIn(p.lowNs, unit)}, ${formatIn(p.highNs, unit)}]${stepWords}`,
      };
    }),
  );
}

/**
 * A group's trend: run after run on the x axis, each scenario's median total per op as a line
 * with its CI as a band, the steps compare marked as triangles (up: a regression, down: an
 * improvement); each point names its run, commit and label on hover.
 */
export function historyChart(group: HistoryGroup, index: number): Chart {
  const unit = chartUnit(group);
  const points = historyChartPoints(group, unit);
  const scenarios = group.scenarios.map((s) => s.scenario);
  // Every run from the first to the last, a few pixels in, as whole numbers.
  const domain: number[] = [1, Math.max(2, group.runs.length)];
  const x = {
    field: 'run',
    type: 'quantitative',
    title: 'run, in time order',
    scale: { domain, nice: false, padding: 8 },
    axis: { format: 'd', tickMinStep: 1, grid: true },
  } as const;
  const y = {
    field: 'median',
    type: 'quantitative',
    // On a log axis a step of 10% is as tall for a 100 us scenario as for a 100 ms one.
    title: `median total per op [${unit.label}], log scale`,
    scale: { type: 'log', nice: false, padding: 8 },
    axis: { grid: true },
  } as const;
  const color = {
    field: 'scenario',
    type: 'nominal',
    title: 'scenario',
    scale: { domain: scenarios, scheme: 'tableau10' },
    // Solid swatches: the legend would otherwise take the bands' faint opacity.
    legend: { orient: 'top', symbolOpacity: 1 },
  } as const;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CHART_CONFIG,
    width: 640,
    height: 280,
    data: { values: points },
    layer: [
      {
        mark: { type: 'area', opacity: 0.18, aria: false },
        // The band's fill shares the lines' scale, and so their one legend.
        encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' }, fill: color },
      },
      { mark: { type: 'line', strokeWidth: 2, aria: false }, encoding: { x, y, color } },
      {
        mark: { type: 'point', filled: true, opacity: 1 },
        encoding: {
          x,
          y,
          color,
          shape: {
            field: 'step',
            type: 'nominal',
            title: 'step',
            scale: STEP_SHAPES,
            legend: { orient: 'top' },
          },
          // A marked step stands out from the line: larger, outlined in black.
          size: { condition: { test: "datum.step !== 'no mark'", value: 150 }, value: 36 },
          stroke: { condition: { test: "datum.step !== 'no mark'", value: '#000' }, value: null },
          strokeWidth: { value: 1.2 },
          // Vega writes a mark's description as its aria-label; history-html.ts makes it a hover title.
          description: { field: 'hover', type: 'nominal' },
          tooltip: { field: 'hover', type: 'nominal' },
        },
      },
    ],
  };
  const runs = group.runs.length;
  return {
    id: `history-${index + 1}`,
    title: `${group.op} on ${group.device}`,
    caption:
      `The median total per op of each scenario in each of the group's ${runs} run${runs === 1 ? '' : 's'}, in time order, with its CI as a band. ` +
      'A triangle marks a step compare judged beyond the noise against the previous run (up: a regression, down: an improvement); hover a point for its run, commit and label.',
    spec,
    ...(points.length === 0 ? { noData: 'no run of this group measured a total' } : {}),
  };
}
