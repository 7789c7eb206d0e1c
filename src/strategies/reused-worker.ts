import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { timerDelay } from '../config/size.js';
import { messageOf } from '../errors.js';
import { readRow, type RecordStore } from '../measurement/record-store.js';
import { newFaultFlag } from '../op/fault-flag.js';
import {
  CONTROL,
  controlViews,
  HANDOFF_TIME,
  SHARED_BYTES,
  STATE,
  type OpAnswer,
} from '../worker/protocol.js';
import { OpWorkerHandle, timedOut, type NoAnswer } from './op-worker-handle.js';
import { StrategyBase } from './strategy.js';
import { assignGpuTimes, coldStartOf, recordAnswer } from './worker-records.js';

/**
 * One long-lived worker with its own device; the main thread hands it one op at a time and
 * waits for the answer, by postMessage or through shared memory with Atomics.wait/notify. A
 * worker that crashes or hangs is replaced (its op recorded as failed or timed out; a hung one
 * is abandoned, never terminated); a lost device ends the scenario.
 */
export class ReusedWorkerStrategy extends StrategyBase {
  private handle: OpWorkerHandle | undefined;
  private cold = false;
  private nextId = 0;
  private readonly idToIndex = new Map<number, number>();
  private shared: SharedArrayBuffer | undefined;
  private errorPort: MessagePort | undefined;
  /** Shared with every worker this strategy starts: a replacement leaves a fault that fired alone. */
  private readonly faultFlag = newFaultFlag();

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
    extra = { ...extra, faultFlag: this.faultFlag };
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

  async start(warmupUntilMs?: number): Promise<void> {
    await this.spawn();
    await this.runOps(1, this.store);
    const scratch = this.scratchStore();
    await this.warmUp((ops, untilMs) => this.runOps(ops, scratch, untilMs), warmupUntilMs);
  }

  async runChunk(ops: number): Promise<void> {
    await this.meter.measure(() => this.runOps(ops, this.store));
    await this.collectGpuTimes();
  }

  /** Runs `ops` ops, one after another, or fewer if `untilMs` (a Date.now() time) comes first; returns how many. */
  private async runOps(ops: number, store: RecordStore, untilMs = Number.POSITIVE_INFINITY): Promise<number> {
    let k = 0;
    for (; k < ops && !this.lost && Date.now() < untilMs; k++) {
      const handle = this.handle ?? (await this.spawnOrRecord(store));
      if (!handle) continue;
      const id = this.nextId++;
      const cold = this.cold && handle.life ? coldStartOf(handle.life) : undefined;
      this.cold = false;
      // Ops into a scratch store are the warm-up's: the worker's plan of timed ops counts them apart.
      const warmUp = store !== this.store;
      const requestedAt = process.hrtime.bigint();
      let answer = this.atomics
        ? this.opByAtomics(handle, id, warmUp)
        : await this.opByMessage(handle, id, warmUp);
      const answeredAt = process.hrtime.bigint();
      if (this.atomics && answer.type === 'no-answer' && !handle.crashed) {
        // The blocked main thread could not see a crash: give the worker's exit event a turn.
        await new Promise((resolve) => setTimeout(resolve, 20));
        const crashed = handle.crashed;
        if (crashed) answer = { type: 'no-answer', status: 'failed', message: crashed };
      }
      if (answer.type === 'no-answer') {
        // The worker is gone or stuck: record the op, drop the worker, and start another next time.
        const i = store.appendFailure(cold?.start ?? requestedAt, answer.status, answer.message);
        if (cold) store.markCold(i);
        if (answer.status === 'timeout') handle.abandon();
        else this.errorPort?.close();
        this.handle = undefined;
        continue;
      }
      const index = recordAnswer(store, answer, requestedAt, answeredAt, cold);
      if (store === this.store) this.idToIndex.set(id, index);
      if (answer.record.status === 'lost') this.lost = answer.record.message ?? 'the device was lost';
    }
    return k;
  }

  private async spawnOrRecord(store: RecordStore): Promise<OpWorkerHandle | undefined> {
    const at = process.hrtime.bigint();
    try {
      return await this.spawn();
    } catch (error) {
      store.appendFailure(at, 'failed', `cannot start a replacement worker: ${messageOf(error)}`);
      return undefined;
    }
  }

  private async opByMessage(
    handle: OpWorkerHandle,
    id: number,
    warmUp: boolean,
  ): Promise<OpAnswer | NoAnswer> {
    const request = { type: 'op', id, ...(warmUp ? { warmUp } : {}) } as const;
    const reply = await handle.request(request, this.context.config.opTimeoutMs);
    if (reply.type === 'op' || reply.type === 'no-answer') return reply;
    return { type: 'no-answer', status: 'failed', message: `the worker answered '${reply.type}' to an op` };
  }

  /** Blocks the main thread in Atomics.wait: the raw handoff, with nothing else on the way. */
  private opByAtomics(handle: OpWorkerHandle, id: number, warmUp: boolean): OpAnswer | NoAnswer {
    if (!this.shared || !this.errorPort)
      return { type: 'no-answer', status: 'failed', message: 'atomics handoff without a shared block' };
    const { ints, times, row } = controlViews(this.shared);
    Atomics.store(ints, CONTROL.id, id);
    Atomics.store(ints, CONTROL.warmUp, warmUp ? 1 : 0);
    Atomics.store(ints, CONTROL.state, STATE.op);
    Atomics.notify(ints, CONTROL.state);
    const { opTimeoutMs } = this.context.config;
    if (Atomics.wait(ints, CONTROL.state, STATE.op, timerDelay(opTimeoutMs)) === 'timed-out') {
      const crashed = handle.crashed;
      return crashed ? { type: 'no-answer', status: 'failed', message: crashed } : timedOut(opTimeoutMs);
    }
    const state = Atomics.load(ints, CONTROL.state);
    Atomics.store(ints, CONTROL.state, STATE.idle);
    const message =
      state === STATE.failed
        ? ((receiveMessageOnPort(this.errorPort)?.message as string | undefined) ?? 'op failed')
        : undefined;
    return {
      type: 'op',
      id,
      receivedAt: times[HANDOFF_TIME.receivedAt] ?? 0n,
      sentAt: times[HANDOFF_TIME.sentAt] ?? 0n,
      record: readRow(row, message),
    };
  }

  /** Asks the worker for the GPU times of the ops it ran, between chunks (untimed). */
  private async collectGpuTimes(): Promise<void> {
    const handle = this.handle;
    if (!handle || !this.store.has('kernelGpu')) return;
    handle.send({ type: 'flush' });
    this.wakeForMessage();
    const reply = await handle.next(this.context.config.opTimeoutMs);
    if (reply.type === 'gpu-times') assignGpuTimes(this.store, this.idToIndex, reply, this.activity);
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
    this.addThreadCpu(closed.threadCpuNs);
  }
}
