import { corePhases } from '../op/phases.js';
import type { Op } from '../op/op.js';
import { bootstrapMedianCi, bootstrapRatioCi, median, sortedCopy } from '../statistics/index.js';
import { RecordStore } from './record-store.js';
import { appendReadings, newReadings, runBare, timeOp } from './time-op.js';

/** What wgprof's own recording adds to every op, measured on an op that does nothing. */
export interface RecordingCost {
  /** Median over paired blocks of (recorded - bare) time per op, ns. */
  readonly addedNs: number;
  /** 95% CI of `addedNs` (bootstrap of the median of the paired differences), ns. */
  readonly addedCi: { readonly low: number; readonly high: number; readonly level: number };
  /** Median time per op with the recording, ns. */
  readonly recordedNs: number;
  /** Median time per op of the same loop without it, ns. */
  readonly bareNs: number;
  /** recordedNs / bareNs with its 95% CI (bootstrap of the ratio of medians). */
  readonly ratio: { readonly estimate: number; readonly low: number; readonly high: number };
  /** Blocks per arm, each timed as a whole and divided by its ops: one sample each. */
  readonly blocks: number;
  readonly opsPerBlock: number;
}

export interface RecordingCostOptions {
  /** Timed blocks per arm; default 30. */
  readonly blocks?: number;
  /** Ops per block; default 400 (a block of bare no-ops lasts tens of microseconds). */
  readonly opsPerBlock?: number;
}

/**
 * An op that does nothing, behind one await where an op's sync phase awaits the GPU: the
 * already-settled promise costs what an already-settled GPU promise costs.
 */
const NOTHING: Op = {
  readsBack: false,
  create: () => undefined,
  dispatch: () => undefined,
  sync: () => Promise.resolve(),
  readBack: () => Promise.resolve(undefined),
  release: () => undefined,
  dispose: () => undefined,
};

/** The op runner's own timing (timeOp) and append, as every recorded op has them. */
async function recordedBlock(ops: number, readings: Float64Array, store: RecordStore): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) appendReadings(store, await timeOp(NOTHING, readings), readings, 0);
  return Number(process.hrtime.bigint() - start) / ops;
}

/** The same op with the same calls and awaits and nothing recorded (runBare). */
async function bareBlock(ops: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await runBare(NOTHING);
  return Number(process.hrtime.bigint() - start) / ops;
}

/**
 * Measures what wgprof's per-op recording costs (the clock readings around each phase and the
 * append to a RecordStore laid out as the main thread's, with GPU timestamps) on a CPU op that
 * does nothing but await. Blocks with and without recording alternate, starting with the other
 * arm every time, so that drift and JIT tiers fall on both; each pair of blocks gives one
 * difference per op, and the result is their median with a bootstrap CI. Needs no GPU; with the
 * defaults it takes about 20-40 ms on a 2-core VM (a few warm-up blocks included).
 */
export async function measureRecordingCost(options: RecordingCostOptions = {}): Promise<RecordingCost> {
  const blocks = options.blocks ?? 30;
  const opsPerBlock = options.opsPerBlock ?? 400;
  if (!Number.isSafeInteger(blocks) || blocks < 2)
    throw new RangeError(`measureRecordingCost: blocks must be an integer >= 2, got ${blocks}`);
  if (!Number.isSafeInteger(opsPerBlock) || opsPerBlock < 1)
    throw new RangeError(`measureRecordingCost: opsPerBlock must be a positive integer, got ${opsPerBlock}`);
  const readings = newReadings();
  const store = new RecordStore(corePhases(true, false), process.hrtime.bigint());
  // Warm-up: let both loops reach the optimising compiler before anything counts.
  for (let b = 0; b < 3; b++) {
    await recordedBlock(opsPerBlock, readings, store);
    await bareBlock(opsPerBlock);
  }
  const recorded = new Float64Array(blocks);
  const bare = new Float64Array(blocks);
  const added = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    if (b % 2 === 0) {
      recorded[b] = await recordedBlock(opsPerBlock, readings, store);
      bare[b] = await bareBlock(opsPerBlock);
    } else {
      bare[b] = await bareBlock(opsPerBlock);
      recorded[b] = await recordedBlock(opsPerBlock, readings, store);
    }
    added[b] = (recorded[b] ?? NaN) - (bare[b] ?? NaN);
  }
  const addedCi = bootstrapMedianCi(sortedCopy(added));
  const ratio = bootstrapRatioCi(recorded, bare);
  return {
    addedNs: median(added),
    addedCi: { low: addedCi.low, high: addedCi.high, level: addedCi.level },
    recordedNs: median(recorded),
    bareNs: median(bare),
    ratio: { estimate: ratio.estimate, low: ratio.low, high: ratio.high },
    blocks,
    opsPerBlock,
  };
}
