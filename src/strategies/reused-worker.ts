import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { messageOf } from '../errors.js';
import { ChunkMeter } from '../measurement/chunk-meter.js';
import { RecordStore } from '../measurement/record-store.js';
import { corePhases, type Phase } from '../op/phases.js';
import { CONTROL, controlViews, SHARED_BYTES, STATE, type ResponseMessage } from '../worker/protocol.js';
import { OpWorkerHandle, WorkerCrash } from './op-worker-handle.js';
import type { Scenario } from './scenario.js';
import type { Strategy, StrategyContext } from './strategy.js';
import { assignGpuTimes, coldStartOf, recordLostOp, recordWorkerOp } from './worker-records.js';

type OpReply = Extract<ResponseMessage, { type: 'op' }>;

/**
 * One long-lived worker with its own device; the main thread hands it one op at a time and
 * waits for the answer, by postMessage or through shared memory with Atomics.wait/notify. A
 * worker that crashes is replaced (its op recorded as failed); one that hangs is abandoned.
 */
export class ReusedWorkerStrategy implements Strategy {
  readonly store: RecordStore;
  readonly meter = new ChunkMeter();
  threadCpuNs: number | undefined;
  lost: string | undefined;
  private handle: OpWorkerHandle | undefined;
  private cold = false;
  private nextId = 0;
  private readonly idToIndex = new Map<number, number>();
  private shared: SharedArrayBuffer | undefined;
  private errorPort: MessagePort | undefined;

  constructor(
    readonly scenario: Scenario,
    private readonly context: StrategyContext,
  ) {
    const { gpu, config, origin } = context;
    const phases = [
      'spawn',
      'init',
      ...corePhases(gpu.info.timestamps, config.readback),
      'handoff',
    ] as Phase[];
    this.store = new RecordStore(phases, origin);
  }

  private get atomics(): boolean {
    return this.scenario.handoff === 'atomics';
  }

  private async spawn(): Promise<OpWorkerHandle> {
    const { config, origin } = this.context;
    let extra = {};
    if (this.atomics) {
      this.shared = new SharedArrayBuffer(SHARED_BYTES);
      const channel = new MessageChannel();
      this.errorPort = channel.port1;
      extra = { shared: this.shared, errorPort: channel.port2 };
    }
    this.handle = await OpWorkerHandle.spawn(
      'reused',
      config,
      origin,
      this.scenario.handoff ?? 'message',
      config.opTimeoutMs,
      extra,
    );
    this.cold = true;
    return this.handle;
  }

  async start(): Promise<void> {
    await this.spawn();
    await this.runOps(1, this.store);
    const scratch = new RecordStore(this.store.phases, this.context.origin);
    await this.runOps(this.context.config.warmup, scratch);
  }

  async runChunk(ops: number): Promise<void> {
    await this.meter.measure(() => this.runOps(ops, this.store));
    await this.collectGpuTimes();
  }

  private async runOps(ops: number, store: RecordStore): Promise<void> {
    for (let k = 0; k < ops; k++) {
      const handle = this.handle ?? (await this.spawnOrRecord(store));
      if (!handle) continue;
      const id = this.nextId++;
      const cold = this.cold && handle.life ? coldStartOf(handle.life) : undefined;
      this.cold = false;
      const requestedAt = process.hrtime.bigint();
      let outcome = this.atomics ? this.opByAtomics(handle, id) : await this.opByMessage(handle, id);
      const answeredAt = process.hrtime.bigint();
      if (this.atomics && typeof outcome === 'string' && !handle.crashed) {
        // The blocked main thread could not see a crash: give the worker's exit event a turn.
        await new Promise((resolve) => setTimeout(resolve, 20));
        outcome = handle.crashed ?? outcome;
      }
      if (typeof outcome === 'string') {
        // The worker is gone or stuck: record the op, drop the worker, and start another next time.
        const timedOut = outcome.startsWith('timeout');
        if (!timedOut) this.errorPort?.close();
        recordLostOp(store, requestedAt, timedOut ? 'timeout' : 'failed', outcome);
        if (timedOut) handle.abandon();
        this.handle = undefined;
        continue;
      }
      const index = recordWorkerOp(store, requestedAt, answeredAt, outcome, handle.threadId, cold);
      if (store === this.store) this.idToIndex.set(id, index);
    }
  }

  private async spawnOrRecord(store: RecordStore): Promise<OpWorkerHandle | undefined> {
    const at = process.hrtime.bigint();
    try {
      return await this.spawn();
    } catch (error) {
      recordLostOp(store, at, 'failed', `cannot start a replacement worker: ${messageOf(error)}`);
      return undefined;
    }
  }

  private async opByMessage(handle: OpWorkerHandle, id: number): Promise<OpReply | string> {
    try {
      const reply = await handle.request({ type: 'op', id }, this.context.config.opTimeoutMs);
      if (reply === 'timeout') return `timeout: no answer within ${this.context.config.opTimeoutMs} ms`;
      if (reply.type !== 'op') return `worker answered '${reply.type}' to an op`;
      return reply;
    } catch (error) {
      return error instanceof WorkerCrash ? error.message : messageOf(error);
    }
  }

  /** Blocks the main thread in Atomics.wait: the raw handoff, with nothing else on the way. */
  private opByAtomics(handle: OpWorkerHandle, id: number): OpReply | string {
    if (!this.shared || !this.errorPort) return 'atomics handoff without a shared block';
    const { ints, bigs, floats } = controlViews(this.shared);
    Atomics.store(ints, CONTROL.id, id);
    Atomics.store(ints, CONTROL.state, STATE.op);
    Atomics.notify(ints, CONTROL.state);
    const waited = Atomics.wait(ints, CONTROL.state, STATE.op, this.context.config.opTimeoutMs);
    if (waited === 'timed-out')
      return handle.crashed ?? `timeout: no answer within ${this.context.config.opTimeoutMs} ms`;
    const state = Atomics.load(ints, CONTROL.state);
    Atomics.store(ints, CONTROL.state, STATE.idle);
    const [receivedAt = 0n, start = 0n, sentAt = 0n] = bigs;
    if (state === STATE.failed) {
      const error = receiveMessageOnPort(this.errorPort)?.message as string | undefined;
      return { type: 'op', id, receivedAt, sentAt, error: error ?? 'op failed' };
    }
    const [creation = NaN, kernelCpu = NaN, sync = NaN, readback = NaN, total = NaN] = floats;
    return {
      type: 'op',
      id,
      receivedAt,
      sentAt,
      timing: { start, creation, kernelCpu, sync, readback, total },
    };
  }

  /** Asks the worker for the GPU times of the ops it ran, between chunks (untimed). */
  private async collectGpuTimes(): Promise<void> {
    const handle = this.handle;
    if (!handle || !this.store.has('kernelGpu')) return;
    handle.send({ type: 'flush' });
    this.wakeForMessage();
    const reply = await handle.next(this.context.config.opTimeoutMs).catch(() => 'timeout' as const);
    if (reply !== 'timeout' && reply.type === 'gpu-times')
      assignGpuTimes(this.store, this.idToIndex, reply.ids, reply.ns);
  }

  /** In atomics mode the worker sleeps in Atomics.wait: tell it a message is waiting. */
  private wakeForMessage(): void {
    if (!this.atomics || !this.shared) return;
    const { ints } = controlViews(this.shared);
    Atomics.store(ints, CONTROL.state, STATE.message);
    Atomics.notify(ints, CONTROL.state);
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (!handle) return;
    const closed = await handle.close(this.context.config.opTimeoutMs, () => {
      this.wakeForMessage();
    });
    this.errorPort?.close();
    if (closed.threadCpuNs !== undefined) this.threadCpuNs = (this.threadCpuNs ?? 0) + closed.threadCpuNs;
  }
}
