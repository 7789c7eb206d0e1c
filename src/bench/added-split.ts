import { bootstrapMedianCi, median, sortedCopy } from '../statistics/index.js';
import type { DetailTable, Figure } from './bench-types.js';
import { formatCi, formatFigure } from './render.js';

/**
 * What wgprof's WebGPU patches add to the CPU time of a piece of GPU work, and where it goes:
 * the driver's timestamp writes the patches give each pass (measured as an arm that writes its
 * own, unpatched) and the rest, wgprof's own JavaScript. Shared by the instrumentation row (op
 * modules) and the trace's per-call row. Samples are paired by round: the k-th of each arm ran
 * in the same round of interleaved blocks.
 */

/** The median of paired samples with its bootstrap CI, as a figure in ns. */
export function pairedFigure(values: readonly number[]): Figure {
  const ci = bootstrapMedianCi(sortedCopy(values));
  return { value: median(values), unit: 'ns', low: ci.low, high: ci.high };
}

/** Per round: a - b. */
export const minus = (a: readonly number[], b: readonly number[]): number[] =>
  a.map((x, k) => x - (b[k] ?? Number.NaN));

/** A figure divided by `n`, its CI too: a cost per op as a cost per call. */
export function perEach(figure: Figure, n: number): Figure {
  const { value, unit, low, high } = figure;
  return {
    value: value / n,
    unit,
    ...(low === undefined ? {} : { low: low / n }),
    ...(high === undefined ? {} : { high: high / n }),
  };
}

/** A figure that could not be measured (no timestamp-query: no arm writes its own). */
export const NO_FIGURE: Figure = { value: Number.NaN, unit: 'ns' };

export interface AddedSplit {
  /** Patched less bare. */
  readonly added: Figure;
  /** Of it, the timestamp writes: the own-timestamps arm less bare. */
  readonly timestampWrites: Figure;
  /** The rest: patched less the own-timestamps arm. */
  readonly wgprof: Figure;
}

/** The split of per-round differences; `driver` and `rest` are absent where no arm wrote its own. */
export function addedSplit(
  total: readonly number[],
  driver: readonly number[] | undefined,
  rest: readonly number[] | undefined,
): AddedSplit {
  return {
    added: pairedFigure(total),
    timestampWrites: driver ? pairedFigure(driver) : NO_FIGURE,
    wgprof: rest ? pairedFigure(rest) : NO_FIGURE,
  };
}

/** A figure and its CI in one cell. */
export const figureCell = (f: Figure): string => `${formatFigure(f)} ${formatCi(f)}`;

/** The split as a table, one row per label (per op, per extra pass, per call...). */
export function addedSplitTable(rows: readonly (readonly [string, AddedSplit])[]): DetailTable {
  return {
    title: 'where the added CPU time goes (paired by round, medians and 95% CIs)',
    header: [
      '',
      "Added by wgprof's patches",
      'Of it: the timestamp writes (written by the work itself, unpatched)',
      "The rest: wgprof's patches and recorder",
    ],
    rows: rows.map(([label, f]) => [
      label,
      figureCell(f.added),
      figureCell(f.timestampWrites),
      figureCell(f.wgprof),
    ]),
  };
}
