import type { ProfileConfig } from '../config/profile-config.js';
import type { DeviceInfo } from '../device/device-info.js';
import type { OpStatus } from '../measurement/record-store.js';
import type { StopReason } from '../measurement/rounds.js';
import type { SummaryKey } from '../measurement/run-summary.js';
import type { Phase } from '../op/phases.js';
import type { QualityWarning } from '../measurement/quality-warning.js';
import type { Speedup } from '../measurement/versus-main.js';
import type { LineFit, Summary } from '../statistics/index.js';
import type { AttributionItem } from '../experiments/attribution.js';
import type { ComponentRow } from '../experiments/experiment.js';
import type { CompletionMethod } from '../experiments/sync-suite.js';
import type { Environment } from './environment.js';

/** Bumped on any change a reader of an older version would misread. */
export const RESULT_VERSION = 1;
export const RESULT_SCHEMA = 'wgprof-result';

/** One scenario's run as stored: summaries for reading, raw records for re-analysis. */
export interface StrategyResult {
  readonly strategy: string;
  /** The scenario's name in tables: "reused/atomics", "pool/4". */
  readonly label: string;
  /** Ops in flight at once (the pool's size; 1 otherwise). */
  readonly concurrency: number;
  readonly handoff?: string;
  readonly opsOk: number;
  readonly opsFailed: number;
  readonly opsTimedOut: number;
  readonly wallNs: number;
  /** Completed ops per second of wall time. */
  readonly opsPerSecond: number;
  /** The process's CPU time per completed op, ns: higher than `total` when threads spin. */
  readonly cpuPerOpNs: number;
  /** The strategy's worker threads' own CPU time, where Node exposes it (>= 23.9). */
  readonly threadCpuNs?: number;
  /** True for a fresh worker per op: every op is a worker's first, and the summary is of those. */
  readonly everyOpCold: boolean;
  readonly deviceLost?: string;
  /** Speed relative to main (above 1 is faster), with its 95% CI; absent when main did not run. */
  readonly vsMain?: Speedup;
  /** The steady state: warm ops (for `fresh`, its cold ops, which are all it has). */
  readonly summary: Partial<Record<SummaryKey, Summary>>;
  /** The first op of each worker's life (new isolate, device, pipeline), apart. */
  readonly coldSummary: Partial<Record<SummaryKey, Summary>>;
  readonly records: StoredRecords;
}

/** Per-op records in columns; null where a phase did not happen in that op. */
export interface StoredRecords {
  /** process.hrtime.bigint() at the run's origin, as a decimal string (it exceeds 2^53). */
  readonly originNs: string;
  readonly startNs: number[];
  readonly totalNs: (number | null)[];
  readonly phases: Partial<Record<Phase, (number | null)[]>>;
  /** worker_threads' threadId of the thread that ran each op (0: the main thread). */
  readonly threadIds?: number[];
  /** When each op began inside its thread, ns since originNs (after spawn and handoff). */
  readonly innerStartNs?: (number | null)[];
  /** Indices of the ops that were the first of their worker's life. */
  readonly cold: number[];
  /** Only the ops that did not end ok. */
  readonly failures: { readonly index: number; readonly status: Exclude<OpStatus, 'ok'>; readonly message: string }[];
}

/** How the interleaved rounds went, and what stopped them. */
export interface RoundsRecord {
  readonly count: number;
  readonly stoppedBy: StopReason;
  readonly elapsedMs: number;
}

/** What every result file has, whatever the command that wrote it. */
export interface ResultEnvelope<Kind extends string> {
  readonly schema: typeof RESULT_SCHEMA;
  readonly version: typeof RESULT_VERSION;
  readonly kind: Kind;
  readonly createdAt: string;
  /** The command line as typed, without the node executable. */
  readonly command: readonly string[];
  readonly environment: Environment;
  readonly device: DeviceInfo;
  readonly config: ProfileConfig;
  /** Lines Dawn printed on its own (filtered out of the terminal), kept for the record. */
  readonly nativeMessages: readonly string[];
  /**
   * What makes this run's numbers less trustworthy than its tables look, each with what to do
   * about it (see measurement/quality-warnings.ts). Absent in results written before wgprof had them.
   */
  readonly warnings?: readonly QualityWarning[];
}

export interface ProfileResult extends ResultEnvelope<'profile'> {
  readonly rounds: RoundsRecord;
  readonly runs: readonly StrategyResult[];
}

/** How the repeated experiments of `breakdown` and `sync` ended. */
export interface RepeatRecord {
  readonly stoppedBy: 'reps' | 'noise' | 'time-budget' | 'interrupted';
  readonly elapsedMs: number;
}

export interface BreakdownResult extends ResultEnvelope<'breakdown'> {
  readonly repeat: RepeatRecord;
  /** Worker rows (cumulative: each does one more step of a fresh-worker op), then main-thread rows. */
  readonly rows: readonly ComponentRow[];
  /** The steps each worker row's worker reported doing. */
  readonly steps: Readonly<Record<string, readonly string[]>>;
  readonly attribution: readonly AttributionItem[];
}

export type CompletionRow = ComponentRow & { readonly bytes: number; readonly method: CompletionMethod };
export type BatchRow = ComponentRow & { readonly k: number };

export interface SyncResult extends ResultEnvelope<'sync'> {
  readonly repeat: RepeatRecord;
  readonly floor: readonly ComponentRow[];
  readonly completion: readonly CompletionRow[];
  readonly batching: {
    readonly rows: readonly BatchRow[];
    /** time per sync = intercept (fixed sync cost) + slope (cost per kernel) * k, through each k's median. */
    readonly fit?: LineFit;
    /** Set when the fit explains too little of the variation to be trusted, with why. */
    readonly poorFit?: string;
  };
  /** Per op of the kernel: sync's wall time minus the GPU's busy time from timestamps. */
  readonly overhead: SyncOverhead;
}

export type SyncOverhead =
  | {
      readonly ops: number;
      readonly sync: Summary;
      readonly gpu: Summary;
      /** sync - kernelGpu, per op. */
      readonly overhead: Summary;
    }
  | { readonly unavailable: string };

export type AnyResult = ProfileResult | BreakdownResult | SyncResult;

/** What the measuring process knows of a run before it measures anything. */
export interface RunContext {
  readonly command: readonly string[];
  readonly environment: Environment;
  readonly device: DeviceInfo;
  readonly config: ProfileConfig;
}

/** The envelope every result file shares; the native messages are added by the CLI process. */
export function envelope<Kind extends AnyResult['kind']>(kind: Kind, run: RunContext): ResultEnvelope<Kind> {
  return {
    schema: RESULT_SCHEMA,
    version: RESULT_VERSION,
    kind,
    createdAt: new Date().toISOString(),
    command: run.command,
    environment: run.environment,
    device: run.device,
    config: run.config,
    nativeMessages: [],
  };
}
