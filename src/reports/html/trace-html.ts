import type { TraceResult } from '../../results/result-types.js';
import { reportBlocks, reportFacts, reportParts } from '../report-parts.js';
import { renderTrace } from '../trace-report.js';
import { blocksHtml, chartHtml, escapeHtml, pageHead } from './html-report.js';
import type { RenderSvgOptions } from './render-svg.js';
import { traceTimelineChart } from './trace-charts.js';

/**
 * A trace as one self-contained HTML page: what ran, the timeline (threads' calls and devices'
 * passes, as inline SVG), then the text report's tables as HTML tables.
 */
export async function renderTraceHtml(result: TraceResult, options: RenderSvgOptions = {}): Promise<string> {
  const parts = reportParts(renderTrace(result));
  const what = parts.what;
  const blocks = reportBlocks(parts);
  const facts = reportFacts(parts, result);
  const title = 'wgprof trace report';
  const timeline = traceTimelineChart(result);
  const chart =
    timeline === undefined ? '<p>No timed call or pass to draw.</p>' : await chartHtml(timeline, options);
  return `${pageHead(title, result.environment.wgprof)}
<body>
<main>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="lede">${escapeHtml(what.replace(/^wgprof trace: /, ''))}</p>
<dl class="run">
${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${k === 'command' ? `<code>${escapeHtml(v)}</code>` : escapeHtml(v)}</dd>`).join('\n')}
</dl>
</header>
<section class="charts">
<h2>Timeline</h2>
${chart}
</section>
<section class="tables">
<h2>Tables</h2>
${blocksHtml(blocks)}
</section>
<footer>Written by wgprof ${escapeHtml(result.environment.wgprof)} from a trace result (schema ${escapeHtml(String(result.version))}). Chart drawn with Vega-Lite. For a timeline to zoom into: wgprof report --format trace, opened in ui.perfetto.dev.</footer>
</main>
</body>
</html>
`;
}
