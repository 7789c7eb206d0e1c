import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RunConfig } from '../config/profile-config.js';
import { timerDelay } from '../config/size.js';
import type { HandoffMode } from '../config/strategy-names.js';
import { messageOf } from '../errors.js';
import type { OpWorkerData, WorkerRequest, WorkerResponse, WorkerRole } from '../worker/protocol.js';

/**
 * Workers always run the compiled JavaScript, bundled into one file (scripts/bundle-workers.mjs:
 * a fresh worker loads its code on every op): dist/ sits two levels above this file both as
 * src/strategies/*.ts (under vitest) and as dist/strategies/*.js.
 */
export const OP_WORKER_FILE = fileURLToPath(
  new URL('../../dist/worker/op-worker.bundle.js', import.meta.url),
);

/** A worker's start, on the shared clock: construction, first instruction, device ready. */
export interface WorkerLife {
  readonly constructedAt: bigint;
  readonly startedAt: bigint;
  readonly readyAt: bigint;
  /** Of init: loading dawn.node (the dynamic import), ns. */
  readonly loadNs: number;
}

/** A worker that could not be started: the op that needed it is recorded as failed with this message. */
export class WorkerCrash extends Error {}

/**
 * What stands in for a worker's answer when none came: it timed out, or the worker is gone
 * (crashed or exited). A strategy records it as the op's status and message.
 */
export interface NoAnswer {
  readonly type: 'no-answer';
  readonly status: 'failed' | 'timeout';
  readonly message: string;
}

/** The NoAnswer of a worker that did not answer within --op-timeout. */
export function timedOut(timeoutMs: number): NoAnswer {
  return {
    type: 'no-answer',
    status: 'timeout',
    message: `no answer from the worker within ${timeoutMs} ms (--op-timeout)`,
  };
}

/**
 * The main thread's side of one op worker: typed messages in order, timeouts, and an end that
 * never calls terminate(). A worker that does not answer in time is abandoned (unref'd) rather
 * than killed, because terminating it inside a dawn.node call would abort the whole process.
 */
export class OpWorkerHandle {
  private readonly inbox: WorkerResponse[] = [];
  private waiter: ((message: WorkerResponse | Error) => void) | undefined;
  private failure: string | undefined;
  private exited: Promise<bigint>;
  private exitedAt: bigint | undefined;
  life: WorkerLife | undefined;
  /** Kept from the start: Worker.threadId reads -1 once the thread has exited. */
  readonly threadId: number;

  private constructor(
    readonly worker: Worker,
    readonly constructedAt: bigint,
  ) {
    this.threadId = worker.threadId;
    worker.on('message', (message: WorkerResponse) => {
      this.deliver(message);
    });
    worker.on('error', (error: unknown) => {
      this.failure = `worker crashed: ${messageOf(error)}`;
    });
    this.exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.exitedAt = process.hrtime.bigint();
        this.failure ??= `worker exited with code ${code}`;
        this.deliver(new WorkerCrash(this.failure));
        resolve(this.exitedAt);
      });
    });
  }

  /** Starts a worker; with `waitReady`, resolves once its device is open (or rejects). */
  static async spawn(
    role: WorkerRole,
    config: RunConfig,
    origin: bigint,
    handoff: HandoffMode,
    timeoutMs: number,
    extra: Pick<OpWorkerData, 'shared' | 'errorPort' | 'timed' | 'faultFlag'> = {},
  ): Promise<OpWorkerHandle> {
    const data: OpWorkerData = { role, config, handoff, origin, ...extra };
    const transfer = extra.errorPort ? [extra.errorPort] : [];
    const constructedAt = process.hrtime.bigint();
    const handle = new OpWorkerHandle(
      new Worker(OP_WORKER_FILE, { workerData: data, transferList: transfer }),
      constructedAt,
    );
    const ready = await handle.next(timeoutMs);
    if (ready.type === 'no-answer') {
      if (ready.status === 'timeout') handle.abandon();
      throw new WorkerCrash(
        ready.status === 'timeout' ? `worker did not open its device within ${timeoutMs} ms` : ready.message,
      );
    }
    if (ready.type === 'fatal') throw new WorkerCrash(ready.message);
    if (ready.type !== 'ready') throw new WorkerCrash(`worker said '${ready.type}' before 'ready'`);
    handle.life = { constructedAt, startedAt: ready.startedAt, readyAt: ready.readyAt, loadNs: ready.loadNs };
    return handle;
  }

  private deliver(message: WorkerResponse | Error): void {
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter(message);
    } else if (!(message instanceof Error)) {
      this.inbox.push(message);
    }
  }

  get crashed(): string | undefined {
    return this.exitedAt === undefined ? undefined : this.failure;
  }

  /** The next message, or a NoAnswer once `timeoutMs` has passed or the worker is gone. */
  next(timeoutMs: number): Promise<WorkerResponse | NoAnswer> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.exitedAt !== undefined) return Promise.resolve(this.gone());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(timedOut(timeoutMs));
      }, timerDelay(timeoutMs));
      this.waiter = (message) => {
        clearTimeout(timer);
        resolve(message instanceof Error ? this.gone() : message);
      };
    });
  }

  private gone(): NoAnswer {
    return { type: 'no-answer', status: 'failed', message: this.failure ?? 'the worker has exited' };
  }

  send(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }

  async request(request: WorkerRequest, timeoutMs: number): Promise<WorkerResponse | NoAnswer> {
    this.send(request);
    return this.next(timeoutMs);
  }

  /** Resolves with the exit time once the thread has ended by itself, or undefined on timeout. */
  waitExit(timeoutMs: number): Promise<bigint | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        resolve(undefined);
      }, timerDelay(timeoutMs));
    });
    return Promise.race([this.exited, timeout]).finally(() => {
      clearTimeout(timer);
    });
  }

  /**
   * Asks the worker to close its device and waits for it to end by itself. Returns the close's
   * duration inside the worker and the thread's CPU time if Node reports it; abandons the worker
   * if it does not finish in time.
   */
  async close(
    timeoutMs: number,
    beforeSend?: () => void,
  ): Promise<{ closeNs: number; threadCpuNs?: number; exitedAt?: bigint }> {
    if (this.exitedAt !== undefined) return { closeNs: NaN, exitedAt: this.exitedAt };
    this.send({ type: 'close' });
    beforeSend?.();
    const answer = await this.next(timeoutMs);
    if (answer.type === 'no-answer' && answer.status === 'failed') return { closeNs: NaN };
    const exitedAt = await this.waitExit(timeoutMs);
    if (answer.type === 'no-answer' || exitedAt === undefined) {
      this.abandon();
      return { closeNs: NaN };
    }
    if (answer.type !== 'closed') return { closeNs: NaN, exitedAt };
    return {
      closeNs: answer.closeNs,
      exitedAt,
      ...(answer.threadCpuNs === undefined ? {} : { threadCpuNs: answer.threadCpuNs }),
    };
  }

  /** Lets the process end without this worker, which may be stuck in a GPU call: never terminate(). */
  abandon(): void {
    this.worker.unref();
  }
}
