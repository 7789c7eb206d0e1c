import type { TopLevelSpec } from 'vega-lite';
import type { TraceResult } from '../../results/result-types.js';
import { timelineBars, type TimelineBar, type TimelineBarKind } from '../trace-timeline.js';
import { CHART_FONT, type Chart } from './charts.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 900;
/** Pixels per lane. */
const LANE_STEP = 34;
/**
 * At most this many bars per lane go into the chart (each is a path in the SVG): the first ones,
 * in the order the thread logged them; the caption says when some were left out.
 */
export const MAX_BARS_PER_LANE = 4000;

const KINDS: readonly TimelineBarKind[] = [
  'creation',
  'upload',
  'encoding and submit',
  'wait',
  'compute pass',
];
const COLOURS = ['#9d755d', '#54a24b', '#4c78a8', '#e45756', '#f58518'];

/** One bar as the spec gets it: times in ms since the spawn. */
interface BarDatum {
  readonly lane: string;
  readonly kind: TimelineBarKind;
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** The lanes in drawing order (each thread, then its devices), and the bars kept per lane. */
function keptBars(bars: readonly TimelineBar[]): { lanes: string[]; kept: TimelineBar[]; left: number } {
  const order = new Map<string, number>();
  for (const b of bars) if (!order.has(b.lane)) order.set(b.lane, b.laneOrder);
  const lanes = [...order.keys()].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const counts = new Map<string, number>();
  const kept: TimelineBar[] = [];
  for (const b of bars) {
    const n = (counts.get(b.lane) ?? 0) + 1;
    counts.set(b.lane, n);
    if (n <= MAX_BARS_PER_LANE) kept.push(b);
  }
  return { lanes, kept, left: bars.length - kept.length };
}

/**
 * The trace as a timeline: one lane per thread with its timed WebGPU calls as bars, coloured by
 * kind (creation, upload, encoding and submit, waiting for the GPU), and one lane per device with
 * its compute passes, on the process's clock (the offsets of trace-timeline.ts, as in trace.json).
 * A call shorter than a pixel is drawn a pixel wide, so that every call shows. Undefined when the
 * trace has no timed call or pass.
 */
export function traceTimelineChart(result: TraceResult): Chart | undefined {
  const bars = timelineBars(result);
  if (bars.length === 0) return undefined;
  const { lanes, kept, left } = keptBars(bars);
  const spanNs = Math.max(result.program.wallNs, ...kept.map((b) => b.endNs));
  const pixelNs = spanNs / WIDTH;
  const values: BarDatum[] = kept.map((b) => ({
    lane: b.lane,
    kind: b.kind,
    name: b.name,
    start: b.startNs / 1e6,
    end: Math.max(b.endNs, b.startNs + pixelNs) / 1e6,
  }));
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    config: {
      font: CHART_FONT,
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
      legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom', direction: 'horizontal' },
    },
    width: WIDTH,
    height: { step: LANE_STEP },
    data: { values },
    mark: { type: 'bar', aria: false, cornerRadius: 0 },
    encoding: {
      x: {
        field: 'start',
        type: 'quantitative',
        title: 'time since the program was started [ms]',
        scale: { domain: [0, spanNs / 1e6], nice: false },
        axis: { grid: true, format: ',~r', tickCount: 12 },
      },
      x2: { field: 'end' },
      y: { field: 'lane', type: 'nominal', sort: lanes, title: null },
      color: {
        field: 'kind',
        type: 'nominal',
        title: null,
        scale: { domain: [...KINDS], range: COLOURS },
      },
    },
  };
  const shown =
    left > 0 ? ` The first ${MAX_BARS_PER_LANE} bars of each lane are drawn; ${left} more are left out.` : '';
  return {
    id: 'trace-timeline',
    title: "Timeline: each thread's WebGPU calls, and each device's compute passes",
    caption:
      'One lane per thread, with the WebGPU calls wgprof timed in it (creation: requestDevice, shader modules, ' +
      'pipelines, bind groups, buffers; upload: writeBuffer; encoding and submit: queue.submit; wait: ' +
      'onSubmittedWorkDone and mapAsync, until the promise settled), and under it one lane per device it opened, ' +
      "with its compute passes' GPU time from the timestamps wgprof added, moved onto the process's clock. " +
      'A call shorter than a pixel is drawn a pixel wide. The same slices as trace.json (wgprof report ' +
      `--format trace), which ui.perfetto.dev opens.${shown}`,
    spec,
  };
}
