/**
 * wgprof as a library: `import { profile, breakdown, sync, compare, report } from 'wgprof'`.
 * Each measuring call runs what the CLI runs (the same config checks, measuring processes and
 * result), returns the object result.json holds, and writes nothing unless `out` is given. The
 * GPU work runs in measuring processes that end with the call: the caller's process opens no
 * device and keeps no worker.
 */
import type { Comparison, CompareOptions } from '../compare/compare-results.js';
import { compareRunSets } from '../compare/compare-run-sets.js';
import { resolveProfileConfig, type ProfileOptions } from '../config/profile-config.js';
import { parsePercent } from '../config/size.js';
import { usageError } from '../errors.js';
import { formatReport, type ReportFormat } from '../reports/format-report.js';
import type { AnyResult, BreakdownResult, ProfileResult, SyncResult } from '../results/result-types.js';
import { probeOutputFolder, writeResultFile } from '../results/write-result.js';
import { Interrupts } from '../runner/interrupts.js';
import { measureRequest } from '../runner/measure-request.js';
import {
  toProfileOptions,
  type ExperimentRunOptions,
  type ProfileRunOptions,
  type RunOptions,
} from './options.js';

export type { ExperimentRunOptions, ProfileRunOptions, RunOptions } from './options.js';
export type { Comparison } from '../compare/compare-results.js';
export type { ReportFormat } from '../reports/format-report.js';
export type {
  AnyResult,
  BreakdownResult,
  ProfileResult,
  QualityWarning,
  StrategyResult,
  SyncResult,
} from '../results/result-types.js';
export type { OpModule, OpModuleContext } from '../op/op-module.js';
export { ExitCode, WgprofError } from '../errors.js';
export { readResultFile as readResult } from '../results/read-result.js';

/** The command a call stands for, as the CLI would spell it: the result's record of what ran. */
function commandOf(name: string, options: ProfileOptions): string[] {
  const words = ['wgprof', name];
  for (const [key, value] of Object.entries(options)) {
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (value === true) words.push(flag);
    else if (Array.isArray(value)) for (const v of value) words.push(flag, String(v));
    else if (value !== false && value !== undefined) words.push(flag, String(value));
  }
  return words;
}

async function run<R extends AnyResult>(
  type: R['kind'],
  given: ProfileOptions,
  options: RunOptions,
): Promise<R> {
  const config = resolveProfileConfig(given);
  if (options.out !== undefined) await probeOutputFolder(options.out);
  const interrupts = new Interrupts();
  const onAbort = (): void => {
    interrupts.stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) interrupts.stop();
  try {
    const { result } = await measureRequest<R>(
      { type, config, command: commandOf(type, given) },
      {
        interrupts,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.onNativeLine ? { onNativeLine: options.onNativeLine } : {}),
      },
    );
    if (options.out !== undefined)
      await writeResultFile(options.out, result.kind, new Date(result.createdAt), result);
    return result;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Times one op by phase under each strategy: `wgprof profile`. */
export function profile(options: ProfileRunOptions = {}): Promise<ProfileResult> {
  return run<ProfileResult>('profile', toProfileOptions(options), options);
}

/** Each component of a fresh-worker op on its own: `wgprof breakdown`. */
export function breakdown(options: ExperimentRunOptions = {}): Promise<BreakdownResult> {
  return run<BreakdownResult>(
    'breakdown',
    { ...toProfileOptions(options), strategy: 'main', defaultKernel: 'scale' },
    options,
  );
}

/** The cost of synchronising with the GPU: `wgprof sync` (wgprof's kernels only). */
export function sync(options: ExperimentRunOptions = {}): Promise<SyncResult> {
  if (options.op !== undefined)
    return Promise.reject(
      usageError("sync: the sync experiments run wgprof's own kernels, not an op module"),
    );
  return run<SyncResult>(
    'sync',
    { ...toProfileOptions(options), strategy: 'main', defaultKernel: 'noop' },
    options,
  );
}

const isList = (r: ProfileResult | readonly ProfileResult[]): r is readonly ProfileResult[] =>
  Array.isArray(r);

/** Two profile results (or sets of repeated runs), phase by phase: `wgprof compare`. */
export function compare(
  base: ProfileResult | readonly ProfileResult[],
  next: ProfileResult | readonly ProfileResult[],
  options: { readonly threshold?: number | string } = {},
): Comparison {
  const threshold = parsePercent(String(options.threshold ?? '5%'), 'threshold');
  const asList = (r: ProfileResult | readonly ProfileResult[]): readonly ProfileResult[] =>
    isList(r) ? r : [r];
  const compareOptions: CompareOptions = { threshold };
  return compareRunSets(asList(base), asList(next), compareOptions);
}

/** A result as Markdown, self-contained HTML, per-op CSV or a Perfetto trace: `wgprof report`. */
export function report(result: AnyResult, format: ReportFormat = 'md'): Promise<string> {
  return formatReport(result, format);
}
