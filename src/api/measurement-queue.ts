import { abortError } from './abort-error.js';

/**
 * One measurement at a time in a process. Two `profile()` calls at once would run their measuring
 * processes side by side, each measuring the other's load, and neither result would say so:
 * a call made while another is measuring waits for it (in the order they were made) and its
 * result says how long it waited. An abort while waiting leaves the queue at once.
 */
let tail: Promise<void> = Promise.resolve();

export interface Turn {
  /** How long the call waited for the measurements before it, ms (0 when none was running). */
  readonly waitedMs: number;
  /** How many measurements were ahead of it when it was made. */
  readonly behind: number;
  /** Lets the next call in. */
  readonly done: () => void;
}

let waiting = 0;

/**
 * Resolves when every measurement asked for before has ended.
 * @throws AbortError when `signal` aborts first (the queue goes on without this call).
 */
export function takeTurn(signal?: AbortSignal): Promise<Turn> {
  const before = tail;
  let done!: () => void;
  const mine = new Promise<void>((resolve) => {
    done = resolve;
  });
  tail = before.then(() => mine);
  const behind = waiting++;
  const askedAt = performance.now();
  return new Promise<Turn>((resolve, reject) => {
    const onAbort = (): void => {
      waiting--;
      // Its place in the queue is passed on as soon as the calls before it end.
      void before.then(done);
      reject(abortError(signal));
    };
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    void before.then(() => {
      if (signal?.aborted) return;
      signal?.removeEventListener('abort', onAbort);
      let ended = false;
      resolve({
        waitedMs: performance.now() - askedAt,
        behind,
        done: () => {
          if (ended) return;
          ended = true;
          waiting--;
          done();
        },
      });
    });
  });
}
