import type { ProfileConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import type { ChunkMeter } from '../measurement/chunk-meter.js';
import type { RecordStore } from '../measurement/record-store.js';
import type { Scenario } from './scenario.js';

/** What every strategy is given: the run's configuration, clock origin and the main thread's device. */
export interface StrategyContext {
  readonly config: ProfileConfig;
  readonly origin: bigint;
  /** The main thread's device: `main` runs on it; workers open their own. */
  readonly gpu: GpuContext;
}

/**
 * One way of running ops. The rounds scheduler calls start() once, then runChunk() once per
 * round (interleaved with the other strategies), then close(). Records go into `store`; the
 * first op of each worker's life is recorded and marked cold; warm-up ops are not recorded.
 */
export interface Strategy {
  readonly scenario: Scenario;
  readonly store: RecordStore;
  readonly meter: ChunkMeter;
  /** Summed CPU time of the strategy's worker threads, where Node exposes it (>= 23.9). */
  readonly threadCpuNs: number | undefined;
  /** Set when the device was lost: the scheduler stops running this strategy. */
  readonly lost: string | undefined;
  start(): Promise<void>;
  runChunk(ops: number): Promise<void>;
  close(): Promise<void>;
}
