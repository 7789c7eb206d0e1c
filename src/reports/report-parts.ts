import type { StoredResult } from '../results/result-types.js';

/**
 * Every kind's text report begins with three lines, what ran, the device and the host, then its
 * blocks (tables, notes) apart by blank lines: the Markdown and HTML reports of every kind are
 * laid out from these parts.
 */
export interface ReportParts {
  readonly what: string;
  readonly device: string;
  readonly host: string;
  /** The lines after the first three, as they are. */
  readonly rest: readonly string[];
}

export function reportParts(text: string): ReportParts {
  const [what = '', device = '', host = '', ...rest] = text.split('\n');
  return { what, device, host, rest };
}

/** The blocks after the header, trimmed, empty ones dropped. */
export function reportBlocks(parts: ReportParts): string[] {
  return parts.rest
    .join('\n')
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter((b) => b !== '');
}

/** The facts an HTML report lists under its title: the device, the host, the command, when. */
export function reportFacts(parts: ReportParts, result: StoredResult): [string, string][] {
  return [
    ['device', parts.device.replace(/^device: /, '')],
    ['host', parts.host.replace(/^host: /, '')],
    ['command', result.command.join(' ')],
    ['recorded', result.createdAt],
  ];
}

/**
 * A text report as Markdown: a title, what it ran on as a list, then the rest as the terminal
 * shows it (its tables are Markdown tables already). `whatWord` replaces "wgprof KIND:" in the
 * first line ("op:", "program:", "measured:").
 */
export function markdownOf(text: string, result: StoredResult, whatWord: string): string {
  const { what, device, host, rest } = reportParts(text);
  return [
    `# wgprof ${result.kind} report`,
    '',
    `- ${what.replace(/^wgprof \w+: /, `${whatWord} `)}`,
    `- ${device}`,
    `- ${host}`,
    `- command: \`${result.command.join(' ')}\``,
    `- recorded: ${result.createdAt}`,
    ...rest,
  ].join('\n');
}
