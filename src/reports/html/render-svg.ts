import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** DejaVu Sans advance widths of the characters U+0020 to U+007E, in 1/1000 em (see CHART_FONT in charts.ts). */
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636,
  636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295,
  295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838,
  500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521,
  392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696,
  696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372,
  372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838,
  500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595,
  478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];
/** Room for the fonts of the stack that are a little wider than DejaVu Sans. */
const SLACK = 1.03;

/** The text item fields that Vega's layout passes to a width function. */
interface TextItem {
  readonly fontSize?: number | string;
  readonly fontWeight?: number | string;
  readonly limit?: number;
}

/**
 * The width in pixels of `text` in the charts' font (DejaVu Sans) at `fontSize` px: the sum of its characters'
 * advance widths (a character outside ASCII counts as a digit, an ellipsis as 1 em).
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let em = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    em += ch === '\u2026' ? 1000 : (table[code - 32] ?? table[16] ?? 636);
  }
  return (em / 1000) * fontSize * SLACK;
}

function itemWidth(item: TextItem, text: string | number | null | undefined): number {
  const size = item.fontSize === undefined ? 11 : Number(item.fontSize) || 0;
  const weight = item.fontWeight;
  const bold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600);
  const width = textWidth(String(text ?? '').trim(), size, bold);
  // Vega cuts a label longer than its limit down to the limit (with an ellipsis); its box is then
  // at most the limit wide. Vega's own truncation calls this function on the shortened candidates.
  return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
}

interface TextMetrics {
  width: (item: TextItem, text: string | number | null | undefined) => number;
}

/**
 * Has Vega measure text with {@link textWidth} (its own fallback without a canvas guesses 0.8 em
 * per character, which cuts long labels short and pads every axis). `textMetrics` is Vega's
 * documented hook for this, which its typings do not declare.
 */
function useTextWidths(): void {
  const metrics = (vega as unknown as { textMetrics?: TextMetrics }).textMetrics;
  if (metrics) metrics.width = itemWidth;
}

/** Options of {@link renderSvg}. */
export interface RenderSvgOptions {
  /**
   * Called with each warning of the Vega-Lite compiler and of the Vega view (a field it cannot
   * find, an empty extent on a log scale, ...). By default they go to stderr, marked as chart
   * warnings, so that stdout carries only the document.
   */
  readonly onWarning?: (message: string) => void;
}

function defaultWarning(message: string): void {
  process.stderr.write(`wgprof: chart warning: ${message}\n`);
}

function warningLogger(onWarning: (message: string) => void): vega.LoggerInterface {
  return vega.logger(vega.Warn, undefined, (_method, level, args) => {
    onWarning(`${level} ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')}`);
  });
}

/** Coordinates to 2 decimals (a hundredth of a pixel) inside path data and transforms. */
function compactNumbers(svg: string): string {
  return svg.replace(/ (d|transform)="([^"]*)"/g, (_all, name: string, value: string) => {
    const short = value.replace(/-?\d+\.\d{3,}/g, (n) => String(Math.round(Number(n) * 100) / 100));
    return ` ${name}="${short}"`;
  });
}

/**
 * Draws a Vega-Lite spec as a standalone SVG document (a string starting `<svg`), in Node, with
 * no browser and no canvas: the spec is compiled to Vega, run headless (`renderer: 'none'`), and
 * the scene written out as SVG, its coordinates rounded to 0.01 px. Text in the data (labels,
 * titles) is escaped by Vega's SVG writer. The spec must carry its data inline: nothing is loaded.
 *
 * @throws Error when the spec does not compile.
 */
export async function renderSvg(spec: TopLevelSpec, options: RenderSvgOptions = {}): Promise<string> {
  useTextWidths();
  const log = warningLogger(options.onWarning ?? defaultWarning);
  const compiled = compile(spec, { logger: log });
  const view = new vega.View(vega.parse(compiled.spec), {
    renderer: 'none',
    logger: log,
    logLevel: vega.Warn,
  });
  try {
    return compactNumbers(await view.toSVG());
  } finally {
    view.finalize();
  }
}
