import type { GpuWorkPlacement } from '../measurement/gpu-work-placement.js';
import type { Provenance } from './provenance.js';
import type { ProfileConfig } from '../config/profile-config.js';
import type { DeviceInfo } from '../device/device-info.js';
import type { FailedStatus } from '../measurement/record-store.js';
import type { StopReason } from '../measurement/stopping-rule.js';
import type { SummaryKey } from '../measurement/run-summary.js';
import type { Phase } from '../op/phases.js';
import type { Speedup } from '../measurement/versus-main.js';
import type { Summary } from '../statistics/index.js';
import type { BreakdownMeasurement } from '../experiments/run-breakdown.js';
import type { SyncMeasurement } from '../experiments/run-sync.js';
import type { Environment } from './environment.js';
import type { ActivitySummary, StoredActivity } from './op-activity-records.js';
import type { TraceEvent } from '../trace/trace-events.js';
import type { TraceSummary } from '../trace/trace-summary.js';
import type { StoredEvents } from '../trace/event-cap.js';
import type { StuckThread } from '../strategies/strategy.js';
import type { TimingSummary } from '../measurement/timing-cost.js';
import type { PeakMeasurement } from '../peak/peak-types.js';
import type { ScenarioRates } from '../work/op-rates.js';
import type { PeakReference } from '../work/peak-reference.js';

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
  /**
   * Pool threads that stopped answering (an op past --op-timeout and the grace after it): each
   * was sent no more ops. `index` is the timed-out op's record. Absent when none was.
   */
  readonly stuckThreads?: readonly StuckThread[];
  /** Speed relative to main (above 1 is faster), with its 95% CI; absent when main did not run. */
  readonly vsMain?: Speedup;
  /** The steady state: warm ops (for `fresh`, its cold ops, which are all it has). */
  readonly summary: Partial<Record<SummaryKey, Summary>>;
  /**
   * Each replicate's own figures: one measuring process and device each, in the order they ran.
   * `summary` and `vsMain` pool them (their CIs from a hierarchical bootstrap: replicates, then
   * ops within each). Absent in results written before wgprof ran replicates.
   */
  readonly replicates?: readonly ReplicateSummary[];
  /** Whether the replicates' medians agree within their own noise; absent with one replicate. */
  readonly replicateAgreement?: ReplicateAgreement;
  /** The first op of each worker's life (new isolate, device, pipeline), apart. */
  readonly coldSummary: Partial<Record<SummaryKey, Summary>>;
  /** An op module's: what its steady ops did (calls counted, passes timed by name). */
  readonly activity?: ActivitySummary;
  /**
   * Present when this scenario's verdict cannot be trusted: figures of its op, or of main's op
   * (every verdict is measured against main), contradict each other (quality/op-contradictions.ts).
   * The codes of the warnings that say so, and the scenarios they were found in.
   */
  readonly verdictUntrusted?: {
    readonly codes: readonly WarningCode[];
    readonly scenarios: readonly string[];
  };
  /**
   * Which ops were timed on the GPU, what timing cost a timed op, what the CPU-side figures are
   * of, and whether the device's timestamps could be trusted (measurement/timing-cost.ts).
   * Absent in results written before wgprof sampled its timed ops.
   */
  readonly timing?: TimingSummary;
  /**
   * The op's work (config.work) over its GPU time and its total, and their shares of the
   * device's measured limits (`peak`); absent when the op declares no work.
   */
  readonly rates?: ScenarioRates;
  readonly records: StoredRecords;
}

/** What the settle step found before a measuring process started (runner/settle.ts). */
export interface Settle {
  /** How long it waited for the machine to go quiet, ms. */
  readonly waitedMs: number;
  /** Share of all cores' time busy in the last window it sampled, 0 to 1. */
  readonly busyShare: number;
  /** False when the machine was still busy when the wait gave up. */
  readonly quiet: boolean;
}

/** One replicate of a scenario: what its own measuring process and device measured. */
export interface ReplicateSummary {
  /** Its round of the schedule, from 0: main's replicate of the same round ran beside it. */
  readonly round: number;
  /** Its place in that round's order, from 0. */
  readonly position: number;
  /** The scenario whose measuring process ran just before this one's, if any. */
  readonly after?: string;
  readonly opsOk: number;
  /** Medians of its steady-state ops, ns, by phase and total. */
  readonly medianNs: Partial<Record<SummaryKey, number>>;
  /** The 95% CI of its total's median, from its own ops alone. */
  readonly totalCi?: { readonly low: number; readonly high: number };
  /** Against main's replicate of the same round. */
  readonly vsMain?: Speedup;
  readonly stoppedBy: Exclude<StopReason, 'reps'>;
  readonly deviceLost?: string;
  /** The warm-up ops its process ran, when the time budget cut the warm-up short (absent: all of --warmup). */
  readonly warmupOps?: number;
  /** How long its warm-up took, ms: --warmup's ops, then until --warmup-min (absent for fresh workers, and in older results). */
  readonly warmupMs?: number;
  /** The interference probe: main-thread ops at the start of its process, median ns. */
  readonly probeNs?: number;
  /** Whether its device did the GPU work inside submit() or after it (measurement/gpu-work-placement.ts). */
  readonly gpuWork?: GpuWorkPlacement;
  readonly settle?: Settle;
}

/** Do a scenario's replicates agree? Judged on their totals' medians and their own CIs. */
export interface ReplicateAgreement {
  /** False when two replicates' CIs of the median do not overlap and they differ by more than the noise band. */
  readonly agree: boolean;
  /** Largest replicate median over the smallest, minus 1. */
  readonly spread: number;
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
  /**
   * Each op's GPU timing code (device/timestamp-check.ts's TIMING): 0 untimed (wrote no
   * timestamps), 1 timed and its reading passed, 2 zero, 3 reversed, 4 longer than the op, 5
   * never read back, 6 no query set, 7 untimed and the first after a block of timed ops (left out
   * of every figure: a timed op slows the op after it). Absent in results written before wgprof sampled its timed
   * ops, where every op with a GPU time was timed.
   */
  readonly timing?: number[];
  /** For each op, the index in the run's `replicates` of the one that measured it. */
  readonly replicate?: number[];
  /** Only the ops that did not end ok. */
  readonly failures: { readonly index: number; readonly status: FailedStatus; readonly message: string }[];
  /** An op module's: each op's counted calls and timed passes (results/op-activity-records.ts). */
  readonly activity?: StoredActivity;
}

/** How the interleaved rounds went, and what stopped them. */
export interface RoundsRecord {
  readonly count: number;
  readonly stoppedBy: Exclude<StopReason, 'reps'>;
  readonly elapsedMs: number;
}

/** What every result file has, whatever the command that wrote it. */
export interface BaseEnvelope<Kind extends string> {
  readonly schema: typeof RESULT_SCHEMA;
  readonly version: typeof RESULT_VERSION;
  readonly kind: Kind;
  readonly createdAt: string;
  /** The command line as typed, without the node executable. */
  readonly command: readonly string[];
  readonly environment: Environment;
  /** Lines Dawn printed on its own (filtered out of the terminal), kept for the record. */
  readonly nativeMessages: readonly string[];
  /**
   * What makes this run's numbers less trustworthy than its tables look, each with what to do
   * about it (see measurement/quality-warnings.ts). Absent in results written before wgprof had them.
   */
  readonly warnings?: readonly QualityWarning[];
  /**
   * An API call made while another measurement of the same process was running waits for it
   * (api/measurement-queue.ts): how long, ms, and how many were ahead. Absent when none was.
   */
  readonly queue?: { readonly waitedMs: number; readonly behind: number };
  /**
   * Where the run ran from: the working folder's git commit (and whether it had uncommitted
   * changes) and the user's --label. Absent in results written before wgprof recorded it.
   */
  readonly provenance?: Provenance;
}

/** What the results of wgprof's own measurements have: the device it opened, the resolved configuration. */
export interface ResultEnvelope<Kind extends string> extends BaseEnvelope<Kind> {
  readonly device: DeviceInfo;
  readonly config: ProfileConfig;
}

/** How a profile kept its scenarios apart: a measuring process per scenario and replicate. */
export interface IsolationRecord {
  /** Rounds of the schedule run: in each, every scenario once, each in its own process. */
  readonly replicates: number;
  readonly processes: number;
  /** Main-thread ops timed at the start of each process: the interference probe. */
  readonly probeOps: number;
  /** Each scenario's aftermath: the probe after its process against the probe after the others'. */
  readonly interference: readonly Interference[];
}

export interface Interference {
  /** The scenario whose process ran before the probed ones. */
  readonly after: string;
  /** Median of the probes in the processes that followed it, ns. */
  readonly probeNs: number;
  /** Median of every other probe, ns. */
  readonly othersNs: number;
  /** probeNs / othersNs - 1. */
  readonly change: number;
  readonly probes: number;
  /** The fastest of the probes after it, ns: above othersNs, every one of them was slower. */
  readonly lowestNs?: number;
  /**
   * The upper quartile of every other probe, ns: with lowestNs above it, every probe after the
   * scenario was slower than three quarters of the others (absent in older results).
   */
  readonly othersHighNs?: number;
}

export interface ProfileResult extends ResultEnvelope<'profile'> {
  readonly rounds: RoundsRecord;
  /** Absent in results written before wgprof isolated its scenarios. */
  readonly isolation?: IsolationRecord;
  readonly runs: readonly StrategyResult[];
  /** The device's measured limits the rates' shares were taken against (wgprof peak); absent without one. */
  readonly peak?: PeakReference;
}

/** How the repeated experiments of `breakdown` and `sync` ended. */
export type RepeatRecord = BreakdownMeasurement['repeat'];

export interface BreakdownResult extends ResultEnvelope<'breakdown'>, BreakdownMeasurement {
  /** This adapter's measured floors (wgprof peak), that the op's components are read against; absent without one. */
  readonly peak?: PeakReference;
}

export interface SyncResult extends ResultEnvelope<'sync'>, SyncMeasurement {
  /** This adapter's measured floors (wgprof peak), that sync's figures are read against; absent without one. */
  readonly peak?: PeakReference;
}

export type { BatchRow, CompletionRow, SyncBatching, SyncOverhead } from '../experiments/run-sync.js';

export type AnyResult = ProfileResult | BreakdownResult | SyncResult;

/** How a traced program ended, and what it was. */
export interface TracedProgram {
  /** The program's command line, as given after `--`. */
  readonly command: readonly string[];
  readonly cwd: string;
  /** Its exit code; null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** What ended it: it exited, --duration ran out (wgprof sent SIGINT), or the user interrupted wgprof. */
  readonly stoppedBy: 'exit' | 'duration' | 'interrupt';
  /** From the spawn to its exit, ns. */
  readonly wallNs: number;
  /** process.hrtime.bigint() at the spawn, as a decimal string: the origin of the trace's times. */
  readonly startNs: string;
}

/** `wgprof trace`'s result: a whole program's WebGPU calls, per thread, with its events up to --max-events. */
export interface TraceResult extends BaseEnvelope<'trace'> {
  readonly program: TracedProgram;
  /** Of every event the threads logged, kept or not. */
  readonly summary: TraceSummary;
  /** How many events were logged, kept in `threads` and dropped (absent in results before --max-events). */
  readonly events?: StoredEvents;
  /** Each thread's first events (trace/trace-events.ts), in the order it logged them. */
  readonly threads: readonly { readonly file: string; readonly events: readonly TraceEvent[] }[];
  /** What limits the trace's figures, one line each (no timestamp-query, quantized timestamps, ...). */
  readonly notes: readonly string[];
}

/**
 * `wgprof peak`'s result: the adapter's own limits (bandwidth, arithmetic rate, the floors of a
 * small op), each with its CI, and the bandwidth sweeps (peak/peak-types.ts). No op and no config:
 * the device is what it measured.
 */
export interface PeakResult extends BaseEnvelope<'peak'>, PeakMeasurement {
  readonly device: DeviceInfo;
}

/** Every kind a result file can hold: wgprof's measurements, traces of programs, and peaks of devices. */
export type StoredResult = AnyResult | TraceResult | PeakResult;

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

/**
 * What can be wrong with a run's numbers, as stable codes (result.json keeps them; scripts may
 * match on them). Each is found by one check in quality-warnings.ts, which says its threshold.
 */
export const WARNING_CODES = [
  'gpu-longer-than-op',
  'submits-not-waited',
  'rate-below-op-time',
  'cpu-beyond-wall',
  'too-few-samples',
  'wide-ci',
  'below-timer-resolution',
  'timestamp-quantization',
  'slow-first-op',
  'outliers',
  'drift',
  'replicates-disagree',
  'interference',
  'busy-machine',
  'gpu-work-placement',
  'op-leaks-buffers',
  'stuck-thread',
  'warmup-cut-short',
  'timestamps-untrusted',
  'timestamps-partial',
  'figures-include-timing',
  'op-module-typeless',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/** One measurement-quality warning: what was found, in this run's numbers, and what to do about it. */
export interface QualityWarning {
  readonly code: WarningCode;
  /** The profile scenario it concerns, by its table label ("main", "pool/2"). */
  readonly scenario?: string;
  /** The breakdown or sync row it concerns, by its id ("worker.load", "batch.4"). */
  readonly row?: string;
  /** The phase it concerns ("total" for the op end to end); absent when it concerns a whole row. */
  readonly phase?: SummaryKey;
  /** What was found, with the run's numbers. */
  readonly message: string;
  /** What to do about it: the flag to change, the thing to close, the figure to distrust. */
  readonly advice: string;
}
