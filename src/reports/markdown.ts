import type { AnyResult } from '../results/result-types.js';
import { markdownOf } from './report-parts.js';
import { renderBreakdown } from './breakdown-table.js';
import { renderProfile } from './profile-report.js';
import { renderSync } from './sync-tables.js';

/** The terminal report of any result kind. */
export function renderText(result: AnyResult): string {
  switch (result.kind) {
    case 'profile':
      return renderProfile(result);
    case 'breakdown':
      return renderBreakdown(result);
    case 'sync':
      return renderSync(result);
  }
}

/**
 * The run's tables as Markdown, ready to paste into an issue or a pull request: a title, what it
 * ran on as a list, then the rest as the terminal shows it (its tables are Markdown tables already,
 * its warnings a Markdown list), the clock's floor and the warnings under the tables.
 */
export function toMarkdown(result: AnyResult): string {
  return markdownOf(renderText(result), result, 'op:');
}
