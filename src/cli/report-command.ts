import { Command } from 'commander';
import { usageError } from '../errors.js';
import { csvText } from '../reports/csv.js';
import { toMarkdown } from '../reports/markdown.js';
import { traceText } from '../reports/trace.js';
import { readResultFile } from '../results/read-result.js';
import type { AnyResult } from '../results/result-types.js';
import { writeAtomically, writeToStdout } from '../results/write-result.js';

export const REPORT_FORMATS = ['md', 'html', 'csv', 'trace'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * One writer per format, each a function from a result to text; writing happens in one place.
 * CSV and trace come in pieces: they grow with the ops, and a large result's would not fit in
 * one string.
 */
export async function reportText(result: AnyResult, format: ReportFormat): Promise<Iterable<string>> {
  switch (format) {
    case 'md':
      return [toMarkdown(result)];
    case 'html': {
      // Vega costs ~130 ms to load: only the commands that draw pay for it.
      const { renderHtml } = await import('../reports/html/html-report.js');
      return [await renderHtml(result)];
    }
    case 'csv':
    case 'trace':
      if (result.kind !== 'profile') {
        throw usageError(
          `--format ${format} needs per-op records, which only a profile result has (this one is a ${result.kind} result)`,
        );
      }
      return format === 'csv' ? csvText(result) : traceText(result);
  }
}

/** A report as one string, for the small ones (report.md and report.html beside a result). */
export async function formatReport(result: AnyResult, format: ReportFormat): Promise<string> {
  return [...(await reportText(result, format))].join('');
}

export function reportCommand(): Command {
  return new Command('report')
    .description(
      'turn a result.json into Markdown, a self-contained HTML page with charts, per-op CSV, or a Chrome/Perfetto trace',
    )
    .argument('<result>', 'a result.json written by profile, breakdown or sync')
    .option('--format <format>', `one of ${REPORT_FORMATS.join(', ')}`, 'md')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (path: string, flags: { format: string; out?: string }) => {
      if (!(REPORT_FORMATS as readonly string[]).includes(flags.format)) {
        throw usageError(`unknown --format '${flags.format}': choose one of ${REPORT_FORMATS.join(', ')}`);
      }
      const text = await reportText(await readResultFile(path), flags.format as ReportFormat);
      if (flags.out) await writeAtomically(flags.out, text);
      else await writeToStdout(text);
    });
}
