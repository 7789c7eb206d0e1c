import type { ProfileConfig } from '../config/profile-config.js';
import type { DeviceInfo } from '../device/device-info.js';
import type { OpStatus } from '../measurement/record-store.js';
import type { SummaryKey } from '../measurement/run-summary.js';
import type { Phase } from '../op/phases.js';
import type { Summary } from '../statistics/index.js';
import type { Environment } from './environment.js';

/** Bumped on any change a reader of an older version would misread. */
export const RESULT_VERSION = 1;
export const RESULT_SCHEMA = 'wgprof-result';

/** One strategy's run as stored: summaries for reading, raw records for re-analysis. */
export interface StrategyResult {
  readonly strategy: string;
  readonly opsOk: number;
  readonly opsFailed: number;
  readonly opsTimedOut: number;
  readonly wallNs: number;
  /** Completed ops per second of wall time. */
  readonly opsPerSecond: number;
  /** The process's CPU time per completed op, ns: higher than `total` when threads spin. */
  readonly cpuPerOpNs: number;
  readonly deviceLost?: string;
  readonly summary: Partial<Record<SummaryKey, Summary>>;
  readonly records: StoredRecords;
}

/** Per-op records in columns; null where a phase did not happen in that op. */
export interface StoredRecords {
  /** process.hrtime.bigint() at the run's origin, as a decimal string (it exceeds 2^53). */
  readonly originNs: string;
  readonly startNs: number[];
  readonly totalNs: (number | null)[];
  readonly phases: Partial<Record<Phase, (number | null)[]>>;
  /** Only the ops that did not end ok. */
  readonly failures: { readonly index: number; readonly status: Exclude<OpStatus, 'ok'>; readonly message: string }[];
}

export interface ProfileResult {
  readonly schema: typeof RESULT_SCHEMA;
  readonly version: typeof RESULT_VERSION;
  readonly kind: 'profile';
  readonly createdAt: string;
  /** The command line as typed, without the node executable. */
  readonly command: readonly string[];
  readonly environment: Environment;
  readonly device: DeviceInfo;
  readonly config: ProfileConfig;
  readonly runs: readonly StrategyResult[];
  /** Lines Dawn printed on its own (filtered out of the terminal), kept for the record. */
  readonly nativeMessages: readonly string[];
}
