import type { TraceResult } from '../../results/result-types.js';
import { renderTrace } from '../trace-report.js';
import { blocksHtml, escapeHtml, STYLE } from './html-report.js';

/** A trace as one self-contained HTML page: what ran, then the text report's tables as HTML tables. */
export function renderTraceHtml(result: TraceResult): string {
  const [what = '', device = '', host = '', ...rest] = renderTrace(result).split('\n');
  const blocks = rest
    .join('\n')
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter((b) => b !== '');
  const facts: [string, string][] = [
    ['device', device.replace(/^device: /, '')],
    ['host', host.replace(/^host: /, '')],
    ['command', result.command.join(' ')],
    ['recorded', result.createdAt],
  ];
  const title = 'wgprof trace report';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="wgprof ${escapeHtml(result.environment.wgprof)}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="lede">${escapeHtml(what.replace(/^wgprof trace: /, ''))}</p>
<dl class="run">
${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${k === 'command' ? `<code>${escapeHtml(v)}</code>` : escapeHtml(v)}</dd>`).join('\n')}
</dl>
</header>
<section class="tables">
<h2>Tables</h2>
${blocksHtml(blocks)}
</section>
<footer>Written by wgprof ${escapeHtml(result.environment.wgprof)} from a trace result (schema ${escapeHtml(String(result.version))}). For the timeline: wgprof report --format trace, opened in ui.perfetto.dev.</footer>
</main>
</body>
</html>
`;
}
