import { fileURLToPath, pathToFileURL } from 'node:url';
import { messageOf } from '../errors.js';

/** An op that ran past --op-timeout: the GPU (or the op) never answered. */
export class OpTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(
      `an op did not finish within ${timeoutMs} ms (--op-timeout); a GPU queue that does not finish ` +
        'takes no more work, so the device was abandoned',
    );
  }
}

/**
 * How long an op past its timeout is given to finish after all, before its GPU is taken to have
 * stopped: an op that finishes in that time was only slower than --op-timeout (a timeout the user
 * set short), and its device is kept; one that does not is hung, and its device abandoned.
 */
export const LATE_OP_GRACE_MS = 1000;

/** How often a watchdog looks at the op in flight: a late op is caught within a timeout and this. */
export function watchdogCheckMs(timeoutMs: number): number {
  // A quarter of the timeout, at most 250 ms: a late op is caught between 1 and 1.25 timeouts.
  return Math.max(1, Math.min(250, timeoutMs / 4));
}

/** An op that ran past --op-timeout but finished within the grace after it: slow, not hung. */
export function slowOpMessage(timeoutMs: number, tookNs: number): string {
  return (
    `an op took longer than --op-timeout (${timeoutMs} ms): it finished after ${(tookNs / 1e6).toPrecision(3)} ms, ` +
    "so the GPU had not stopped; raise --op-timeout above the op's own time"
  );
}

/**
 * Resolves with the ns from `start` to when `op` settles, if it settles within `graceMs`; with
 * undefined if it is still running then.
 */
export async function settledWithin(
  op: Promise<unknown>,
  start: bigint,
  graceMs: number,
): Promise<number | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const ended = (): bigint => process.hrtime.bigint();
  const settled = op.then(ended, ended);
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, graceMs, undefined);
  });
  try {
    const at = await Promise.race([settled, late]);
    return at === undefined ? undefined : Number(at - start);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Gives up on an op that runs past its timeout, at a few tens of nanoseconds per op. A timer per
 * op (setTimeout, clearTimeout, Promise.race) cost about 0.7 us per op here, and racing every op
 * against one long-lived promise piles reactions onto it; instead one unref'd interval per
 * watchdog checks the op in flight, and rejects the promise the loop awaits when it is late.
 */
/** wgprof's own folder (dist/ or src/, whichever runs), to tell its frames from the op's. */
const OWN_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Whether the innermost frame of `error`'s stack is in wgprof's own code. */
export function thrownByWgprof(error: Error): boolean {
  const frame = (error.stack ?? '').split('\n').find((line) => line.trimStart().startsWith('at '));
  if (frame === undefined) return false;
  return frame.includes(OWN_ROOT) || frame.includes(pathToFileURL(OWN_ROOT).href);
}

/** The watchdogs alive in this thread, for failOpsInFlight. */
const alive = new Set<OpWatchdog>();

/**
 * Fails the op each watchdog of this thread is waiting on with `error` (an exception thrown from
 * one of the op's own callbacks, which no await of the op can catch); returns whether any was
 * in flight (or, between two ops, it fails the next). The measuring process calls it from its
 * uncaughtException handler, so that an op whose code throws asynchronously on the main thread
 * is a failed record, as it is in a worker.
 */
export function failOpsInFlight(error: Error): boolean {
  let failed = false;
  for (const watchdog of alive) failed = watchdog.fail(error) || failed;
  return failed;
}

export class OpWatchdog {
  private cancel: ((reason: Error) => void) | undefined;
  private since = 0;
  private readonly interval: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs: number | undefined) {
    if (timeoutMs === undefined) return;
    alive.add(this);
    this.interval = setInterval(() => this.check(), watchdogCheckMs(timeoutMs));
    this.interval.unref();
  }

  /** `op`, or an OpTimeoutError once it has run past the timeout (the op is left to its fate). */
  watch<T>(op: Promise<T>): Promise<T> {
    if (this.timeoutMs === undefined) return op;
    this.since = Date.now();
    return new Promise<T>((resolve, reject) => {
      this.cancel = reject;
      op.then(
        (value) => {
          this.cancel = undefined;
          const stray = this.stray;
          this.stray = undefined;
          if (stray) reject(stray);
          else resolve(value);
        },
        (error: unknown) => {
          this.cancel = undefined;
          reject(error instanceof Error ? error : new Error(messageOf(error)));
        },
      );
    });
  }

  private check(): void {
    const cancel = this.cancel;
    if (!cancel || this.timeoutMs === undefined || Date.now() - this.since <= this.timeoutMs) return;
    this.cancel = undefined;
    cancel(new OpTimeoutError(this.timeoutMs));
  }

  /**
   * Set while the runner warms up: a warm-up op's failure is dropped, and so is an exception its
   * callbacks throw between two warm-up ops.
   */
  warmingUp = false;

  /** An exception of the op's callbacks that came while no op was in flight: fails the next op. */
  private stray: Error | undefined;

  /**
   * Rejects the op in flight with `error`. With none in flight (the op's callback threw after
   * its op was already failed, or between two ops), the next op fails with it: the exception is
   * the op's, and its measuring process goes on.
   */
  fail(error: Error): boolean {
    const cancel = this.cancel;
    if (!cancel) {
      // Thrown from wgprof's own code, it is wgprof's fault, not the op's: fatal, as before.
      if (thrownByWgprof(error)) return false;
      if (!this.warmingUp) this.stray ??= error;
      return true;
    }
    this.cancel = undefined;
    cancel(error);
    return true;
  }

  dispose(): void {
    clearInterval(this.interval);
    alive.delete(this);
  }
}
