import { warmupGoesOn } from '../measurement/warmup-floor.js';
import type { RunConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import type { OpActivity } from '../instrument/op-activity.js';
import { ChunkMeter } from '../measurement/chunk-meter.js';
import { RecordStore } from '../measurement/record-store.js';
import type { RoundsMember } from '../measurement/rounds.js';
import { corePhases, timesGpu, type Phase } from '../op/phases.js';
import type { Scenario } from './scenario.js';

/**
 * A worker thread that took an op and never answered it, within --op-timeout nor the grace after:
 * no more ops were sent to it. `index` is its op's timeout record (absent during the warm-up).
 */
export interface StuckThread {
  /** worker_threads' threadId of the thread (0 when the op never reached one). */
  readonly threadId: number;
  readonly index?: number;
}

/** How a strategy's warm-up went. */
export interface WarmupDone {
  readonly ops: number;
  /** True when the time budget ended it before the ops --warmup asks for. */
  readonly cutShort: boolean;
  /** How long it took, ms (a thread's warm-up: --warmup's ops, then until --warmup-min). */
  readonly ms?: number;
}

/** What every strategy is given: the run's planned configuration, clock origin and the main thread's device. */
export interface StrategyContext {
  readonly config: RunConfig;
  readonly origin: bigint;
  /** The main thread's device: `main` runs on it; workers open their own. */
  readonly gpu: GpuContext;
}

/**
 * One way of running ops. The rounds scheduler calls start() once, then runChunk() once per
 * round (interleaved with the other strategies), then close(). Records go into `store`; the
 * first op of each worker's life is recorded and marked cold; warm-up ops are not recorded.
 * No strategy throws out of runChunk: an op it could not run is a record with its status.
 */
export interface Strategy extends RoundsMember {
  readonly scenario: Scenario;
  readonly store: RecordStore;
  readonly activity?: ReadonlyMap<number, OpActivity>;
  readonly meter: ChunkMeter;
  /** Summed CPU time of the strategy's worker threads, where Node exposes it (>= 23.9). */
  readonly threadCpuNs: number | undefined;
  /** Set when the device was lost: the scheduler stops running this strategy. */
  readonly lost: string | undefined;
  /** Threads that stopped answering and were sent no more ops (the pool's). */
  readonly stuckThreads?: readonly StuckThread[];
  /** The warm-up start() ran: `ops` of them, and whether the time budget cut it short. */
  readonly warmup?: WarmupDone;
  /**
   * Starts the workers, runs the cold op and the warm-up; the warm-up stops early at
   * `warmupUntilMs` (a Date.now() time: the end of the time budget), and the ops after it are
   * measured all the same.
   */
  start(warmupUntilMs?: number): Promise<void>;
  runChunk(ops: number): Promise<void>;
  close(): Promise<void>;
}

/** The phases each strategy records besides the op's own: a worker's start, the handoff, the exit. */
const PHASES_AROUND: Readonly<Record<Scenario['strategy'], { before: Phase[]; after: Phase[] }>> = {
  main: { before: [], after: [] },
  fresh: { before: ['spawn', 'init'], after: ['handoff', 'teardown'] },
  reused: { before: ['spawn', 'init'], after: ['handoff'] },
  pool: { before: ['init'], after: ['handoff'] },
  persistent: { before: ['spawn', 'init'], after: [] },
};

/** What every strategy has: its store laid out for its phases, its meter, its threads' CPU time. */
export abstract class StrategyBase implements Strategy {
  readonly store: RecordStore;
  /** An op module's activity (calls counted, passes timed), by index in `store`. */
  readonly activity = new Map<number, OpActivity>();
  readonly meter = new ChunkMeter();
  threadCpuNs: number | undefined;
  lost: string | undefined;
  warmup: WarmupDone = { ops: 0, cutShort: false };

  constructor(
    readonly scenario: Scenario,
    protected readonly context: StrategyContext,
  ) {
    const { gpu, config, origin } = context;
    const around = PHASES_AROUND[scenario.strategy];
    const phases = [
      ...around.before,
      ...corePhases(timesGpu(gpu.info, config), config.readback),
      ...around.after,
    ];
    this.store = new RecordStore(phases, origin, 1024, scenario.strategy === 'fresh');
    this.store.everyOpTimed = config.gpuTime?.mode === 'every';
  }

  abstract start(warmupUntilMs?: number): Promise<void>;
  abstract runChunk(ops: number): Promise<void>;
  abstract close(): Promise<void>;

  /** Adds a worker thread's own CPU time, when Node reported it. */
  protected addThreadCpu(ns: number | undefined): void {
    if (ns !== undefined) this.threadCpuNs = (this.threadCpuNs ?? 0) + ns;
  }

  /**
   * Notes the warm-up done: `ops` of the `wanted`, in `ms` where it was timed. It was cut short
   * when it ended early because `untilMs` had come (not because its device or worker was lost).
   */
  protected warmedUp(ops: number, wanted: number, untilMs = Number.POSITIVE_INFINITY, ms?: number): void {
    this.warmup = {
      ops,
      cutShort: ops < wanted && Date.now() >= untilMs,
      ...(ms === undefined ? {} : { ms }),
    };
  }

  /**
   * The warm-up, through `run(ops, untilMs)` (which runs up to `ops` ops and returns how many it
   * ran): --warmup ops, then batches of as many again until it has lasted --warmup-min, or
   * `untilMs` came, or a batch fell short (its device or worker was lost).
   */
  protected async warmUp(
    run: (ops: number, untilMs?: number) => Promise<number>,
    untilMs?: number,
  ): Promise<void> {
    const { warmup, warmupMinMs = 0 } = this.context.config;
    const began = Date.now();
    let done = await run(warmup, untilMs);
    let asked = warmup;
    while (done === asked && warmupGoesOn(warmup, began, Date.now(), warmupMinMs, untilMs)) {
      done += await run(warmup, untilMs);
      asked += warmup;
    }
    this.warmedUp(done, warmup, untilMs, Date.now() - began);
  }

  /** A store like this one's, for ops that are run but not kept (warm-up through a worker). */
  protected scratchStore(): RecordStore {
    return new RecordStore(this.store.phases, this.context.origin, 16, this.store.everyOpCold);
  }
}
