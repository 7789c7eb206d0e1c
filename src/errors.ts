/**
 * Every failure wgprof expects is a WgprofError: a one-line message for the user and the exit
 * code the README documents. Anything else that escapes is a bug and exits with `internal`.
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  regression: 3,
  noAdapter: 4,
  gpu: 5,
  kernel: 6,
  io: 7,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class WgprofError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'WgprofError';
  }
}

export const usageError = (message: string): WgprofError => new WgprofError(message, ExitCode.usage);

export const noAdapterError = (message: string): WgprofError => new WgprofError(message, ExitCode.noAdapter);

export const gpuError = (message: string): WgprofError => new WgprofError(message, ExitCode.gpu);

export const kernelError = (message: string): WgprofError => new WgprofError(message, ExitCode.kernel);

export const ioError = (message: string): WgprofError => new WgprofError(message, ExitCode.io);

/** The message of anything thrown, for records and one-line reports. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
