import { markdownTable } from 'markdown-table';
import { PHASE_LABEL } from '../op/phases.js';
import { formatIn, formatPercent, unitFor } from '../reports/units.js';
import type {
  ChangeCi,
  ComparedKey,
  Comparison,
  EnvironmentSide,
  ScenarioComparison,
  Verdict,
} from './compare-results.js';
import { scenarioLabel } from '../reports/scenario-label.js';

/**
 * The CIs and tests treat a run's ops as independent draws: they see the noise between ops, not
 * the difference between two runs of the same code (machine state, clocks, other load), which on a
 * shared or thermally limited machine can exceed the threshold.
 */
export const RUN_TO_RUN_NOTE =
  'note: CIs and p-values cover op-to-op noise within each run, not run-to-run variation; confirm a regression by running both again';

/** What to call the two results in the text: their file paths, typically. */
export interface CompareNames {
  readonly base: string;
  readonly new: string;
}

const KEY_LABEL = (key: ComparedKey): string => (key === 'total' ? 'total' : PHASE_LABEL[key]);

/** "+20.0%", "-3.1%", "0.0%": a change (a fraction) as a signed percentage. */
export function formatChange(fraction: number): string {
  if (Number.isNaN(fraction)) return '-';
  if (!Number.isFinite(fraction)) return fraction > 0 ? '+inf' : '-inf';
  const text = formatPercent(fraction);
  return fraction > 0 && text !== '0.0%' ? `+${text}` : text === '-0.0%' ? '0.0%' : text;
}

/** "+20.0% [+18.1%, +22.4%]": a change and its CI. */
export function formatChangeCi(change: number, ci: ChangeCi): string {
  return `${formatChange(change)} [${formatChange(ci.low)}, ${formatChange(ci.high)}]`;
}

/** "<0.001" or three decimals: a p-value. */
export function formatP(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** Field | base | new, one row per property of the two environments; a row that differs says so. */
export function environmentTable(base: EnvironmentSide, next: EnvironmentSide, names?: CompareNames): string {
  const fields: readonly [string, (side: EnvironmentSide) => string][] = [
    ['result written', (s) => s.createdAt],
    ['OS', (s) => s.os],
    ['CPU', (s) => `${s.cpuModel} (${s.cpuCores} cores)`],
    ['memory', (s) => gib(s.memoryBytes)],
    ['Node', (s) => s.node],
    ['webgpu', (s) => s.webgpu],
    ['wgprof', (s) => s.wgprof],
    ['adapter', (s) => `${s.vendor} ${s.adapter}`.trim()],
    ['backend', (s) => s.backend],
  ];
  const rows = fields.map(([name, read]) => {
    const a = read(base);
    const b = read(next);
    const same = name === 'result written' || a === b;
    return [same ? name : `${name} (differs)`, a, b];
  });
  const header = ['', names ? `base: ${names.base}` : 'base', names ? `new: ${names.new}` : 'new'];
  return markdownTable([header, ...rows], { align: ['l', 'l', 'l'] });
}

/** Phase | base median | new median | change (95% CI) | p | verdict, for one scenario. */
export function scenarioCompareTable(scenario: ScenarioComparison, level: number): string {
  const total = scenario.metrics.find((m) => m.key === 'total');
  const unit = unitFor(total?.baseMedianNs ?? scenario.metrics[0]?.baseMedianNs ?? 1);
  const u = unit.label;
  const rows = scenario.metrics.map((m) => [
    KEY_LABEL(m.key),
    formatIn(m.baseMedianNs, unit),
    formatIn(m.newMedianNs, unit),
    formatChangeCi(m.change, m.changeCi),
    formatP(m.pValue),
    m.verdict,
  ]);
  const header = [
    'Phase',
    `base median [${u}]`,
    `new median [${u}]`,
    `change (${Math.round(level * 100)}% CI)`,
    'p',
    'verdict',
  ];
  return markdownTable([header, ...rows], { align: ['l', 'r', 'r', 'r', 'r', 'l'] });
}

function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** "1 regression, 0 improvements, 2 ambiguous, 10 unchanged". */
export function countsLine(counts: Readonly<Record<Verdict, number>>): string {
  return [
    plural(counts.regression, 'regression'),
    plural(counts.improvement, 'improvement'),
    `${counts.ambiguous} ambiguous`,
    `${counts.unchanged} unchanged`,
  ].join(', ');
}

/**
 * The comparison as text: both environments side by side, warnings when the two runs are not
 * like for like, a table per scenario, the geometric mean of the totals, and a summary line.
 */
export function renderCompare(comparison: Comparison, names?: CompareNames): string {
  const c = comparison;
  const alpha = 1 - c.level;
  const lines: string[] = [
    `wgprof compare: ${names ? `${names.base} (base) vs ${names.new} (new)` : 'base vs new'}; ` +
      `threshold ${formatPercent(c.threshold)}, ${Math.round(c.level * 100)}% CIs of the change of the median`,
    c.method === 'runs'
      ? `compared run against run (${c.runs.base} vs ${c.runs.new} runs): each run's median is one sample, Welch's t on their logarithms`
      : c.method === 'replicates'
        ? "compared replicate against replicate (one run a side): each replicate's median (its own process and device) is one sample, Welch's t on their logarithms"
        : 'compared op against op (one run a side): each op is one sample, Mann-Whitney U; give several runs a side to include run-to-run noise',
    '',
    environmentTable(c.base, c.new, names),
    '',
  ];
  if (c.crossDevice)
    lines.push(`comparison across different adapters/backends: ${c.crossDeviceReason ?? ''}`);
  if (c.crossMachine) lines.push(`comparison across different machines: ${c.crossMachineReason ?? ''}`);
  if (c.configDifferences.length > 0)
    lines.push(`the two runs measured different ops: ${c.configDifferences.join('; ')}`);
  if (c.onlyInBase.length > 0) lines.push(`only in base (not compared): ${c.onlyInBase.join(', ')}`);
  if (c.onlyInNew.length > 0) lines.push(`only in new (not compared): ${c.onlyInNew.join(', ')}`);
  if (lines[lines.length - 1] !== '') lines.push('');
  if (c.scenarios.length === 0) lines.push('no scenario label is in both results: nothing to compare', '');
  for (const scenario of c.scenarios) {
    const counted =
      scenario.metrics.length > 0
        ? `, ${scenario.metrics[0]?.baseN ?? 0} vs ${scenario.metrics[0]?.newN ?? 0} ${c.method}`
        : '';
    lines.push(`${scenarioLabel(scenario)}${counted}:`, '');
    if (scenario.metrics.length > 0) lines.push(scenarioCompareTable(scenario, c.level));
    for (const skip of scenario.skipped) lines.push(`${KEY_LABEL(skip.key)} not compared: ${skip.reason}`);
    lines.push('');
  }
  const gm = c.geometricMean;
  if (gm) {
    lines.push(
      `geometric mean of the total over ${plural(gm.scenarios, 'scenario')}: ` +
        `${formatChangeCi(gm.change, gm.changeCi)} (approximate CI: ${gm.approximation})`,
    );
  }
  lines.push(
    `summary: ${countsLine(c.counts)} (a change counts beyond ±${formatPercent(c.threshold)} with p < ${Number(alpha.toFixed(3))})`,
  );
  if (c.method === 'ops') lines.push(RUN_TO_RUN_NOTE);
  return lines.join('\n');
}
