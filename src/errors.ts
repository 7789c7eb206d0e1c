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

/**
 * Names of the errors WebGPU rejects a promise with, empty-handed, when the promise's device was
 * lost or destroyed (mapAsync on a destroyed device: an AbortError, an OperationError in older
 * implementations), with what that means.
 */
const EMPTY_MESSAGE_MEANS: Readonly<Record<string, string>> = {
  AbortError:
    'WebGPU rejects mapAsync and its other promises this way once their device is lost or destroyed',
  OperationError:
    'WebGPU rejects mapAsync and its other promises this way once their device is lost or destroyed',
};

/**
 * The message of anything thrown, for records and one-line reports: never empty, never
 * "undefined". An error without a message is named by its name (and, for WebGPU's, what it
 * means); a value that is not an error is described as such. A DOMException that crossed from a
 * worker arrives as a plain object: its own `name` and `message`, if any, are read the same way.
 */
export function messageOf(error: unknown): string {
  if (typeof error === 'string') return error.trim() === '' ? 'an empty string was thrown' : error;
  if (typeof error !== 'object' || error === null) return `${String(error)} was thrown, not an Error`;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (typeof message === 'string' && message.trim() !== '') return message;
  const named = typeof name === 'string' && name !== '' ? name : undefined;
  if (named === undefined) {
    const kind = error instanceof Error ? error.constructor.name : 'an object';
    return `${kind} with no name or message was thrown`;
  }
  const means = EMPTY_MESSAGE_MEANS[named];
  return `${named} with no message${means === undefined ? '' : ` (${means})`}`;
}
