import { fitTable, type Align, type Paint, type TextTable } from './text-table.js';
import { wrapText } from './wrap.js';

/**
 * A report written for Markdown (what report.md holds) laid out for a terminal of `width`
 * columns: its tables by fitTable (split or turned on their side, never wrapped), its prose
 * wrapped at spaces, a list item's lines under its text. What `--details` prints: everything the
 * Markdown report holds, no line wider than the terminal.
 */

/** The cells of one Markdown table line: split at unescaped pipes, unescaped, bold marks dropped. */
export function tableCells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner.charAt(i);
    if (ch === '\\' && inner[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim().replace(/\*\*/g, ''));
}

/** A Markdown table (its lines) as a TextTable: the delimiter row gives the alignment. */
export function parseTable(lines: readonly string[]): TextTable {
  const [head = '', delimiter = '', ...rows] = lines;
  const align: Align[] = tableCells(delimiter).map((c) =>
    c.endsWith(':') && !c.startsWith(':') ? 'r' : 'l',
  );
  return { header: tableCells(head), rows: rows.map(tableCells), align };
}

const isTableLine = (line: string): boolean => line.trimStart().startsWith('|');

/** The prose line `line`, wrapped: a list item's continuation lines under its text. */
function wrapProse(line: string, width: number): string[] {
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  const item = /^(\s*(?:[-*]|\d+\.)\s+)/.exec(line)?.[1];
  const text = line.slice((item ?? indent).length).replace(/\*\*/g, '');
  if (item) return wrapText(text, width, item, ' '.repeat(item.length));
  return wrapText(text, width, indent);
}

/** The report's lines for a terminal of `width` columns. */
export function layoutMarkdown(text: string, width: number, header?: Paint): string[] {
  const lines = text.replace(/\n+$/, '').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    const line = lines[i] ?? '';
    if (isTableLine(line)) {
      const table: string[] = [];
      while (i < lines.length && isTableLine(lines[i] ?? '')) table.push(lines[i++] ?? '');
      out.push(...fitTable(parseTable(table), width, header));
      continue;
    }
    out.push(...(line.trim() === '' ? [''] : wrapProse(line, width)));
    i++;
  }
  return out;
}
