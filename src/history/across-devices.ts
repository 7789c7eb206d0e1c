import { compareRunSets } from '../compare/compare-run-sets.js';
import type { ChangeCi, Comparison } from '../compare/compare-results.js';
import { figureSettings } from '../results/figure-settings.js';
import { opName } from './group-key.js';
import { totalsOnly } from './neighbour-steps.js';
import type { ProfileResult } from '../results/result-types.js';
import { scenarioLabel } from '../reports/scenario-label.js';
import { shortAdapter } from '../reports/terminal/view-parts.js';

/**
 * One op measured on several devices or hosts, side by side: a column per result (its adapter,
 * backend and host), a row per scenario, each cell the median total per op with its CI, and each
 * column's ratio to the first, judged as `wgprof compare FIRST OTHER` judges a change. Pure: the
 * results in, the table's figures out. What `wgprof report a.json b.json ...` prints.
 */

/** One result's column. */
export interface DeviceColumn {
  /** "llvmpipe (vulkan)", with the host or the run's number added where two would read alike. */
  readonly label: string;
  readonly path: string;
  /** The adapter's full description and the backend: "llvmpipe: Mesa 25.0.7 (vulkan)". */
  readonly device: string;
  /** "AMD EPYC (2 cores), Linux 6.18.44 x64". */
  readonly host: string;
  readonly createdAt: string;
}

/** A scenario's median total per op on one column's run, with its stored CI; ns. */
export interface DeviceCell {
  readonly n: number;
  readonly medianNs: number;
  readonly lowNs: number;
  readonly highNs: number;
}

/** A column's median over the first column's (above 1: slower than the first), with its CI. */
export interface DeviceRatio {
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  /** How compare took its samples (replicate against replicate, or op against op). */
  readonly method: Comparison['method'];
}

export interface DeviceRow {
  readonly scenario: string;
  /** One per column, in column order; absent where that run has no such scenario or no total. */
  readonly cells: readonly (DeviceCell | null)[];
  /** One per column after the first, against the first; null where compare could not judge the two. */
  readonly vsFirst: readonly (DeviceRatio | null)[];
}

export interface AcrossDevices {
  /** "noop/1K/f32". */
  readonly op: string;
  readonly columns: readonly DeviceColumn[];
  readonly rows: readonly DeviceRow[];
  /** Settings that change figures and differ between the runs ("warmup: 2 vs 20"): read the ratios with care. */
  readonly settingsDiffer: readonly string[];
}

/** The op's identity as history's groups take it: name, size, dtype, creation, readback. */
function opIdentity(result: ProfileResult): [string, string][] {
  const { config } = result;
  return [
    ['kernel', config.kernel],
    ['size', String(config.size)],
    ['dtype', config.kernelFile === undefined && config.op === undefined ? config.dtype : '-'],
    ['create', config.create],
    ['readback', String(config.readback)],
  ];
}

/**
 * What makes these results measure different ops, in words ("size: 1024 in a.json, 1048576 in
 * b.json"); empty when they measure one.
 */
export function opDifferences(results: readonly { path: string; result: ProfileResult }[]): string[] {
  const [first, ...rest] = results;
  if (!first) return [];
  const mine = opIdentity(first.result);
  const out: string[] = [];
  for (const other of rest) {
    opIdentity(other.result).forEach(([name, value], i) => {
      const base = mine[i]?.[1];
      if (value !== base) out.push(`${name}: ${base ?? '?'} in ${first.path}, ${value} in ${other.path}`);
    });
  }
  return out;
}

/**
 * The adapter's name without its version: "llvmpipe" from Vulkan's "llvmpipe: Mesa 25.0.7 ...".
 * Dawn's OpenGL ES adapter describes itself by the GL version ("OpenGL version OpenGL ES 3.2
 * Mesa ..."), not the renderer: its device id ("llvmpipe-llvm-15-0-6-256-bits-") names it.
 */
export function adapterName(device: { readonly description: string; readonly device: string }): string {
  if (device.description.startsWith('OpenGL version') && device.device !== '')
    return device.device.split('-')[0] || device.device;
  return shortAdapter(device.description || device.device).replace(/:.*$/, '');
}

/** "llvmpipe (vulkan)": the adapter's name and the backend. */
function deviceLabel(result: ProfileResult): string {
  return `${adapterName(result.device)} (${result.device.backend})`;
}

/**
 * Labels that tell each column apart: the device; the host, where the same device ran on
 * different hosts; the column's place, where two are still alike.
 */
export function columnLabels(results: readonly ProfileResult[]): string[] {
  const byDevice = results.map(deviceLabel);
  const hostsOf = (label: string): Set<string> =>
    new Set(results.filter((_, j) => byDevice[j] === label).map((r) => r.environment.cpu.model));
  const withHost = byDevice.map((label, i) =>
    hostsOf(label).size > 1 ? `${label} on ${results[i]?.environment.cpu.model ?? '?'}` : label,
  );
  return withHost.map((label, i) =>
    withHost.filter((l) => l === label).length > 1 ? `${label} #${i + 1}` : label,
  );
}

function cellOf(result: ProfileResult, label: string): DeviceCell | null {
  const total = result.runs.find((r) => r.label === label)?.summary.total;
  return total
    ? { n: total.n, medianNs: total.median, lowNs: total.medianCi.low, highNs: total.medianCi.high }
    : null;
}

function ratioOf(comparison: Comparison, label: string): DeviceRatio | null {
  const total = comparison.scenarios.find((s) => s.label === label)?.metrics.find((m) => m.key === 'total');
  if (!total) return null;
  const ci: ChangeCi = total.changeCi;
  return { ratio: 1 + total.change, low: 1 + ci.low, high: 1 + ci.high, method: comparison.method };
}

/** "warmup: 2 vs 20": the figure-changing settings beyond the op that are not the same in every run. */
function settingsThatDiffer(results: readonly ProfileResult[]): string[] {
  const lists = results.map((r) => figureSettings(r.config).join(', '));
  return new Set(lists).size > 1 ? [`settings: ${[...new Set(lists)].join(' vs ')}`] : [];
}

/**
 * The table of one op across the given results (in the order given: the first is the reference
 * of the ratios). Scenarios in the order they first appear; a ratio is compare's change + 1 (on
 * the totals: replicate against replicate where both ran replicates, else op against op).
 *
 * @throws RangeError when the results measure different ops (see {@link opDifferences}).
 */
export function acrossDevices(results: readonly { path: string; result: ProfileResult }[]): AcrossDevices {
  const [first] = results;
  if (!first) throw new RangeError('no profile result to put side by side');
  const differ = opDifferences(results);
  if (differ.length > 0) throw new RangeError(`these results measure different ops: ${differ.join('; ')}`);
  const profiles = results.map((r) => r.result);
  const labels = columnLabels(profiles);
  const columns: DeviceColumn[] = results.map(({ path, result }, i) => {
    const env = result.environment;
    return {
      label: labels[i] ?? deviceLabel(result),
      path,
      device: `${shortAdapter(result.device.description || result.device.device)} (${result.device.backend})`,
      host: `${env.cpu.model} (${env.cpu.cores} cores), ${env.os.type} ${env.os.release} ${env.os.arch}`,
      createdAt: result.createdAt,
    };
  });
  const base = totalsOnly(first.result);
  // The threshold only names verdicts, which this table does not print.
  const comparisons = profiles.slice(1).map((p) => compareRunSets([base], [totalsOnly(p)], { threshold: 0 }));
  const scenarios = [...new Set(profiles.flatMap((p) => p.runs.map((r) => r.label)))];
  const rows: DeviceRow[] = scenarios.map((label) => {
    const shown =
      profiles.flatMap((p) => p.runs.filter((r) => r.label === label)).map(scenarioLabel)[0] ?? label;
    return {
      scenario: shown,
      cells: profiles.map((p) => cellOf(p, label)),
      vsFirst: comparisons.map((c) => ratioOf(c, label)),
    };
  });
  return { op: opName(first.result), columns, rows, settingsDiffer: settingsThatDiffer(profiles) };
}
