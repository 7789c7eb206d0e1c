import { BroadcastChannel, threadId } from 'node:worker_threads';

/**
 * The threads of one traced process, so that its workers can flush their logs before the process
 * dies of a signal: a process killed so runs no 'exit' listener, and a worker logs to its file
 * only every 100 ms. The preload in each worker says on a BroadcastChannel when it starts and
 * exits, and answers the main thread's flush request once it has flushed.
 */
const CHANNEL = 'wgprof.trace.flush';

type FlushMessage =
  | { readonly kind: 'started' | 'exited' | 'flushed'; readonly threadId: number }
  /** `final`: the process dies once its workers have answered; they log nothing after (it would be half). */
  | { readonly kind: 'flush'; readonly final: boolean };

function isFlushMessage(data: unknown): data is FlushMessage {
  return typeof data === 'object' && data !== null && 'kind' in data;
}

/** In a worker: `flush(final)` whenever the main thread asks. The channel keeps no thread alive. */
export function answerFlushes(flush: (final: boolean) => void): void {
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  const say = (kind: 'started' | 'exited' | 'flushed'): void => {
    channel.postMessage({ kind, threadId } satisfies FlushMessage);
  };
  channel.onmessage = (event: MessageEvent) => {
    if (!isFlushMessage(event.data) || event.data.kind !== 'flush') return;
    flush(event.data.final);
    say('flushed');
  };
  say('started');
  process.on('exit', () => {
    say('exited');
    channel.close();
  });
}

/** In the main thread: the process's workers that run the preload, and their flushes. */
export class WorkerFlushes {
  private readonly channel = new BroadcastChannel(CHANNEL);
  private readonly alive = new Set<number>();
  private pending: { readonly left: Set<number>; readonly done: () => void } | undefined;

  constructor() {
    this.channel.unref();
    this.channel.onmessage = (event: MessageEvent) => {
      if (!isFlushMessage(event.data) || event.data.kind === 'flush') return;
      const { kind, threadId: id } = event.data;
      if (kind === 'started') this.alive.add(id);
      else this.alive.delete(id);
      if (kind !== 'started' && this.pending?.left.delete(id) && this.pending.left.size === 0)
        this.pending.done();
    };
  }

  /**
   * Asks every worker to flush (`final`: for the last time, the process is about to die);
   * resolves once each has (or exited), or after `timeoutMs` (a worker stuck in a long call).
   */
  flushAll(final: boolean, timeoutMs: number): Promise<void> {
    if (this.alive.size === 0) return Promise.resolve();
    this.channel.postMessage({ kind: 'flush', final } satisfies FlushMessage);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.pending = { left: new Set(this.alive), done };
    });
  }
}
