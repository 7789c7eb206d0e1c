import { renderText } from '../markdown.js';
import type { QualityWarning } from '../../results/result-types.js';
import type { AnyResult } from '../../results/result-types.js';
import { timerFloorText, TIMER_HEADING, WARNINGS_HEADING } from '../quality-section.js';
import { chartsFor, type Chart } from './charts.js';
import { renderSvg, type RenderSvgOptions } from './render-svg.js';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

type Align = 'left' | 'right' | 'center';

/** A Markdown table as the text reports print it: a header row, the alignments, the body rows. */
export interface ParsedTable {
  readonly header: readonly string[];
  readonly align: readonly Align[];
  readonly rows: readonly (readonly string[])[];
}

function cellsOf(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

function alignOf(marker: string): Align {
  const left = marker.startsWith(':');
  const right = marker.endsWith(':');
  return left && right ? 'center' : right ? 'right' : 'left';
}

/**
 * Reads back a Markdown table written by the text reports (`| a | b |`, then `| :-- | --: |`).
 * Undefined when it is not one, or when a row's cells do not line up with the header (a cell that
 * itself holds a `|`): the caller then shows the text as it is rather than misplace a cell.
 */
export function parseMarkdownTable(text: string): ParsedTable | undefined {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const [headerLine, alignLine, ...body] = lines;
  if (headerLine === undefined || alignLine === undefined) return undefined;
  if (!lines.every((l) => l.trimStart().startsWith('|'))) return undefined;
  const header = cellsOf(headerLine);
  const markers = cellsOf(alignLine);
  if (markers.length !== header.length || !markers.every((m) => /^:?-+:?$/.test(m))) return undefined;
  const rows = body.map(cellsOf);
  if (rows.some((r) => r.length !== header.length)) return undefined;
  return { header, align: markers.map(alignOf), rows };
}

function tableHtml(table: ParsedTable, caption?: string): string {
  const style = (i: number): string => (table.align[i] === 'left' ? '' : ` class="${table.align[i] ?? ''}"`);
  const head = table.header.map((h, i) => `<th scope="col"${style(i)}>${escapeHtml(h)}</th>`).join('');
  const body = table.rows
    .map((row) => `<tr>${row.map((c, i) => `<td${style(i)}>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return (
    `<div class="table-wrap"><table>${caption === undefined ? '' : `<caption>${escapeHtml(caption)}</caption>`}\n` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`
  );
}

function paragraphHtml(text: string): string {
  const warn = /^(NOTE|POOR FIT)|\nPOOR FIT|device lost/.test(text) ? ' class="warn"' : '';
  return `<p${warn}>${text.split('\n').map(escapeHtml).join('<br>')}</p>`;
}

/**
 * The text report's blocks (paragraphs and tables, separated by blank lines) as HTML: a table
 * becomes a real <table>, captioned by the paragraph just above it; other paragraphs stay paragraphs.
 */
export function blocksHtml(blocks: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] ?? '';
    const table = parseMarkdownTable(block);
    if (table) {
      out.push(tableHtml(table));
      continue;
    }
    const next = blocks[i + 1];
    const nextTable = next === undefined ? undefined : parseMarkdownTable(next);
    if (nextTable) {
      out.push(tableHtml(nextTable, block.replace(/:$/, '')));
      i++;
    } else if (block.trimStart().startsWith('|')) {
      out.push(`<pre>${escapeHtml(block)}</pre>`);
    } else {
      out.push(paragraphHtml(block));
    }
  }
  return out.join('\n');
}

/**
 * A chart as a figure: its title, the SVG (or why it could not be drawn, or why there was nothing
 * to draw) and its caption. Vega's warnings go to `options.onWarning` when given; otherwise they
 * are noted under the chart, never on the terminal, whose stderr is wgprof's own.
 */
export async function chartHtml(chart: Chart, options: RenderSvgOptions): Promise<string> {
  let body: string;
  const warnings: string[] = [];
  if (chart.noData !== undefined) {
    body = `<p class="no-data">No data: ${escapeHtml(chart.noData)}.</p>`;
  } else {
    try {
      const svg = await renderSvg(chart.spec, { onWarning: options.onWarning ?? ((m) => warnings.push(m)) });
      body = svg.replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(chart.title)}" `);
    } catch (error) {
      body = `<p class="warn">This chart could not be drawn: ${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`;
    }
  }
  const noted =
    warnings.length > 0
      ? `\n<p class="warn">Vega warned while drawing it: ${countedLines(warnings).map(escapeHtml).join('; ')}</p>`
      : '';
  return (
    `<figure class="chart" id="chart-${escapeHtml(chart.id)}" data-chart="${escapeHtml(chart.id)}">\n` +
    `<h3>${escapeHtml(chart.title)}</h3>\n<div class="plot">${body}${noted}</div>\n` +
    `<figcaption>${escapeHtml(chart.caption)}</figcaption>\n</figure>`
  );
}

/** The warnings as a list, each with its advice (the text report names shared advice once). */
function warningsHtml(warnings: readonly QualityWarning[] | undefined): string {
  if (warnings === undefined) return '';
  const items = warnings.map(
    (w) =>
      `<li><code>${escapeHtml(w.code)}</code> ${escapeHtml(w.message)}<br><span class="advice">What to do: ${escapeHtml(w.advice)}</span></li>`,
  );
  return (
    `<section class="warnings">\n<h2>${WARNINGS_HEADING}</h2>\n` +
    (items.length > 0 ? `<ul>\n${items.join('\n')}\n</ul>` : '<p>None.</p>') +
    '\n</section>\n'
  );
}

/** Each distinct line once, in order of first appearance, prefixed with its count when repeated. */
export function countedLines(lines: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  return [...counts].map(([line, n]) => (n > 1 ? `${n} x ${line}` : line));
}

export const STYLE = `
:root { color-scheme: light; --ink: #1d1f23; --muted: #5b6270; --rule: #d9dce1; --band: #f5f6f8; --warn: #9a3412; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 16px; margin: 0 0 8px; }
.lede { margin: 0 0 16px; color: var(--muted); }
dl.run { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.run dt { font-weight: 600; color: var(--muted); }
dl.run dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
pre { background: var(--band); padding: 12px; overflow-x: auto; }
figure.chart { margin: 0 0 32px; }
figure.chart .plot { overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; max-width: 860px; margin-top: 6px; }
.table-wrap { overflow-x: auto; margin: 0 0 24px; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
thead th { border-bottom: 2px solid #9aa1ad; white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--band); }
td.right, th.right { text-align: right; white-space: nowrap; }
td.center, th.center { text-align: center; }
td:first-child { white-space: nowrap; }
.warn { color: var(--warn); font-weight: 600; }
.no-data { color: var(--muted); font-style: italic; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
details summary { cursor: pointer; color: var(--muted); }
section.warnings li { margin: 0 0 8px; }
section.warnings .advice { color: var(--muted); }
`;

/**
 * The head of every wgprof HTML page: a strict content security policy (the page runs no script
 * and loads nothing: its charts are inline SVG), the generator, the title and the stylesheet.
 */
export function pageHead(title: string, version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="wgprof ${escapeHtml(version)}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>`;
}

/**
 * A result as one self-contained HTML page: a title, what the run ran on (device, host, command),
 * its charts (Vega-Lite, drawn to inline SVG here, in Node) and its tables (the text report's
 * own, as real HTML tables). No script, font, stylesheet or image is loaded from anywhere: the
 * page opens offline, and its content security policy forbids loading anything. Every piece of
 * text from the result is escaped.
 */
export async function renderHtml(result: AnyResult, options: RenderSvgOptions = {}): Promise<string> {
  const [what = '', device = '', host = '', ...rest] = renderText(result).split('\n');
  const blocks = rest
    .join('\n')
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    // The timer's floor is among the facts, the warnings get a section of their own.
    .filter((b) => b !== '' && !b.startsWith(TIMER_HEADING) && !b.startsWith(WARNINGS_HEADING));
  // Every kind's text report says how its run ended right under the header.
  const first = blocks[0];
  const stopped = first !== undefined && !first.startsWith('|') ? blocks.shift() : undefined;
  const op = what.replace(/^wgprof \w+: /, '');
  const charts: string[] = [];
  for (const chart of chartsFor(result)) charts.push(await chartHtml(chart, options));
  const facts: [string, string][] = [
    ['device', device.replace(/^device: /, '')],
    ['host', host.replace(/^host: /, '')],
    ['command', result.command.join(' ')],
    ['recorded', result.createdAt],
    ...(stopped === undefined ? [] : ([['run', stopped]] as [string, string][])),
    ['timer', timerFloorText(result)],
  ];
  const native = countedLines(result.nativeMessages);
  const title = `wgprof ${result.kind} report`;
  return `${pageHead(`${title}: ${op}`, result.environment.wgprof)}
<body>
<main>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="lede">${escapeHtml(op)}</p>
<dl class="run">
${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${k === 'command' ? `<code>${escapeHtml(v)}</code>` : escapeHtml(v)}</dd>`).join('\n')}
</dl>
</header>
<section class="charts">
<h2>Charts</h2>
${charts.join('\n')}
</section>
<section class="tables">
<h2>Tables</h2>
${blocksHtml(blocks)}
</section>
${warningsHtml(result.warnings)}${
    native.length > 0
      ? `<section class="native"><details><summary>Dawn's own messages (${result.nativeMessages.length}), kept out of the terminal</summary><pre>${escapeHtml(native.join('\n'))}</pre></details></section>\n`
      : ''
  }<footer>Written by wgprof ${escapeHtml(result.environment.wgprof)} from a ${escapeHtml(result.kind)} result (schema ${escapeHtml(String(result.version))}). Charts drawn with Vega-Lite.</footer>
</main>
</body>
</html>
`;
}
