import { shownFile } from '../op/op-module.js';
import { markdownTable } from 'markdown-table';
import { adapterLine } from '../device/device-info.js';
import type { SummaryKey } from '../measurement/run-summary.js';
import { PHASE_LABEL, PHASES } from '../op/phases.js';
import type { ProfileConfig } from '../config/profile-config.js';
import { formatSize } from '../config/size.js';
import type { AnyResult, ProfileResult, StrategyResult } from '../results/result-types.js';
import { formatIn, formatNumber, formatPercent, unitFor } from './units.js';

const ROWS: readonly SummaryKey[] = [...PHASES, 'total', 'leftover'];
const ROW_LABEL = (key: SummaryKey): string =>
  key === 'total' ? 'total' : key === 'leftover' ? 'unaccounted' : PHASE_LABEL[key];

/** The lines that say what a run ran on: the first thing a reader of a result needs. */
export function runHeader(result: ProfileResult): string[] {
  return runHeaderLines(result, 'profile', `, strategies ${result.config.strategies.join(',')}`);
}

/** What the run ran: a kernel at a size, or an op module with its arguments. */
export function opLine(config: ProfileConfig): string {
  if (config.op) {
    const args = Object.entries(config.op.args).map(([k, v]) => `${k}=${v}`);
    return `${config.kernel} (op module ${shownFile(config.op.file)}${args.length > 0 ? `; ${args.join(' ')}` : ''})`;
  }
  const dtype = config.kernelFile === undefined ? ` ${config.dtype}` : '';
  return (
    `${config.kernel}${dtype}, ${formatSize(config.size)} elements, ` +
    `create=${config.create}${config.readback ? ', readback' : ''}`
  );
}

export function runHeaderLines(result: AnyResult, kind: string, extra = ''): string[] {
  const { config, environment: env, device } = result;
  return [
    `wgprof ${kind}: ${opLine(config)}${extra}`,
    ...userKernelLines(config),
    `device: ${adapterLine(device)}; GPU timestamps ${device.timestamps ? (device.timestampQuantizationDisabled ? 'on, exact' : 'on, quantized') : 'unavailable'}`,
    `host: ${env.cpu.model} (${env.cpu.cores} cores), ${env.os.type} ${env.os.release} ${env.os.arch}, Node ${env.node}, webgpu ${env.webgpu}`,
    ...variablesLine(env.variables),
  ];
}

/** The user's variables that change what an op costs, when there are any: wgprof sets none. */
function variablesLine(variables: Readonly<Record<string, string>> | undefined): string[] {
  const set = Object.entries(variables ?? {});
  return set.length === 0
    ? []
    : [`environment (yours; wgprof sets none): ${set.map(([k, v]) => `${k}=${v}`).join(' ')}`];
}

/** What wgprof made of a user's kernel: the file, what it bound, how it dispatched. */
function userKernelLines(config: ProfileConfig): string[] {
  if (config.kernelFile === undefined || !config.plan) return [];
  const tensors = config.plan.tensors.map((t) =>
    t.role === 'uniform'
      ? `${t.name} (uniform)`
      : `${t.name} ${t.dtype}[${t.shape.map(formatSize).join('x')}] (${t.role})`,
  );
  const uniforms = Object.entries(config.uniforms ?? {}).map(([k, v]) => `${k}=${v.join(',')}`);
  const dispatches = config.plan.dispatches.map((d) => `${d.entry} ${d.workgroups.join('x')} workgroups`);
  return [
    `kernel: ${config.kernelFile}; ${dispatches.join(', ')}; ${tensors.join(', ')}` +
      (uniforms.length > 0 ? `; uniforms ${uniforms.join(', ')}` : ''),
  ];
}

/** One strategy's phase table: a row per phase, median first, the unit in the header. */
export function phaseTable(run: StrategyResult): string {
  const keys = ROWS.filter((k) => run.summary[k] !== undefined);
  const unit = unitFor(run.summary.total?.median ?? 1);
  const u = unit.label;
  const rows = keys.map((key) => {
    const s = run.summary[key];
    if (!s) return [];
    return [
      ROW_LABEL(key),
      formatIn(s.median, unit),
      `${formatIn(s.medianCi.low, unit)} - ${formatIn(s.medianCi.high, unit)}`,
      formatIn(s.p90, unit),
      formatIn(s.p99, unit),
      formatIn(s.mean, unit),
      key === 'leftover' ? '-' : formatPercent(s.cv),
    ];
  });
  return markdownTable(
    [
      ['Phase', `Median [${u}]`, `95% CI of median [${u}]`, `p90 [${u}]`, `p99 [${u}]`, `Mean [${u}]`, 'CV'],
      ...rows,
    ],
    { align: ['l', 'r', 'r', 'r', 'r', 'r', 'r'] },
  );
}

/** The line above a strategy's table: how many ops, how fast, and what the CPU paid. */
export function runLine(run: StrategyResult): string {
  const failures = run.opsFailed + run.opsTimedOut;
  const cpuUnit = unitFor(run.cpuPerOpNs);
  // CPU seconds per wall second: above 1 means more than one core was kept busy.
  const cores = run.wallNs > 0 ? (run.cpuPerOpNs * run.opsOk) / run.wallNs : NaN;
  return (
    `${run.label}: ${run.opsOk} ops ok${failures ? `, ${run.opsFailed} failed, ${run.opsTimedOut} timed out` : ''}, ` +
    `${formatNumber(run.opsPerSecond)} ops/s, process CPU ${formatIn(run.cpuPerOpNs, cpuUnit)} ${cpuUnit.label}/op ` +
    `(${formatNumber(cores)} cores busy)`
  );
}
