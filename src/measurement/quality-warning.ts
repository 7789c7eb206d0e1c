import type { SummaryKey } from './run-summary.js';

/**
 * What can be wrong with a run's numbers, as stable codes (result.json keeps them; scripts may
 * match on them). Each is found by one check in quality-warnings.ts, which says its threshold.
 */
export const WARNING_CODES = [
  'too-few-samples',
  'wide-ci',
  'below-timer-resolution',
  'timestamp-quantization',
  'slow-first-op',
  'outliers',
  'drift',
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
