import type { AnyResult, BreakdownResult, QualityWarning, SyncResult } from '../../results/result-types.js';
import { opLine } from '../phase-table.js';
import type { Style } from './style.js';
import { wrapText } from './wrap.js';
import { layoutMarkdown } from './markdown-layout.js';

/**
 * What every command's short view begins and ends with: what it ran and on what (two lines), how
 * the run ended (a line), and where the result and the full report are.
 */

/** Options of a terminal view: its width, its colors, and where result.json went. */
export interface ViewOptions {
  readonly width: number;
  readonly style: Style;
  /** Where result.json was written; absent with --no-save, or when it could not be. */
  readonly resultPath?: string;
  /** Why there is no result.json, when it was asked for and not written. */
  readonly notWritten?: string;
}

/**
 * An adapter's name for a line: without what follows a parenthesis, Debian's package revision
 * ("-2~bpo12+1") or OpenGL's "OpenGL version " prefix: "llvmpipe: Mesa 25.0.7".
 */
export function shortAdapter(description: string): string {
  return (
    description
      .replace(/\s*\(.*$/, '')
      .replace(/^OpenGL version /, '')
      .replace(/-\d+~\S*/, '')
      .trim() || 'unknown adapter'
  );
}

/** "wgprof sync: noop f32, 1K elements, ..." and "on llvmpipe: Mesa 25.0.7 (vulkan) · CPU · Node". */
export function headLines(kind: string, result: AnyResult, runLine: string, options: ViewOptions): string[] {
  const { style, width } = options;
  const env = result.environment;
  const lines = [
    `${style.bold(`wgprof ${kind}:`)} ${opLine(result.config)}`,
    `${style.dim('on')} ${shortAdapter(result.device.description)} (${result.device.backend}${result.device.noRealGpuWork ? ', NO REAL GPU WORK' : ''}) ${style.dim('·')} ${env.cpu.model}, ${env.cpu.cores} cores ${style.dim('·')} Node ${env.node}`,
    runLine,
  ];
  return lines.flatMap((l) => wrapText(l, width, '', '  '));
}

/** How breakdown's or sync's repeated experiments ended, in words: "stopped after --reps 10 (5.8 s)". */
export function repeatStopLine(result: BreakdownResult | SyncResult): string {
  const { stoppedBy, elapsedMs } = result.repeat;
  const seconds = `${(elapsedMs / 1000).toFixed(1)} s`;
  switch (stoppedBy) {
    case 'reps':
      return `stopped after --reps ${result.config.ops ?? ''} (${seconds})`;
    case 'noise':
      return `stopped once every median was known to --max-noise (${seconds})`;
    case 'time-budget':
      return `stopped by the ${(result.config.timeBudgetMs / 1000).toFixed(0)} s --time-budget (${seconds})`;
    case 'interrupted':
      return `interrupted after ${seconds}: these are the repetitions measured before it`;
    case 'failing':
      return `stopped after ${seconds}: every experiment only failed`;
    default:
      return `stopped by ${stoppedBy} after ${seconds}`;
  }
}

/** "result: results/.../result.json · --details: every table". */
export function footLines(options: ViewOptions, what = 'every table'): string[] {
  const where = options.resultPath
    ? `result: ${options.resultPath}`
    : (options.notWritten ?? 'not saved (--no-save)');
  // A result's path is long: the flag alone, rather than a second line, where both do not fit.
  const full = `${where} · --details: ${what}`;
  const line = full.length <= options.width ? full : `${where} · --details`;
  return wrapText(options.style.dim(line), options.width, '', '  ');
}

/** The warnings in a line, wrapped to the width: how many, of which kinds, and where to read them. */
export function warningCountLine(
  warnings: readonly QualityWarning[] | undefined,
  options: ViewOptions,
): string[] {
  const list = warnings ?? [];
  if (list.length === 0) return [];
  const kinds = [...new Set(list.map((w) => w.code))];
  return wrapText(
    options.style.dim(
      `${list.length} measurement warning${list.length === 1 ? '' : 's'} (${kinds.slice(0, 3).join(', ')}${kinds.length > 3 ? ', ...' : ''}): --details lists them, with what to do`,
    ),
    options.width,
    '',
    '  ',
  );
}

/** `--details`: a whole Markdown report laid out for the terminal's width, then `extra`, then where the result is. */
export function detailsView(markdown: string, options: ViewOptions, extra: readonly string[] = []): string {
  return joinSections([
    layoutMarkdown(markdown, options.width, options.style.dim),
    extra,
    footLines(options),
  ]);
}

/** Sections, each a list of lines, joined by a blank line. */
export function joinSections(sections: readonly (readonly string[])[]): string {
  return `${sections
    .filter((s) => s.length > 0)
    .map((s) => s.join('\n'))
    .join('\n\n')}\n`;
}
