import { chartHtml, escapeHtml, pageHead } from '../reports/html/html-report.js';
import { blocksHtml } from '../reports/html/html-report.js';
import type { RenderSvgOptions } from '../reports/html/render-svg.js';
import { wgprofVersion } from '../results/environment.js';
import { historyChart } from './history-chart.js';
import { groupTitle, seriesTable } from './history-markdown.js';
import type { History, HistoryGroup } from './history-types.js';
import { runsLine } from './history-words.js';

/**
 * Vega writes a mark's description as an `aria-label`, which a browser reads out but does not
 * show on hover; an SVG `<title>` child is what it shows. Each described point gets one, with the
 * same text (already escaped by Vega's writer), so the page needs no script for its hovers.
 */
export function titlesFromLabels(svg: string): string {
  return svg.replace(
    /<path (aria-label="([^"]*)"[^>]*?aria-roledescription="point"[^>]*?)\/>/g,
    (_all, attributes: string, label: string) => `<path ${attributes}><title>${label}</title></path>`,
  );
}

/** A group's section: its title, what it ran on, its chart, a table per scenario. */
async function groupHtml(group: HistoryGroup, index: number, options: RenderSvgOptions): Promise<string> {
  const facts: [string, string][] = [
    ['settings', group.config.join(', ')],
    ['device', group.device],
    ['host', group.host],
    ['runs', runsLine(group)],
  ];
  const tables = group.scenarios.flatMap((s) => [`${s.scenario}:`, seriesTable(group, s)]);
  return `<section class="group" id="group-${index + 1}">
<h2>${escapeHtml(groupTitle(group))}</h2>
<dl class="run">
${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n')}
</dl>
${titlesFromLabels(await chartHtml(historyChart(group, index), options))}
<details><summary>Every run, by scenario</summary>
${blocksHtml(tables)}
</details>
</section>`;
}

/**
 * The history as one self-contained HTML page, as wgprof's other reports: a chart per group
 * (Vega-Lite, drawn to inline SVG in Node; commit and label on hover) and its tables; no script,
 * and nothing loaded from anywhere.
 */
export async function historyHtml(history: History, options: RenderSvgOptions = {}): Promise<string> {
  const sections: string[] = [];
  for (const [i, group] of history.groups.entries()) sections.push(await groupHtml(group, i, options));
  const skipped =
    history.skipped.length === 0
      ? ''
      : `<section class="skipped"><h2>Skipped files</h2>\n<ul>\n${history.skipped
          .map((s) => `<li><code>${escapeHtml(s.path)}</code>: ${escapeHtml(s.reason)}</li>`)
          .join('\n')}\n</ul></section>\n`;
  const title = 'wgprof history';
  const lede = `${history.results} profile result${history.results === 1 ? '' : 's'} in ${history.groups.length} group${history.groups.length === 1 ? '' : 's'} (same op, settings, device and host), each in time order; a step is marked when compare's verdict on the total, against the previous run, is a regression or an improvement beyond ${(history.threshold * 100).toFixed(1)}%.`;
  const version = wgprofVersion();
  return `${pageHead(title, version)}
<body>
<main>
<header>
<h1>${title}</h1>
<p class="lede">${escapeHtml(lede)}</p>
</header>
${sections.join('\n')}
${skipped}<footer>Written by wgprof ${escapeHtml(version)}. Charts drawn with Vega-Lite.</footer>
</main>
</body>
</html>
`;
}
