import type { ProfileConfig } from '../config/profile-config.js';
import type { DoctorReport } from '../device/doctor.js';
import type { ExitCode } from '../errors.js';
import type { AnyResult } from '../results/result-types.js';

/**
 * The messages between wgprof's command-line process and the measuring child it starts. The
 * child does every GPU call, so whatever Dawn prints natively lands on the child's pipes, where
 * the parent filters it, and never on the user's stdout.
 */
export interface MeasuringRequest {
  readonly type: 'profile' | 'breakdown' | 'sync';
  readonly config: ProfileConfig;
  readonly command: readonly string[];
}

export type RequestMessage = MeasuringRequest | { readonly type: 'doctor' };

/** Sent while a request runs: stop early and report what was measured. */
export interface StopMessage {
  readonly type: 'stop';
}

export type ResponseMessage =
  | { readonly type: 'progress'; readonly label: string; readonly done: number; readonly total: number }
  | { readonly type: 'result'; readonly result: AnyResult }
  | { readonly type: 'doctor-result'; readonly report: DoctorReport }
  | {
      readonly type: 'error';
      readonly message: string;
      readonly exitCode: ExitCode;
      readonly stack?: string;
    };
