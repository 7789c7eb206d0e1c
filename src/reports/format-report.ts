import { usageError } from '../errors.js';
import type { AnyResult } from '../results/result-types.js';
import { toCsv } from './csv.js';
import { toMarkdown } from './markdown.js';
import { toTrace } from './trace.js';

export const REPORT_FORMATS = ['md', 'html', 'csv', 'trace'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** One writer per format, each a function from a result to text; writing happens in one place. */
export async function formatReport(result: AnyResult, format: ReportFormat): Promise<string> {
  switch (format) {
    case 'md':
      return toMarkdown(result);
    case 'html': {
      // Vega costs ~130 ms to load: only the commands that draw pay for it.
      const { renderHtml } = await import('./html/html-report.js');
      return renderHtml(result);
    }
    case 'csv':
    case 'trace':
      if (result.kind !== 'profile') {
        throw usageError(
          `--format ${format} needs per-op records, which only a profile result has (this one is a ${result.kind} result)`,
        );
      }
      return format === 'csv' ? toCsv(result) : `${JSON.stringify(toTrace(result))}\n`;
  }
}
