import type { DeviceInfo } from '../device/device-info.js';
import type { Environment } from '../results/environment.js';

/**
 * A number with its unit. Durations are in ns and printed in the unit that fits; rates (B/s,
 * FLOP/s) with the decimal prefix that fits (GB/s); a share is a fraction in [0, 1], printed as a percentage; a count as a bare number; the other units are printed
 * as they are.
 */
export interface Figure {
  readonly value: number;
  readonly unit:
    | 'ns'
    | 'ops/s'
    | 'B/op'
    | 'B/s'
    | 'FLOP/s'
    | 'MiB'
    | 'MiB/run'
    | 'MiB/call'
    | 'threads'
    | 'count'
    | 'R2'
    | 'x'
    | 'share';
  /** The 95% CI of the value, where it has one (same unit). */
  readonly low?: number;
  readonly high?: number;
}

/** What a row must reach: `checked` (in its own unit, with its CI if any) against `limit`. */
export interface Target {
  /** As printed: "<= 1.25x", ">= 0.95x", "<= 1 us added per op". */
  readonly text: string;
  readonly direction: 'at-most' | 'at-least';
  readonly limit: number;
  /** The figure the target is about (a ratio, a cost per op, an R squared). */
  readonly checked: Figure;
}

/**
 * 'met' or 'not met' by the point estimate; `ciSpansTarget` says when the 95% CI reaches the
 * other side, so the verdict could flip on another run. 'info': the row has no target.
 */
export type Verdict = 'met' | 'not met' | 'info';

/** A small table of a row's own figures, already formatted: printed under the notes. */
export interface DetailTable {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface CompletedRow {
  readonly state: 'completed';
  /** '1a', '2c', ...: the issue's row number and a letter. */
  readonly id: string;
  readonly measure: string;
  readonly wgprof: Figure;
  readonly baseline?: Figure;
  /** wgprof / baseline (or the row's own ratio), with its 95% CI. */
  readonly ratio?: Figure;
  readonly target?: Target;
  readonly verdict: Verdict;
  readonly ciSpansTarget: boolean;
  /** One or two sentences: what was compared, and why the figure is what it is. */
  readonly note: string;
  /** Extra figures for the JSON file (fits, sample counts, per-run memory). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Figures of the row shown as tables in the Markdown (their numbers are in `details`). */
  readonly tables?: readonly DetailTable[];
}

/** A row whose measurement failed: kept as data, so the other rows still print. */
export interface ErroredRow {
  readonly state: 'errored';
  readonly id: string;
  readonly measure: string;
  readonly error: string;
}

export type BenchRow = CompletedRow | ErroredRow;

/** Everything `npm run bench` writes to results/bench/*.json. */
export interface BenchReport {
  readonly schema: 'wgprof-bench';
  readonly version: 1;
  readonly mode: 'full' | 'quick';
  readonly createdAt: string;
  readonly command: readonly string[];
  readonly elapsedMs: number;
  readonly environment: Environment;
  /** The adapter the GPU rows ran on; absent if no device could be opened. */
  readonly adapter?: DeviceInfo;
  readonly rows: readonly BenchRow[];
}
