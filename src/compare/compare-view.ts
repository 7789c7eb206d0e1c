import type { Comparison, ScenarioComparison, Verdict } from './compare-results.js';
import type { ScenarioRates } from '../work/op-rates.js';
import { countsLine, formatChangeCi, renderCompare, type CompareNames } from './render-compare.js';
import { PHASE_LABEL } from '../op/phases.js';
import { formatDuration, formatPercent } from '../reports/units.js';
import { formatRate } from '../reports/rates.js';
import { layoutMarkdown } from '../reports/terminal/markdown-layout.js';
import type { VerdictKind } from '../reports/terminal/style.js';
import { fitTable } from '../reports/terminal/text-table.js';
import { joinSections, type ViewOptions } from '../reports/terminal/view-parts.js';
import { wrapText } from '../reports/terminal/wrap.js';

/**
 * `wgprof compare`'s default view, as criterion says a change: per scenario the total's median
 * on each side, its change with the CI and a verdict word in color; the phases whose verdict is a
 * regression or an improvement, one line each; what makes the two runs unlike; the counts.
 */
const VERDICT_KIND: Readonly<Record<Verdict, VerdictKind>> = {
  regression: 'bad',
  improvement: 'good',
  ambiguous: 'unsure',
  unchanged: 'good',
};

const METHOD: Readonly<Record<Comparison['method'], string>> = {
  runs: 'run against run',
  replicates: 'replicate against replicate',
  ops: 'op against op',
};

/** "a.json", or "a.json and 2 more" for several runs a side. */
function sideName(paths: string): string {
  const list = paths.split(',');
  return list.length > 1 ? `${list[0] ?? ''} and ${list.length - 1} more` : paths;
}

/** "11.2 -> 9.8 GB/s": the kernel's bandwidth (or operations) on each side. */
function kernelRates(s: ScenarioComparison): string {
  const pick = (r: ScenarioRates | undefined): { v: number; unit: 'B/s' | 'FLOP/s' } | undefined => {
    const k = r?.kernel;
    if (k?.bytesPerSecond) return { v: k.bytesPerSecond.value, unit: 'B/s' };
    return k?.flopsPerSecond ? { v: k.flopsPerSecond.value, unit: 'FLOP/s' } : undefined;
  };
  const b = pick(s.rates?.base);
  const n = pick(s.rates?.new);
  if (!b && !n) return '-';
  return `${b ? formatRate(b.v, b.unit) : '-'}, ${n ? formatRate(n.v, n.unit) : '-'}`;
}

export function compareView(comparison: Comparison, names: CompareNames, options: ViewOptions): string {
  const { style, width } = options;
  const c = comparison;
  const verdict = (v: Verdict): string => style.verdict(VERDICT_KIND[v], v);
  const head = [
    `${style.bold('wgprof compare:')} ${sideName(names.base)} (base) vs ${sideName(names.new)} (new)`,
    `${c.runs.base} vs ${c.runs.new} run${c.runs.new === 1 ? '' : 's'}, ${METHOD[c.method]}; threshold ${formatPercent(c.threshold)}`,
  ].flatMap((l) => wrapText(l, width, '', '  '));
  const unlike = [
    ...(c.crossDevice ? [`across different adapters: ${c.crossDeviceReason ?? ''}`] : []),
    ...(c.crossMachine ? [`across different machines: ${c.crossMachineReason ?? ''}`] : []),
    ...(c.configDifferences.length > 0 ? [`different ops: ${c.configDifferences.join('; ')}`] : []),
    ...(c.onlyInBase.length > 0 ? [`only in base: ${c.onlyInBase.join(', ')}`] : []),
    ...(c.onlyInNew.length > 0 ? [`only in new: ${c.onlyInNew.join(', ')}`] : []),
  ].flatMap((l) => wrapText(`${style.verdict('unsure', '!')} ${l}`, width, '', '  '));
  // The kernel's rate on each side, where the op declares its work: beside the times, not a verdict.
  const rated = c.scenarios.some((s) => s.rates?.base?.kernel || s.rates?.new?.kernel);
  const tableOf = (withRate: boolean): string[] =>
    fitTable(
      {
        header: [
          'scenario',
          'base',
          'new',
          'total change [95% CI]',
          'verdict',
          ...(withRate ? ['kernel rate (base, new)'] : []),
        ],
        rows: c.scenarios.map((s) => {
          const total = s.metrics.find((m) => m.key === 'total');
          const rates = withRate ? [kernelRates(s)] : [];
          return total
            ? [
                s.label,
                formatDuration(total.baseMedianNs),
                formatDuration(total.newMedianNs),
                formatChangeCi(total.change, total.changeCi),
                verdict(total.verdict),
                ...rates,
              ]
            : [s.label, '-', '-', '-', 'not compared', ...rates];
        }),
        align: ['l', 'r', 'r', 'r', 'l', 'r'],
      },
      width,
      style.dim,
    );
  const wide = rated ? tableOf(true) : [];
  const table = wide.length === c.scenarios.length + 1 ? wide : tableOf(false);
  const phases = c.scenarios.flatMap((s) =>
    s.metrics
      .filter((m) => m.key !== 'total' && (m.verdict === 'regression' || m.verdict === 'improvement'))
      .map(
        (m) =>
          `${s.label} ${m.key === 'total' ? 'total' : PHASE_LABEL[m.key]}: ${formatChangeCi(m.change, m.changeCi)} ${verdict(m.verdict)}`,
      ),
  );
  const gm = c.geometricMean;
  const summary = [
    ...(gm ? [`geometric mean of the totals: ${formatChangeCi(gm.change, gm.changeCi)}`] : []),
    `${countsLine(c.counts)} (a change counts beyond ±${formatPercent(c.threshold)})`,
    style.dim('--details: every phase, the environments side by side'),
  ].flatMap((l) => wrapText(l, width, '', '  '));
  return joinSections([
    head,
    unlike,
    c.scenarios.length > 0 ? table : ['no scenario is in both results'],
    phases,
    summary,
  ]);
}

export function compareDetails(comparison: Comparison, names: CompareNames, options: ViewOptions): string {
  return joinSections([layoutMarkdown(renderCompare(comparison, names), options.width, options.style.dim)]);
}
