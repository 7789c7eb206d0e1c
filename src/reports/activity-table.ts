import { markdownTable } from 'markdown-table';
import { COUNT_KEYS, COUNT_LABEL } from '../instrument/op-activity.js';
import type { ProfileResult } from '../results/result-types.js';
import { formatIn, formatPercent, unitFor } from './units.js';

/** True when some scenario carries an op module's activity. */
export function hasActivity(result: ProfileResult): boolean {
  return result.runs.some((r) => r.activity !== undefined);
}

const count = (n: number): string =>
  Number.isNaN(n) ? '-' : Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1);

/** What the op did, per op (medians), a column per scenario: the calls wgprof counted. */
export function activityCountsTable(result: ProfileResult): string {
  const runs = result.runs.filter((r) => r.activity);
  const header = ['Per op', ...runs.map((r) => r.label)];
  const rows = COUNT_KEYS.map((key) => [
    COUNT_LABEL[key],
    ...runs.map((r) => count(r.activity?.counts[key] ?? NaN)),
  ]);
  return markdownTable([header, ...rows], { align: ['l', ...runs.map(() => 'r' as const)] });
}

/** The op's compute passes by name: per scenario, each pass's median GPU time and share. */
export function passTable(result: ProfileResult): string {
  const runs = result.runs.filter((r) => r.activity && r.activity.passes.length > 0);
  const all = runs.flatMap((r) => r.activity?.passes ?? []);
  const unit = unitFor(Math.min(...all.map((p) => p.medianNs).filter((v) => Number.isFinite(v)), 1e9));
  const u = unit.label;
  const header = ['Scenario', 'Pass', 'Per op', `Median [${u}]`, `p99 [${u}]`, 'Share of GPU time'];
  const rows = runs.flatMap((r) =>
    (r.activity?.passes ?? []).map((p) => [
      r.label,
      p.name,
      count(p.perOp),
      formatIn(p.medianNs, unit),
      formatIn(p.p99Ns, unit),
      Number.isNaN(p.share) ? '-' : formatPercent(p.share),
    ]),
  );
  return markdownTable([header, ...rows], { align: ['l', 'l', 'r', 'r', 'r', 'r'] });
}

/** The report's section for an op module: what the op did, then where its GPU time went. */
export function activitySection(result: ProfileResult): string[] {
  if (!hasActivity(result)) return [];
  const parts = [
    `What the op did (calls counted by wgprof's instrumentation, medians per op):\n\n${activityCountsTable(result)}`,
  ];
  if (result.runs.some((r) => (r.activity?.passes.length ?? 0) > 0))
    parts.push(
      `Compute passes (GPU time from timestamps wgprof added to each pass):\n\n${passTable(result)}`,
    );
  return parts;
}
