import { ExitCode } from '../errors.js';

/**
 * The error Node's own APIs reject with when their AbortSignal aborts (`fs.readFile`,
 * `timers/promises`, `events.once`): name 'AbortError', code 'ABORT_ERR', and the signal's reason
 * kept as its cause, so that callers who already handle those handle wgprof's the same way.
 */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';
  override readonly name = 'AbortError';
  /** What the CLI exits with when stopped before it measured anything. */
  readonly exitCode = ExitCode.interrupted;

  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function abortError(signal: AbortSignal | undefined, message?: string): AbortError {
  return new AbortError(message, { cause: signal?.reason });
}
