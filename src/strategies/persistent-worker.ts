import { ChunkMeter } from '../measurement/chunk-meter.js';
import { RecordStore } from '../measurement/record-store.js';
import { corePhases, type Phase } from '../op/phases.js';
import { OpWorkerHandle } from './op-worker-handle.js';
import type { Scenario } from './scenario.js';
import type { Strategy, StrategyContext } from './strategy.js';

/**
 * One worker runs the op loop itself, as the seed's persistent worker does: the main thread
 * asks for a chunk of ops and gets their records back in one batch (typed arrays, transferred).
 * Per-op records carry no handoff: there is none per op, only one per batch.
 */
export class PersistentWorkerStrategy implements Strategy {
  readonly store: RecordStore;
  readonly meter = new ChunkMeter();
  threadCpuNs: number | undefined;
  lost: string | undefined;
  private handle: OpWorkerHandle | undefined;

  constructor(
    readonly scenario: Scenario,
    private readonly context: StrategyContext,
  ) {
    const { gpu, config, origin } = context;
    this.store = new RecordStore(
      ['spawn', 'init', ...corePhases(gpu.info.timestamps, config.readback)] as Phase[],
      origin,
    );
  }

  async start(): Promise<void> {
    const { config, origin } = this.context;
    this.handle = await OpWorkerHandle.spawn('persistent', config, origin, 'message', config.opTimeoutMs);
    const life = this.handle.life;
    const first = this.store.count;
    await this.loop(1, 0);
    if (life && this.store.count > first) {
      // As for every worker's cold op, the record spans from the Worker constructor to the op's end.
      const spawn = Number(life.startedAt - life.constructedAt);
      const init = Number(life.readyAt - life.startedAt);
      const opStart = this.store.startsNs[first] ?? 0;
      this.store.markCold(first);
      this.store.set('spawn', first, spawn);
      this.store.set('init', first, init);
      this.store.setStart(first, life.constructedAt);
      this.store.setTotal(
        first,
        opStart + this.store.total(first) - Number(life.constructedAt - this.store.origin),
      );
    }
    await this.loop(0, config.warmup);
  }

  async runChunk(ops: number): Promise<void> {
    await this.meter.measure(() => this.loop(ops, 0));
  }

  private async loop(ops: number, warmup: number): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new Error('persistent strategy used before start()');
    // A whole chunk runs before the answer: allow each op its timeout.
    const timeoutMs = this.context.config.opTimeoutMs * Math.max(1, ops + warmup);
    const reply = await handle.request({ type: 'loop', ops, warmup }, timeoutMs);
    if (reply === 'timeout') {
      handle.abandon();
      this.handle = undefined;
      throw new Error(`the persistent worker did not finish ${ops} ops in ${timeoutMs} ms`);
    }
    if (reply.type !== 'batch') throw new Error(`the persistent worker answered '${reply.type}' to a loop`);
    this.store.appendBatch(reply.batch);
    this.lost ??= reply.deviceLost;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (!handle) return;
    const closed = await handle.close(this.context.config.opTimeoutMs);
    if (closed.threadCpuNs !== undefined) this.threadCpuNs = (this.threadCpuNs ?? 0) + closed.threadCpuNs;
  }
}
