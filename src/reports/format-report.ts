import { usageError } from '../errors.js';
import { markdownOf } from './report-parts.js';
import type { StoredResult } from '../results/result-types.js';
import { csvText } from './csv.js';
import { peakMarkdown } from './peak-report.js';
import { toMarkdown } from './markdown.js';
import { traceText } from './trace.js';
import { toTraceTimeline } from './trace-timeline.js';
import { renderTrace } from './trace-report.js';
import { EXPORT_FORMATS, exportReport, isExportFormat } from './exports/export-report.js';

export const REPORT_FORMATS = ['md', 'html', 'csv', 'trace', ...EXPORT_FORMATS] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * One writer per format, each a function from a result to text; writing happens in one place.
 * A profile's CSV and trace come in pieces: they grow with the ops, and a large result's would
 * not fit in one string.
 */
export async function reportText(result: StoredResult, format: ReportFormat): Promise<Iterable<string>> {
  if (isExportFormat(format)) {
    const exported = exportReport([{ path: 'the result', result }], format);
    if (exported.state === 'nothing') throw usageError(exported.reason);
    return [exported.text];
  }
  if (result.kind === 'trace') {
    switch (format) {
      case 'md':
        return [markdownOf(renderTrace(result), result, 'program:')];
      case 'html': {
        const { renderTraceHtml } = await import('./html/trace-html.js');
        return [await renderTraceHtml(result)];
      }
      case 'csv':
        throw usageError(
          '--format csv needs per-op records, which a trace result does not have: use md, html or trace',
        );
      case 'trace':
        return [`${JSON.stringify(toTraceTimeline(result))}\n`];
    }
  }
  if (result.kind === 'peak') {
    switch (format) {
      case 'md':
        return [peakMarkdown(result)];
      case 'html': {
        const { renderPeakHtml } = await import('./html/peak-html.js');
        return [await renderPeakHtml(result)];
      }
      case 'csv':
      case 'trace':
        throw usageError(
          `--format ${format} needs per-op records, which only a profile result has (this one is a peak result): use md or html`,
        );
    }
  }
  switch (format) {
    case 'md':
      return [toMarkdown(result)];
    case 'html': {
      // Vega costs ~130 ms to load: only the commands that draw pay for it.
      const { renderHtml } = await import('./html/html-report.js');
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

/** A report as one string, for the small ones (report.md and report.html beside a result, the API). */
export async function formatReport(result: StoredResult, format: ReportFormat): Promise<string> {
  return [...(await reportText(result, format))].join('');
}
