import pc from 'picocolors';

/**
 * Color for the terminal views: verdicts and regressions in color, units and secondary figures
 * dim; none when stdout is not a terminal, when NO_COLOR is set (no-color.org), or with
 * --no-color. FORCE_COLOR turns it on where the terminal cannot be detected. `--json` and the
 * files wgprof writes never carry it.
 */
export interface Style {
  readonly color: boolean;
  /** A verdict's words: good (fine, faster, no change), bad (avoid, costs, a regression), unsure. */
  readonly verdict: (kind: VerdictKind, text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

export type VerdictKind = 'good' | 'bad' | 'unsure';

/** Whether the output to `stream` gets color, by NO_COLOR, FORCE_COLOR and --no-color. */
export function colorWanted(
  stream: { readonly isTTY?: boolean },
  env: NodeJS.ProcessEnv,
  noColorFlag: boolean,
): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return stream.isTTY === true;
}

export function makeStyle(color: boolean): Style {
  const c = pc.createColors(color);
  return {
    color,
    verdict: (kind, text) =>
      kind === 'good' ? c.green(text) : kind === 'bad' ? c.red(text) : c.yellow(text),
    dim: (text) => c.dim(text),
    bold: (text) => c.bold(text),
  };
}

export const PLAIN: Style = makeStyle(false);

/** The terminal's width for stdout: its columns, COLUMNS when set, else 80 (piped, unknown). */
export function terminalWidth(
  stream: { readonly columns?: number; readonly isTTY?: boolean },
  env: NodeJS.ProcessEnv,
): number {
  const fromEnv = Number(env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv >= 40) return fromEnv;
  if (stream.isTTY && stream.columns && stream.columns >= 40) return stream.columns;
  return 80;
}
