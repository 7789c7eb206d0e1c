import { pad, visibleWidth, wrapText } from './wrap.js';

/**
 * A table for the terminal: laid out for the terminal's width, never wrapped. A table that fits
 * is printed as it is (columns two spaces apart); one that does not is split into tables of
 * fewer columns, each with the first column again; one whose columns do not fit even so (a cell
 * of prose) is turned on its side: a block per row, a line per column. Markdown files keep the
 * whole table (reports/markdown.ts): they are read in a viewer.
 */
export type Align = 'l' | 'r';

export interface TextTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per column; default: the first left, the others right. */
  readonly align?: readonly Align[];
}

/** How a header is drawn (dim on a terminal with color); the identity otherwise. */
export type Paint = (text: string) => string;

const GAP = '  ';
const identity: Paint = (t) => t;

function widths(table: TextTable, columns: readonly number[]): number[] {
  return columns.map((c) =>
    Math.max(visibleWidth(table.header[c] ?? ''), ...table.rows.map((r) => visibleWidth(r[c] ?? ''))),
  );
}

function alignOf(table: TextTable, c: number): Align {
  return table.align?.[c] ?? (c === 0 ? 'l' : 'r');
}

/** The lines of `columns` of the table, side by side. */
function block(table: TextTable, columns: readonly number[], header: Paint): string[] {
  const w = widths(table, columns);
  const line = (cells: readonly string[], paint: Paint): string =>
    columns
      .map((c, i) => paint(pad(cells[c] ?? '', w[i] ?? 0, alignOf(table, c))))
      .join(GAP)
      .trimEnd();
  return [line(table.header, header), ...table.rows.map((r) => line(r, identity))];
}

/** Columns 1.. grouped so that each group fits beside column 0; undefined when one does not fit. */
function groups(table: TextTable, width: number): number[][] | undefined {
  const n = table.header.length;
  const all = widths(
    table,
    Array.from({ length: n }, (_, c) => c),
  );
  const first = all[0] ?? 0;
  const out: number[][] = [];
  let current: number[] = [];
  let used = first;
  for (let c = 1; c < n; c++) {
    const w = (all[c] ?? 0) + GAP.length;
    if (first + w > width) return undefined;
    if (used + w > width) {
      out.push(current);
      current = [];
      used = first;
    }
    current.push(c);
    used += w;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The table on its side: per row, its first cell, then a line per other column, wrapped. */
function sideways(table: TextTable, width: number, header: Paint): string[] {
  const labels = table.header.slice(1).map((h) => `${h}:`);
  const labelWidth = Math.min(Math.max(0, ...labels.map(visibleWidth)), Math.floor(width / 3));
  const lines: string[] = [];
  table.rows.forEach((row, r) => {
    if (r > 0) lines.push('');
    lines.push(...wrapText(row[0] ?? '', width));
    labels.forEach((label, i) => {
      const value = row[i + 1] ?? '';
      if (value === '' || value === '-') return;
      const lead = `  ${header(pad(label, labelWidth, 'l'))} `;
      lines.push(...wrapText(value, width, lead, ' '.repeat(labelWidth + 3)));
    });
  });
  return lines;
}

/** The table's lines, none wider than `width`. */
export function fitTable(table: TextTable, width: number, header: Paint = identity): string[] {
  const n = table.header.length;
  const every = Array.from({ length: n }, (_, c) => c);
  const full = widths(table, every).reduce((a, b) => a + b, 0) + GAP.length * (n - 1);
  if (full <= width) return block(table, every, header);
  const split = groups(table, width);
  if (split && split.length <= 3) {
    const lines: string[] = [];
    split.forEach((g, i) => {
      if (i > 0) lines.push('');
      lines.push(...block(table, [0, ...g], header));
    });
    return lines;
  }
  return sideways(table, width, header);
}
