import type { ProfileConfig } from '../config/profile-config.js';
import type { DoctorReport } from '../device/doctor.js';
import type { ExitCode } from '../errors.js';
import type { AnyResult } from '../results/result-types.js';

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

/** CLI -> measuring process: one request, then perhaps a stop (finish early, report what was measured). */
export type ChildRequest = MeasuringRequest | { readonly type: 'doctor' } | { readonly type: 'stop' };

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
  | { readonly type: 'doctor-result'; readonly report: DoctorReport }
  | {
      readonly type: 'error';
      readonly message: string;
      readonly exitCode: ExitCode;
      readonly stack?: string;
    };
