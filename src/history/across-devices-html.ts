import type { AcrossDevices } from './across-devices.js';
import { acrossCaption, acrossRows, columnLines, noteLines } from './across-devices-table.js';
import { blocksHtml, escapeHtml, pageHead } from '../reports/html/html-report.js';
import { markdownTable } from 'markdown-table';
import { wgprofVersion } from '../results/environment.js';

/**
 * The table across devices as one self-contained page, as wgprof's other reports: the columns
 * (device, host, file) as a list, the table, the notes; nothing loaded, no script.
 */
export function acrossHtml(table: AcrossDevices): string {
  const { header, rows } = acrossRows(table);
  const title = `wgprof report: ${table.op} on ${table.columns.length} devices`;
  const version = wgprofVersion();
  const tableBlock = markdownTable([header, ...rows], {
    align: ['l', ...header.slice(1).map(() => 'r' as const)],
  });
  return `${pageHead(title, version)}
<body>
<main>
<header>
<h1>${escapeHtml(title)}</h1>
<ul>
${columnLines(table)
  .map((l) => `<li>${escapeHtml(l)}</li>`)
  .join('\n')}
</ul>
</header>
<section class="tables">
${blocksHtml([acrossCaption(table), tableBlock, ...noteLines(table)])}
</section>
<footer>Written by wgprof ${escapeHtml(version)} from ${table.columns.length} profile results.</footer>
</main>
</body>
</html>
`;
}
