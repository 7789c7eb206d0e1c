import type { TopLevelSpec } from 'vega-lite';
import { reportBlocks, reportFacts, reportParts } from '../report-parts.js';
import { sizeLabel } from '../../peak/peak-plan.js';
import type { PeakResult } from '../../results/result-types.js';
import { renderPeak } from '../peak-report.js';
import { rateUnit } from '../rates.js';
import { CHART_CONFIG, lineWithCi, type Chart } from './charts.js';
import { blocksHtml, chartHtml, escapeHtml, pageHead } from './html-report.js';
import type { RenderSvgOptions } from './render-svg.js';

/** One point of the bandwidth chart: a size, a way of moving memory, its median rate and 95% CI. */
export interface BandwidthPoint {
  readonly bytes: number;
  readonly method: 'copy' | 'stream kernel';
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/** Both sweeps as points, in `scale` (1e9 for GB/s). */
export function bandwidthPoints(result: PeakResult, scale: number): BandwidthPoint[] {
  const of = (method: BandwidthPoint['method'], points: PeakResult['sweeps']['copy']): BandwidthPoint[] =>
    points.map((p) => ({
      bytes: p.bytes,
      method,
      value: p.value / scale,
      low: p.low / scale,
      high: p.high / scale,
    }));
  return [...of('copy', result.sweeps.copy), ...of('stream kernel', result.sweeps.stream)];
}

/** Bandwidth against buffer size (log scale), a line per way of moving memory, with 95% CIs. */
export function bandwidthChart(result: PeakResult): Chart {
  const all = [...result.sweeps.copy, ...result.sweeps.stream];
  const unit = rateUnit(Math.max(1, ...all.map((p) => p.value)), 'B/s');
  const points = bandwidthPoints(result, unit.scale);
  const sizes = [...new Set(points.map((p) => p.bytes))].sort((a, b) => a - b);
  const labels = Object.fromEntries(sizes.map((b) => [b, sizeLabel(b)]));
  const x = {
    field: 'bytes',
    type: 'quantitative',
    scale: { type: 'log', base: 2 },
    title: 'buffer size, log scale',
    axis: { values: sizes, labelExpr: `${JSON.stringify(labels)}[datum.value] || ''`, grid: true },
  } as const;
  const y = {
    field: 'value',
    type: 'quantitative',
    title: `bytes read + written per second, median [${unit.label}]`,
    scale: { zero: true },
    axis: { format: ',~g', grid: true },
  } as const;
  const color = {
    field: 'method',
    type: 'nominal',
    title: 'moved by',
    scale: { domain: ['copy', 'stream kernel'] },
    legend: { orient: 'top' },
  } as const;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CHART_CONFIG,
    width: 640,
    height: 320,
    data: { values: points },
    layer: [...lineWithCi(x, y, color)],
  };
  return {
    id: 'peak-bandwidth',
    title: 'Memory bandwidth by buffer size',
    caption:
      'The median rate of a device-local copy and of a compute kernel streaming one buffer into another, at each buffer size, with 95% CIs. A size that fits in a cache can run faster than memory; the larger sizes show the rate once it does not.',
    spec,
    ...(points.length === 0 ? { noData: 'no buffer size could be measured' } : {}),
  };
}

/**
 * A peak result as one self-contained HTML page, as the other kinds': what it ran on, the
 * bandwidth chart (inline SVG), then the text report's tables as HTML tables.
 */
export async function renderPeakHtml(result: PeakResult, options: RenderSvgOptions = {}): Promise<string> {
  const parts = reportParts(renderPeak(result));
  const what = parts.what;
  const blocks = reportBlocks(parts);
  const facts = reportFacts(parts, result);
  const title = 'wgprof peak report';
  return `${pageHead(title, result.environment.wgprof)}
<body>
<main>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="lede">${escapeHtml(what.replace(/^wgprof peak: /, ''))}</p>
<dl class="run">
${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${k === 'command' ? `<code>${escapeHtml(v)}</code>` : escapeHtml(v)}</dd>`).join('\n')}
</dl>
</header>
<section class="charts">
<h2>Charts</h2>
${await chartHtml(bandwidthChart(result), options)}
</section>
<section class="tables">
<h2>Tables</h2>
${blocksHtml(blocks)}
</section>
<footer>Written by wgprof ${escapeHtml(result.environment.wgprof)} from a peak result (schema ${escapeHtml(String(result.version))}). Chart drawn with Vega-Lite.</footer>
</main>
</body>
</html>
`;
}
