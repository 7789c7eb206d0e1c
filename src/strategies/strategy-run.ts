import type { RecordStore } from '../measurement/record-store.js';
import type { StrategyName } from './strategy-names.js';

/** What one strategy's run hands back: its records and the run-wide figures per-op records lack. */
export interface StrategyRun {
  readonly strategy: StrategyName;
  readonly store: RecordStore;
  /** Wall time of the timed ops, nanoseconds. */
  readonly wallNs: number;
  /** The whole process's CPU time (user + system) over the timed ops, nanoseconds. */
  readonly processCpuNs: number;
  readonly deviceLost?: string;
}
