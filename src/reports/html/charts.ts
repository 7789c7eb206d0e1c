import type { TopLevelSpec } from 'vega-lite';
import { COMPLETION_METHODS } from '../../experiments/sync-suite.js';
import { isSequential, PHASE_LABEL, PHASES, type Phase } from '../../op/phases.js';
import type {
  AnyResult,
  BreakdownResult,
  ProfileResult,
  StrategyResult,
  SyncResult,
} from '../../results/result-types.js';
import { steadySamples } from '../../results/steady-samples.js';
import { unitFor, type TimeUnit } from '../units.js';
import { scenarioLabel } from '../scenario-label.js';

/** One chart of a report: a Vega-Lite spec, and the words that go above and below it. */
export interface Chart {
  /** Stable and unique within a report: `profile-latency`, `sync-batching`, ... */
  readonly id: string;
  readonly title: string;
  /** What the chart shows and how to read it, in plain words. */
  readonly caption: string;
  readonly spec: TopLevelSpec;
  /**
   * Set when the chart has nothing to draw (every op failed, no row was measured): why, in words
   * shown in its place. Vega is not run on it: an empty data set only gives it infinite extents.
   */
  readonly noData?: string;
}

/** A chart's `noData` when it has no `data` to draw. */
function noDataUnless(data: readonly unknown[], why: string): { noData?: string } {
  return data.length > 0 ? {} : { noData: why };
}

/** Why a profile's charts are empty: every scenario's ops failed, or none was measured. */
const NO_OP_FINISHED = 'no steady op of any scenario finished (see the failures in the tables)';

/**
 * At most this many latencies per scenario go into the distribution chart (each is a mark in the
 * SVG): enough to show the shape, tails included, while the HTML file stays small.
 */
export const MAX_POINTS_PER_SCENARIO = 1000;

/** The phases that follow one another in an op (all but kernelGpu, which overlaps sync), in order. */
export const SEQUENTIAL_PHASES: readonly Phase[] = PHASES.filter(isSequential);

/** A view inside a concatenation (vega-lite's own name for the type is not part of its public API). */
type ConcatItem = Extract<TopLevelSpec, { vconcat: unknown }>['vconcat'][number];

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 640;
/** Room for long row labels ("worker + input data and tensor creation (writeBuffer)"). */
const LABEL_LIMIT = 420;
/**
 * The font the charts are drawn in. Vega lays text out in Node without a canvas, from widths that
 * render-svg.ts computes for DejaVu Sans (on nearly every Linux); Verdana (on macOS and Windows)
 * has nearly the same metrics. Labels then neither overlap nor get cut short.
 */
export const CHART_FONT = '"DejaVu Sans", Verdana, "Bitstream Vera Sans", sans-serif';
/** Every chart's look: the font, no frame, the same label sizes (the profile's, the peak's, history's). */
export const CHART_CONFIG = {
  font: CHART_FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: LABEL_LIMIT },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 280 },
} as const;
/**
 * A line per colour through each point, with its 95% CI as a vertical rule: the layers of every
 * "value over a size" chart (sync's completion, peak's bandwidth). The data has `low` and `high`.
 */
export function lineWithCi<X, Y extends object, C>(x: X, y: Y, color: C) {
  return [
    { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
    { mark: { type: 'point', filled: true, size: 40 }, encoding: { x, y, color } },
    {
      mark: { type: 'rule', strokeWidth: 1.5 },
      encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' }, color },
    },
  ] as const;
}

/** Pixels per scenario or row on a band axis. */
const STEP = 28;

/** The name of a scenario in charts, as the scenario table writes it. */
export function scenarioName(run: StrategyResult): string {
  return scenarioLabel(run);
}

/**
 * `count` values of `values` at evenly spaced ranks, smallest and largest included, in ascending
 * order; all of them, sorted, when there are no more than `count`. Deterministic: the same values
 * always give the same sample, and its quantiles are close to the whole set's.
 */
export function evenlyRanked(values: readonly number[], count: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length <= count) return sorted;
  if (count <= 0) return [];
  if (count === 1) return [sorted[(sorted.length - 1) >> 1] ?? NaN];
  const last = sorted.length - 1;
  return Array.from({ length: count }, (_, i) => sorted[Math.round((i * last) / (count - 1))] ?? NaN);
}

/** One point of the latency distribution chart. */
export interface LatencyPoint {
  readonly scenario: string;
  /** End-to-end time of one op, in the chart's unit. */
  readonly latency: number;
}

/**
 * Each scenario's steady-op latencies, thinned to at most `maxPerScenario` by rank (see
 * {@link evenlyRanked}), in `unit`. Values that a log axis cannot show (zero or below) are left out.
 */
export function latencyPoints(
  result: ProfileResult,
  unit: TimeUnit,
  maxPerScenario = MAX_POINTS_PER_SCENARIO,
): LatencyPoint[] {
  return result.runs.flatMap((run) => {
    const scenario = scenarioName(run);
    const positive = steadySamples(run, 'total').filter((ns) => ns > 0);
    return evenlyRanked(positive, maxPerScenario).map((ns) => ({ scenario, latency: ns / unit.ns }));
  });
}

/** The unit of a profile's charts: the one its scenario table uses (from the fastest median op). */
export function profileUnit(result: ProfileResult): TimeUnit {
  return unitFor(Math.min(...result.runs.map((r) => r.summary.total?.median ?? Number.POSITIVE_INFINITY)));
}

/** The opacity of one op's tick when a scenario has `count` of them: 0.7 for a few, 0.15 for thousands. */
export function tickOpacity(count: number): number {
  return Math.min(0.7, Math.max(0.15, 6 / Math.sqrt(count)));
}

/**
 * The latency distribution of every scenario in one figure: a row per scenario on one shared
 * log-scaled latency axis, each op a thin tick, with a box (quartiles, median, whiskers to the
 * extremes) over them.
 */
export function latencySpec(result: ProfileResult, maxPerScenario = MAX_POINTS_PER_SCENARIO): TopLevelSpec {
  const unit = profileUnit(result);
  const scenarios = result.runs.map(scenarioName);
  const points = latencyPoints(result, unit, maxPerScenario);
  const most = Math.max(1, ...scenarios.map((s) => points.filter((p) => p.scenario === s).length));
  const x = {
    field: 'latency',
    type: 'quantitative',
    // The data's own extent (a few pixels wider), not the decades around it.
    scale: { type: 'log', nice: false, padding: 10 },
    title: `latency per op [${unit.label}], log scale`,
    axis: { grid: true, format: ',~g' },
  } as const;
  const y = { field: 'scenario', type: 'nominal', sort: scenarios, title: null } as const;
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    width: WIDTH,
    height: { step: 2 * STEP },
    data: { values: points },
    layer: [
      {
        // One mark per op: no per-mark ARIA labels, which would triple the file's size.
        mark: {
          type: 'tick',
          thickness: 1,
          // Where ticks pile up the colour deepens; fewer ticks, each one darker.
          opacity: tickOpacity(most),
          color: '#4c78a8',
          bandSize: 1.6 * STEP,
          aria: false,
        },
        encoding: { x, y },
      },
      {
        mark: {
          type: 'boxplot',
          extent: 'min-max',
          size: 0.7 * STEP,
          box: { fillOpacity: 0, stroke: '#222', strokeWidth: 1.2 },
          median: { color: '#000', thickness: 3 },
          rule: { stroke: '#222' },
          ticks: { color: '#222' },
        },
        encoding: { x, y },
      },
    ],
  };
}

/** One segment of the phase chart: a phase's median in one scenario. */
export interface PhaseSegment {
  readonly scenario: string;
  readonly phase: string;
  /** Position of the phase in the op, for the stacking order. */
  readonly order: number;
  /** The phase's median over the scenario's steady ops, in milliseconds. */
  readonly ms: number;
}

/** Each scenario's sequential phases' medians (kernelGpu is not one: it runs during sync), in ms. */
export function phaseSegments(result: ProfileResult): PhaseSegment[] {
  return result.runs.flatMap((run) =>
    SEQUENTIAL_PHASES.flatMap((phase, order) => {
      const median = run.summary[phase]?.median;
      return median === undefined || !Number.isFinite(median)
        ? []
        : [{ scenario: scenarioName(run), phase: PHASE_LABEL[phase], order, ms: median / 1e6 }];
    }),
  );
}

/**
 * Where an op's time goes, by phase: a stacked horizontal bar per scenario of its phases'
 * medians in milliseconds, and beside it the same bars as shares of their length, so that the
 * fast scenarios' phases can be seen next to a slow one.
 */
export function phaseSpec(result: ProfileResult): TopLevelSpec {
  const scenarios = result.runs.map(scenarioName);
  const segments = phaseSegments(result);
  const phases = SEQUENTIAL_PHASES.filter((p) => segments.some((s) => s.phase === PHASE_LABEL[p])).map(
    (p) => PHASE_LABEL[p],
  );
  const y = { field: 'scenario', type: 'nominal', sort: scenarios, title: null } as const;
  const color = {
    field: 'phase',
    type: 'nominal',
    title: 'phase (median)',
    scale: { domain: phases, scheme: 'tableau10' },
    legend: { orient: 'bottom', direction: 'horizontal', columns: 4 },
  } as const;
  const order = { field: 'order', type: 'quantitative', sort: 'ascending' } as const;
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    data: { values: segments },
    spacing: 24,
    hconcat: [
      {
        width: 0.6 * WIDTH,
        height: { step: STEP },
        mark: { type: 'bar' },
        encoding: {
          y,
          x: { field: 'ms', type: 'quantitative', stack: 'zero', title: 'time per op [ms]' },
          color,
          order,
        },
      },
      {
        width: 0.4 * WIDTH,
        height: { step: STEP },
        mark: { type: 'bar' },
        encoding: {
          y: { ...y, axis: null },
          x: {
            field: 'ms',
            type: 'quantitative',
            stack: 'normalize',
            title: 'share of the bar',
            axis: { format: '.0%' },
          },
          color,
          order,
        },
      },
    ],
  };
}

const WHERE_LABEL = { worker: 'in a fresh worker', main: 'on the main thread, warm device' } as const;

/** One bar of the breakdown chart. */
export interface ComponentBar {
  readonly component: string;
  readonly where: string;
  /** Median and its 95% CI, in milliseconds. */
  readonly ms: number;
  readonly low: number;
  readonly high: number;
}

/** The measured component rows (a row with no samples is left out), in milliseconds. */
export function componentBars(result: BreakdownResult): ComponentBar[] {
  return result.rows.flatMap((row) =>
    row.summary
      ? [
          {
            component: row.label,
            where: WHERE_LABEL[row.where],
            ms: row.summary.median / 1e6,
            low: row.summary.medianCi.low / 1e6,
            high: row.summary.medianCi.high / 1e6,
          },
        ]
      : [],
  );
}

/**
 * The breakdown's component medians as bars with their 95% CIs, a panel per place (fresh worker,
 * main thread), each with its own time axis: main-thread components are orders of magnitude
 * shorter than a worker's start.
 */
export function breakdownSpec(result: BreakdownResult): TopLevelSpec {
  const bars = componentBars(result);
  const places = Object.values(WHERE_LABEL).filter((w) => bars.some((b) => b.where === w));
  const panel = (where: string, color: string): ConcatItem => {
    const components = bars.filter((b) => b.where === where).map((b) => b.component);
    const y = { field: 'component', type: 'nominal', sort: components, title: null } as const;
    return {
      title: { text: where, anchor: 'start', fontSize: 13 },
      width: 0.7 * WIDTH,
      height: { step: STEP },
      transform: [{ filter: { field: 'where', equal: where } }],
      layer: [
        {
          mark: { type: 'bar', color },
          encoding: { y, x: { field: 'ms', type: 'quantitative', title: 'median [ms], with its 95% CI' } },
        },
        {
          mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
          encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
        },
      ],
    };
  };
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    data: { values: bars },
    spacing: 28,
    vconcat: places.map((where, i) => panel(where, i === 0 ? '#4c78a8' : '#f58518')),
  };
}

/** One point of the completion chart. */
export interface CompletionPoint {
  readonly bytes: number;
  readonly method: string;
  /** Median from submit to completion, and its 95% CI, in the chart's unit. */
  readonly median: number;
  readonly low: number;
  readonly high: number;
}

/** The sync result's time unit for completion: the one its completion table uses. */
export function completionUnit(result: SyncResult): TimeUnit {
  return unitFor(Math.min(...result.completion.map((r) => r.summary?.median ?? Number.POSITIVE_INFINITY)));
}

export function completionPoints(result: SyncResult, unit: TimeUnit): CompletionPoint[] {
  return result.completion.flatMap((row) =>
    row.summary && row.summary.median > 0
      ? [
          {
            bytes: row.bytes,
            method: row.method,
            median: row.summary.median / unit.ns,
            low: row.summary.medianCi.low / unit.ns,
            high: row.summary.medianCi.high / unit.ns,
          },
        ]
      : [],
  );
}

/** Bytes as the completion table writes them: 4 KiB ... 64 MiB (a Vega expression, fixed text). */
const BYTES_LABEL =
  "datum.value >= 1048576 ? format(datum.value / 1048576, '~g') + ' MiB' : format(datum.value / 1024, '~g') + ' KiB'";

/** Completion time against copy size, log-log, a line per way of waiting, with 95% CIs. */
export function completionSpec(result: SyncResult): TopLevelSpec {
  const unit = completionUnit(result);
  const points = completionPoints(result, unit);
  const sizes = [...new Set(points.map((p) => p.bytes))].sort((a, b) => a - b);
  const x = {
    field: 'bytes',
    type: 'quantitative',
    scale: { type: 'log', base: 2 },
    title: 'copy size, log scale',
    axis: { values: sizes, labelExpr: BYTES_LABEL, grid: true },
  } as const;
  const y = {
    field: 'median',
    type: 'quantitative',
    scale: { type: 'log' },
    title: `submit to completion, median [${unit.label}], log scale`,
    axis: { format: ',~g', grid: true },
  } as const;
  const color = {
    field: 'method',
    type: 'nominal',
    title: 'wait by',
    scale: { domain: [...COMPLETION_METHODS] },
    legend: { orient: 'top' },
  } as const;
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    width: WIDTH,
    height: 320,
    data: { values: points },
    layer: [...lineWithCi(x, y, color)],
  };
}

/** One point of the batching chart: k dispatches per sync, the median time per sync and its CI. */
export interface BatchPoint {
  readonly k: number;
  readonly series: string;
  readonly time: number;
  readonly low?: number;
  readonly high?: number;
}

const MEASURED = 'median per sync (95% CI)';
const FITTED = 'fit: s + c * k';

/** The batching medians, in `unit`, and the fitted line's two ends when there is a fit. */
export function batchPoints(result: SyncResult, unit: TimeUnit): BatchPoint[] {
  const measured: BatchPoint[] = result.batching.rows.flatMap((row) =>
    row.summary
      ? [
          {
            k: row.k,
            series: MEASURED,
            time: row.summary.median / unit.ns,
            low: row.summary.medianCi.low / unit.ns,
            high: row.summary.medianCi.high / unit.ns,
          },
        ]
      : [],
  );
  const fit = result.batching.fit;
  const ks = measured.map((p) => p.k);
  if (!fit || ks.length === 0) return measured;
  const ends = [Math.min(0, ...ks), Math.max(...ks)];
  return [
    ...measured,
    ...ends.map((k) => ({ k, series: FITTED, time: (fit.intercept + fit.slope * k) / unit.ns })),
  ];
}

/** The batching unit: the one the batching table uses (from the fastest median). */
export function batchingUnit(result: SyncResult): TimeUnit {
  return unitFor(Math.min(...result.batching.rows.map((r) => r.summary?.median ?? Number.POSITIVE_INFINITY)));
}

/**
 * Time per sync against kernels per sync (k): the measured medians with their CIs, and the
 * least-squares line intercept + slope * k through them, on linear axes so that a straight line
 * looks straight and the intercept (the fixed cost of a sync) sits at k = 0.
 */
export function batchingSpec(result: SyncResult): TopLevelSpec {
  const unit = batchingUnit(result);
  const points = batchPoints(result, unit);
  const series = [MEASURED, ...(points.some((p) => p.series === FITTED) ? [FITTED] : [])];
  const x = { field: 'k', type: 'quantitative', title: 'kernel dispatches per sync (k)' } as const;
  const y = {
    field: 'time',
    type: 'quantitative',
    title: `time per sync [${unit.label}]`,
    scale: { zero: true },
  } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: series, range: ['#4c78a8', '#e45756'] },
    legend: { orient: 'top' },
  } as const;
  const only = (name: string): { filter: { field: string; equal: string } } => ({
    filter: { field: 'series', equal: name },
  });
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    width: WIDTH,
    height: 320,
    data: { values: points },
    layer: [
      { transform: [only(FITTED)], mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
      {
        transform: [only(MEASURED)],
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' }, color },
      },
      {
        transform: [only(MEASURED)],
        mark: { type: 'point', filled: true, size: 50 },
        encoding: { x, y, color },
      },
    ],
  };
}

function profileCharts(result: ProfileResult): Chart[] {
  const unit = profileUnit(result);
  return [
    {
      id: 'profile-latency',
      title: 'Latency per op, by scenario',
      caption:
        `Each tick is one steady op's end-to-end time (at most ${MAX_POINTS_PER_SCENARIO} per scenario, taken at evenly spaced ranks, ` +
        `the fastest and slowest included); the box spans the quartiles, the thick line is the median and the whiskers reach the extremes. ` +
        `Failed ops are left out; a fresh worker per op has only cold ops, and they are its figures. Latency in ${unit.label}, on a log scale.`,
      spec: latencySpec(result),
      ...noDataUnless(latencyPoints(result, unit), NO_OP_FINISHED),
    },
    {
      id: 'profile-phases',
      title: "Where an op's time goes, by phase",
      caption:
        "Each segment is a phase's median over the scenario's steady ops, in milliseconds (left) and as a share of the bar (right). " +
        'Medians do not add up exactly, so a bar is close to, not equal to, the median op. ' +
        'kernel (GPU) is not drawn: it runs on the GPU while the CPU waits in sync.',
      spec: phaseSpec(result),
      ...noDataUnless(phaseSegments(result), NO_OP_FINISHED),
    },
  ];
}

function breakdownCharts(result: BreakdownResult): Chart[] {
  return [
    {
      id: 'breakdown-components',
      title: 'Components of a fresh-worker op',
      caption:
        'Each bar is one experiment, measured on its own: its median in milliseconds, the line its 95% CI. ' +
        'The worker rows are cumulative (each does what the row above does, and one more thing). ' +
        'The two panels have their own time axes.',
      spec: breakdownSpec(result),
      ...noDataUnless(componentBars(result), 'no experiment of the breakdown was measured'),
    },
  ];
}

function syncCharts(result: SyncResult): Chart[] {
  const fit = result.batching.fit;
  const unit = batchingUnit(result);
  const fitWords = fit
    ? ` The line is the least-squares fit through the medians: s (fixed sync cost) = ${(fit.intercept / unit.ns).toPrecision(3)} ${unit.label}, ` +
      `c (per kernel) = ${(fit.slope / unit.ns).toPrecision(3)} ${unit.label}, R squared = ${fit.rSquared.toFixed(3)}.`
    : ' There is no fit.';
  return [
    {
      id: 'sync-completion',
      title: 'Completion time against copy size',
      caption:
        'Median time from submit to completion of one buffer copy, for each way of waiting, with its 95% CI; both axes on log scales.',
      spec: completionSpec(result),
      ...noDataUnless(completionPoints(result, completionUnit(result)), 'no buffer copy was measured'),
    },
    {
      id: 'sync-batching',
      title: 'Batching: k dispatches per sync',
      caption:
        `Median time per sync for k dispatches of ${result.config.kernel} before one onSubmittedWorkDone, with its 95% CI.${fitWords}` +
        (result.batching.poorFit ? ` POOR FIT: ${result.batching.poorFit}.` : ''),
      spec: batchingSpec(result),
      ...noDataUnless(batchPoints(result, unit), 'no batch of dispatches was measured'),
    },
  ];
}

/** The charts of a result, in the order a report shows them. */
export function chartsFor(result: AnyResult): Chart[] {
  switch (result.kind) {
    case 'profile':
      return profileCharts(result);
    case 'breakdown':
      return breakdownCharts(result);
    case 'sync':
      return syncCharts(result);
  }
}
