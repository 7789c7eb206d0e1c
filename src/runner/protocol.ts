import type { ProfileConfig, RunConfig } from '../config/profile-config.js';
import type { DeviceInfo } from '../device/device-info.js';
import type { OpenDeviceOptions } from '../device/open-device.js';
import type { DoctorReport } from '../device/doctor.js';
import type { ExitCode } from '../errors.js';
import type { RoundsOutcome } from '../measurement/rounds.js';
import type { StoppingRule } from '../measurement/stopping-rule.js';
import type { Environment } from '../results/environment.js';
import type { AnyResult, PeakResult, StrategyResult } from '../results/result-types.js';
import type { Scenario } from '../strategies/scenario.js';
import type { WarmupDone } from '../strategies/strategy.js';

/**
 * The messages between wgprof's command-line process and the measuring child it starts, named by
 * direction. The child does every GPU call, so whatever Dawn prints natively lands on the child's
 * pipes, where the parent filters it, and never on the user's stdout.
 */
export interface MeasuringRequest {
  readonly type: 'profile' | 'breakdown' | 'sync';
  readonly config: ProfileConfig;
  readonly command: readonly string[];
}

/**
 * One replicate of one profile scenario: a measuring process of its own, with its own device,
 * that measures nothing else (see runner/replicated-profile.ts for why).
 */
export interface ReplicateRequest {
  readonly type: 'replicate';
  readonly config: ProfileConfig;
  readonly scenario: Scenario;
  /**
   * How this process's share of the scenario's ops stops. Its time budget counts from the
   * scenario's start (its workers, cold op and warm-up included).
   */
  readonly rule: Omit<StoppingRule, 'unit'>;
  /** The warm-up ends here if it is still going (a Date.now() time): the run's budget is spent. */
  readonly warmupUntilMs: number;
  /** Main-thread ops timed first, on this process's own device: the interference probe. */
  readonly probeOps: number;
  /** True for the run's first process: it measures the machine (clock, recording cost) for the result. */
  readonly describeMachine: boolean;
}

/** The interference probe: a few main-thread ops at the start of a measuring process. */
export interface ProbeRun {
  readonly ops: number;
  /** Median of the probe ops' totals, ns. */
  readonly medianNs: number;
}

/** What one replicate's process measured: the scenario's records on its own device. */
export interface ReplicateRun {
  /** Only from the process asked to describe the machine. */
  readonly environment?: Environment;
  readonly device: DeviceInfo;
  readonly config: RunConfig;
  /** The scenario as one run (no vsMain: main ran in another process). */
  readonly run: StrategyResult;
  readonly rounds: RoundsOutcome;
  readonly probe?: ProbeRun;
  /** The scenario's start (workers, cold op, warm-up): how long it took, ms, and its warm-up. */
  readonly start: { readonly ms: number; readonly warmup: WarmupDone };
}

/** `wgprof peak`: the device's own limits, measured in one measuring process (runner/peak-process.ts). */
export interface PeakRequest {
  readonly type: 'peak';
  readonly device: OpenDeviceOptions;
  /** The short sweep of the tests, not the device's limits. */
  readonly quick: boolean;
  readonly command: readonly string[];
}

/** CLI -> measuring process: one request, then perhaps a stop (finish early, report what was measured). */
export type ChildRequest =
  MeasuringRequest | ReplicateRequest | PeakRequest | { readonly type: 'doctor' } | { readonly type: 'stop' };

/** How far a measurement has come, for the progress line. */
export interface Progress {
  readonly label: string;
  readonly done: number;
  readonly total: number;
}

/** Measuring process -> CLI. */
export type ChildResponse =
  | ({ readonly type: 'progress' } & Progress)
  | { readonly type: 'result'; readonly result: AnyResult }
  | { readonly type: 'replicate-result'; readonly replicate: ReplicateRun }
  | { readonly type: 'doctor-result'; readonly report: DoctorReport }
  | { readonly type: 'peak-result'; readonly result: PeakResult }
  | {
      readonly type: 'error';
      readonly message: string;
      readonly exitCode: ExitCode;
      readonly stack?: string;
    };
