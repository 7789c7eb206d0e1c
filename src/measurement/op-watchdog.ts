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
 * Gives up on an op that runs past its timeout, at a few tens of nanoseconds per op. A timer per
 * op (setTimeout, clearTimeout, Promise.race) cost about 0.7 us per op here, and racing every op
 * against one long-lived promise piles reactions onto it; instead one unref'd interval per
 * watchdog checks the op in flight, and rejects the promise the loop awaits when it is late.
 */
export class OpWatchdog {
  private cancel: ((reason: OpTimeoutError) => void) | undefined;
  private since = 0;
  private readonly interval: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs: number | undefined) {
    if (timeoutMs === undefined) return;
    // A quarter of the timeout, at most 250 ms: a late op is caught between 1 and 1.25 timeouts.
    this.interval = setInterval(() => this.check(), Math.max(1, Math.min(250, timeoutMs / 4)));
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
          resolve(value);
        },
        (error: unknown) => {
          this.cancel = undefined;
          reject(error instanceof Error ? error : new Error(String(error)));
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

  dispose(): void {
    clearInterval(this.interval);
  }
}
