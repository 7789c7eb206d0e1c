/**
 * wgprof as a library: `import { profile, breakdown, sync, compare, report } from 'wgprof'`.
 * Each measuring call runs what the CLI runs (the same config checks, measuring processes and
 * result), returns the object result.json holds, and writes nothing unless `out` is given. The
 * GPU work runs in measuring processes that end with the call: the caller's process opens no
 * device and keeps no worker. Calls made at once measure one after the other (measurement-queue.ts);
 * an AbortSignal behaves as Node's own APIs' do before the run starts, and as Ctrl-C does after.
 */
import { parseLabel } from '../results/provenance.js';
import type { Comparison, CompareOptions } from '../compare/compare-results.js';
import { compareRunSets } from '../compare/compare-run-sets.js';
import { resolveProfileConfig, type ProfileOptions } from '../config/profile-config.js';
import { parsePercent } from '../config/size.js';
import { usageError } from '../errors.js';
import { formatReport, type ReportFormat } from '../reports/format-report.js';
import type {
  AnyResult,
  BreakdownResult,
  PeakResult,
  ProfileResult,
  SyncResult,
} from '../results/result-types.js';
import { probeOutputFolder, writeResultFile } from '../results/write-result.js';
import { Interrupts } from '../runner/interrupts.js';
import { measureRequest } from '../runner/measure-request.js';
import { measurePeak } from '../runner/measure-peak.js';
import { savedPeak } from '../results/peak-store.js';
import { withFloors, withRates } from '../results/with-rates.js';
import { peakReference } from '../work/peak-reference.js';
import { parseBackend } from '../device/backend.js';
import { abortError } from './abort-error.js';
import { apiError } from './api-wording.js';
import { takeTurn } from './measurement-queue.js';
import {
  EXPERIMENT_OPTION_NAMES,
  PROFILE_OPTION_NAMES,
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
  PeakResult,
  ProfileResult,
  QualityWarning,
  StrategyResult,
  SyncResult,
} from '../results/result-types.js';
export type { OpModule, OpModuleContext } from '../op/op-module.js';
export type { OpWork } from '../work/op-work.js';
export type { ScenarioRates, Rate, PeakShare } from '../work/op-rates.js';
export type { PeakReference } from '../work/peak-reference.js';
export { ExitCode, WgprofError } from '../errors.js';
export { AbortError } from './abort-error.js';
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

/** The options a call takes, by the names the API gives them: what its messages name. */
const OPTION_NAMES: Record<AnyResult['kind'], ReadonlySet<string>> = {
  profile: new Set(PROFILE_OPTION_NAMES),
  breakdown: new Set(EXPERIMENT_OPTION_NAMES),
  sync: new Set(EXPERIMENT_OPTION_NAMES),
};
/** The experiments take `reps` where the CLI's resolver says `--ops`. */
const RENAMED: Record<AnyResult['kind'], Readonly<Record<string, string>>> = {
  profile: {},
  breakdown: { ops: 'reps' },
  sync: { ops: 'reps' },
};

async function run<R extends AnyResult>(
  type: R['kind'],
  given: ProfileOptions,
  options: RunOptions,
): Promise<R> {
  try {
    return await measureOnce<R>(type, given, options);
  } catch (error) {
    throw apiError(error, OPTION_NAMES[type], RENAMED[type]);
  }
}

async function measureOnce<R extends AnyResult>(
  type: R['kind'],
  given: ProfileOptions,
  options: RunOptions,
): Promise<R> {
  const { signal } = options;
  const config = resolveProfileConfig(given);
  if (options.out !== undefined) await probeOutputFolder(options.out);
  const turn = await takeTurn(signal);
  const interrupts = new Interrupts();
  const onAbort = (): void => {
    interrupts.stop();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Aborted before it started: rejects as Node's own APIs do; mid-run, as a first Ctrl-C does
    // for the CLI: what was measured comes back, marked interrupted.
    if (signal?.aborted) throw abortError(signal);
    // peak: true measures the adapter's limits before the profile, in its own measuring process.
    const peak =
      type === 'profile' && (options as ProfileRunOptions).peak === true
        ? await measurePeak({
            backend: config.backend,
            ...(config.adapter ? { adapter: config.adapter } : {}),
          })
        : undefined;
    let outcome;
    try {
      outcome = await measureRequest<R>(
        { type, config, command: commandOf(type, given) },
        {
          interrupts,
          ...(options.label === undefined ? {} : { label: parseLabel(options.label) }),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          ...(options.onNativeLine ? { onNativeLine: options.onNativeLine } : {}),
        },
      );
    } catch (error) {
      if (signal?.aborted) throw abortError(signal, 'The operation was aborted before anything was measured');
      throw error;
    }
    const rated = withPeak(outcome.result, peak, options) as R;
    const result: R =
      turn.behind > 0 ? { ...rated, queue: { waitedMs: turn.waitedMs, behind: turn.behind } } : rated;
    if (options.out !== undefined)
      await writeResultFile(options.out, result.kind, new Date(result.createdAt), result);
    return result;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    turn.done();
  }
}

/**
 * A profile's rates as shares of the device's limits: a peak measured for it, one given, or the
 * latest saved under `out` for its adapter (a --quick one is not the device's limits).
 */
function withPeak(result: AnyResult, measured: PeakResult | undefined, options: RunOptions): AnyResult {
  // breakdown and sync read their floors against the saved peak of the adapter, if any.
  if (result.kind !== 'profile')
    return options.out === undefined ? result : withFloors(result, savedPeak(options.out, result));
  const given = (options as ProfileRunOptions).peak;
  if (measured) return withRates(result, peakReference(measured, 'measured'));
  if (typeof given === 'object') return withRates(result, peakReference(given, 'saved'));
  return options.out === undefined ? result : withRates(result, savedPeak(options.out, result));
}

/** The adapter's own limits (memory bandwidth, f32 arithmetic, the floors of a small op): `wgprof peak`. */
export function peak(
  options: Pick<RunOptions, 'backend' | 'adapter' | 'onProgress'> & { readonly quick?: boolean } = {},
): Promise<PeakResult> {
  const backend = parseBackend(options.backend ?? 'auto', false);
  return measurePeak({
    backend,
    ...(options.adapter === undefined ? {} : { adapter: options.adapter }),
    ...(options.quick === undefined ? {} : { quick: options.quick }),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
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
      usageError("sync: the sync experiments run wgprof's own kernels, not an op module (op)"),
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
