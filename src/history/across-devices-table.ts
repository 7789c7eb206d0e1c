import { markdownTable } from 'markdown-table';
import type { AcrossDevices, DeviceCell, DeviceRatio } from './across-devices.js';
import { fitTable } from '../reports/terminal/text-table.js';
import type { ViewOptions } from '../reports/terminal/view-parts.js';
import { joinSections } from '../reports/terminal/view-parts.js';
import { wrapText } from '../reports/terminal/wrap.js';
import { formatIn, unitFor, type TimeUnit } from '../reports/units.js';

/** The table's one unit: from its fastest median, so that every figure is at least 1. */
export function acrossUnit(table: AcrossDevices): TimeUnit {
  const medians = table.rows.flatMap((r) => r.cells.flatMap((c) => (c ? [c.medianNs] : [])));
  return unitFor(medians.length > 0 ? Math.min(...medians) : 1);
}

/** "127 [121, 173]", in the table's unit. */
function cellText(cell: DeviceCell | null, unit: TimeUnit): string {
  return cell
    ? `${formatIn(cell.medianNs, unit)} [${formatIn(cell.lowNs, unit)}, ${formatIn(cell.highNs, unit)}]`
    : '-';
}

/** "2.31x [2.10, 2.52]", as profile's vs main. */
function ratioText(ratio: DeviceRatio | null): string {
  return ratio ? `${ratio.ratio.toFixed(2)}x [${ratio.low.toFixed(2)}, ${ratio.high.toFixed(2)}]` : '-';
}

/** Letters for the columns in the ratio headers: A, B, C ... */
const letter = (i: number): string =>
  String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : '');

/**
 * Header and rows: the scenario, then per column its median [CI] and, after the first, its ratio
 * to the first ("B / A"). The unit is in the caption (acrossCaption): in each column's header it
 * would make the table too wide for 80 columns with two devices.
 */
export function acrossRows(table: AcrossDevices): { header: string[]; rows: string[][] } {
  const unit = acrossUnit(table);
  const header = [
    'scenario',
    ...table.columns.flatMap((c, i) => [
      `${letter(i)}: ${c.label}`,
      ...(i === 0 ? [] : [`${letter(i)} / A`]),
    ]),
  ];
  const rows = table.rows.map((row) => [
    row.scenario,
    ...row.cells.flatMap((cell, i) => [
      cellText(cell, unit),
      ...(i === 0 ? [] : [ratioText(row.vsFirst[i - 1] ?? null)]),
    ]),
  ]);
  return { header, rows };
}

/** A line per column: its letter, device, host, file and time. */
export function columnLines(table: AcrossDevices): string[] {
  return table.columns.map((c, i) => `${letter(i)}: ${c.device} · ${c.host} · ${c.path} (${c.createdAt})`);
}

/** The line above the table: what a cell holds, in which unit. */
export function acrossCaption(table: AcrossDevices): string {
  return `Median total per op [${acrossUnit(table).label}] with its 95% CI, and each device against A:`;
}

/** The lines under the table: what a cell and a ratio are, and what is not alike. */
export function noteLines(table: AcrossDevices): string[] {
  return [
    "each cell: the median total per op [its CI]; X / A: its median over A's, with the 95% CI of `wgprof compare A X` (replicate against replicate where both ran replicates); above 1 is slower than A",
    ...table.settingsDiffer.map((d) => `not alike: ${d}`),
  ];
}

/** `wgprof report a.json b.json ... --format md`. */
export function acrossMarkdown(table: AcrossDevices): string {
  const { header, rows } = acrossRows(table);
  return `${[
    `# wgprof report: ${table.op} on ${table.columns.length} devices`,
    '',
    ...columnLines(table).map((l) => `- ${l}`),
    '',
    acrossCaption(table),
    '',
    markdownTable([header, ...rows], { align: ['l', ...header.slice(1).map(() => 'r' as const)] }),
    '',
    ...noteLines(table),
  ].join('\n')}\n`;
}

/** The terminal's view: the op, the columns, the table laid out for the width (split or on its side). */
export function acrossView(table: AcrossDevices, options: ViewOptions): string {
  const { style, width } = options;
  const { header, rows } = acrossRows(table);
  const head = [
    `${style.bold('wgprof report:')} ${table.op} on ${table.columns.length} devices`,
    ...table.columns.map((c, i) => `${letter(i)}: ${c.device} ${style.dim('·')} ${c.host}`),
  ].flatMap((l) => wrapText(l, width, '', '   '));
  const files = table.columns.flatMap((c, i) =>
    wrapText(style.dim(`${letter(i)}: ${c.path}`), width, '', '   '),
  );
  return joinSections([
    head,
    [...wrapText(acrossCaption(table), width), ...fitTable({ header, rows }, width, style.dim)],
    noteLines(table).flatMap((l) => wrapText(style.dim(l), width, '', '  ')),
    files,
  ]);
}
