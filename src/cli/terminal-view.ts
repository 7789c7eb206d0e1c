import { colorWanted, makeStyle, terminalWidth } from '../reports/terminal/style.js';
import type { ViewOptions } from '../reports/terminal/view-parts.js';

/** The flags every command with a terminal view takes: the short view, or every table; color. */
export interface ViewFlags {
  /** --details: every table, note and warning, laid out for the terminal's width. */
  readonly details?: boolean;
  /** false with --no-color. */
  readonly color?: boolean;
}

/** A command's two terminal views: the short default, and --details. */
export interface Views<R> {
  readonly view: (result: R, options: ViewOptions) => string;
  readonly details: (result: R, options: ViewOptions) => string;
}

/**
 * How a command's text goes to `stream` (stdout for most; stderr for trace, whose stdout is the
 * program's): its width (the terminal's, COLUMNS, or 80 when unknown) and color (a terminal,
 * without NO_COLOR or --no-color).
 */
export function viewOptions(
  flags: ViewFlags,
  stream: { readonly isTTY?: boolean; readonly columns?: number } = process.stdout,
  resultPath?: string,
): ViewOptions {
  return {
    width: terminalWidth(stream, process.env),
    style: makeStyle(colorWanted(stream, process.env, flags.color === false)),
    ...(resultPath === undefined ? {} : { resultPath }),
  };
}

/** The view the flags ask for. */
export function renderView<R>(views: Views<R>, result: R, flags: ViewFlags, options: ViewOptions): string {
  return flags.details ? views.details(result, options) : views.view(result, options);
}
