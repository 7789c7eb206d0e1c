import { markdownTable } from 'markdown-table';
import { formatRateIn, rateUnit } from '../reports/rates.js';
import { formatIn, formatNumber, formatPercent, unitFor } from '../reports/units.js';
import type { BenchReport, BenchRow, CompletedRow, Figure } from './bench-types.js';

/** A figure in its own unit; durations in the unit that fits the value. */
export function formatFigure(figure: Figure | undefined): string {
  if (!figure || !Number.isFinite(figure.value)) return '-';
  switch (figure.unit) {
    case 'ns': {
      const unit = unitFor(Math.abs(figure.value));
      return `${formatIn(figure.value, unit)} ${unit.label}`;
    }
    case 'x':
      return `${formatNumber(figure.value)}x`;
    case 'R2':
      return figure.value.toFixed(4);
    case 'threads':
      return `${figure.value} threads`;
    case 'count':
      return String(figure.value);
    case 'share':
      return formatPercent(figure.value);
    case 'B/s':
    case 'FLOP/s': {
      const unit = rateUnit(Math.abs(figure.value), figure.unit);
      return `${formatRateIn(figure.value, unit)} ${unit.label}`;
    }
    default:
      return `${formatNumber(figure.value)} ${figure.unit}`;
  }
}

/** "[low, high]" in the figure's unit (for durations and rates, the unit of the value itself). */
export function formatCi(figure: Figure | undefined): string {
  if (!figure || figure.low === undefined || figure.high === undefined) return '-';
  if (figure.unit === 'ns') {
    const unit = unitFor(Math.abs(figure.value));
    return `[${formatIn(figure.low, unit)}, ${formatIn(figure.high, unit)}] ${unit.label}`;
  }
  if (figure.unit === 'share') return `[${formatPercent(figure.low)}, ${formatPercent(figure.high)}]`;
  if (figure.unit === 'B/s' || figure.unit === 'FLOP/s') {
    const unit = rateUnit(Math.abs(figure.value), figure.unit);
    return `[${formatRateIn(figure.low, unit)}, ${formatRateIn(figure.high, unit)}] ${unit.label}`;
  }
  const suffix = figure.unit === 'x' ? 'x' : '';
  return `[${formatNumber(figure.low)}, ${formatNumber(figure.high)}]${suffix}`;
}

function targetCell(row: CompletedRow): string {
  const { target, ratio } = row;
  if (!target) return '-';
  if (target.checked === ratio) return target.text;
  const ci = target.checked.low === undefined ? '' : ` ${formatCi(target.checked)}`;
  return `${target.text}: ${formatFigure(target.checked)}${ci}`;
}

function metCell(row: CompletedRow): string {
  if (row.verdict === 'info') return '-';
  const word = row.verdict === 'met' ? 'yes' : 'no';
  return row.ciSpansTarget ? `${word} (CI spans the target)` : word;
}

const HEADER = ['Row', 'Measure', 'wgprof', 'Baseline', 'Ratio', '95% CI', 'Target', 'Met'];

function cells(row: BenchRow): string[] {
  if (row.state === 'errored')
    return [row.id, row.measure, `error: ${row.error}`, '-', '-', '-', '-', 'error'];
  return [
    row.id,
    row.measure,
    formatFigure(row.wgprof),
    formatFigure(row.baseline),
    formatFigure(row.ratio),
    formatCi(row.ratio ?? row.wgprof),
    targetCell(row),
    metCell(row),
  ];
}

/** The one table: a row per measurement, in the issue's order. */
export function renderTable(rows: readonly BenchRow[]): string {
  return markdownTable([HEADER, ...rows.map(cells)], {
    align: ['l', 'l', 'r', 'r', 'r', 'r', 'l', 'l'],
  });
}

/** A row's own tables, each under a heading naming the row. */
function rowTables(row: BenchRow): string[] {
  if (row.state !== 'completed' || !row.tables) return [];
  return row.tables.flatMap((table) => [
    `### ${row.id}: ${table.title}`,
    '',
    markdownTable([[...table.header], ...table.rows.map((cells) => [...cells])]),
    '',
  ]);
}

/** What it ran on, the table, each row's note, then the rows' own tables: printed, and written as the .md file. */
export function renderMarkdown(report: BenchReport): string {
  const { environment: env, adapter } = report;
  const lines = [
    `# wgprof bench (${report.mode})`,
    '',
    `${report.createdAt}, ${(report.elapsedMs / 1000).toFixed(0)} s: \`${report.command.join(' ')}\``,
    '',
    `- machine: ${env.cpu.model} (${env.cpu.cores} cores), ${env.os.type} ${env.os.release} ${env.os.arch}`,
    `- Node ${env.node}, webgpu ${env.webgpu}, wgprof ${env.wgprof}`,
    `- adapter: ${adapter ? `${adapter.description} (${adapter.backend}, ${adapter.featureLevel})` : 'none opened'}`,
    '',
    renderTable(report.rows),
    '',
    'Notes:',
    '',
    ...report.rows.map((row) =>
      row.state === 'completed' ? `- ${row.id}: ${row.note}` : `- ${row.id}: failed: ${row.error}`,
    ),
    '',
    ...report.rows.flatMap(rowTables),
  ];
  return lines.join('\n');
}
