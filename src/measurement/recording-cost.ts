import { corePhases } from '../op/phases.js';
import { emptyTiming, type OpTiming } from '../op/op-timing.js';
import { bootstrapMedianCi, bootstrapRatioCi, median, sortedCopy } from '../statistics/index.js';
import { RecordStore } from './record-store.js';

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

/** The op itself: nothing, behind one await, as an op's sync phase awaits the GPU. */
async function nothing(): Promise<void> {
  // An async function that returns at once: the await costs what an already-settled GPU promise costs.
}

/**
 * The op's phases with the readings PreparedOp.run takes around them (creation, kernel, sync).
 * Keep these in step with prepared-op.ts: they are the recording that the bench's GPU row checks.
 */
async function phasesRecorded(timing: OpTiming): Promise<void> {
  const start = process.hrtime.bigint();
  const created = process.hrtime.bigint();
  const submitted = process.hrtime.bigint();
  await nothing();
  const synced = process.hrtime.bigint();
  timing.creation = Number(created - start);
  timing.kernelCpu = Number(submitted - created);
  timing.sync = Number(synced - submitted);
  timing.readback = NaN;
}

/** As runTimed: start and total from readings of their own around the op. */
async function timedRecorded(timing: OpTiming): Promise<void> {
  const start = process.hrtime.bigint();
  await phasesRecorded(timing);
  timing.total = Number(process.hrtime.bigint() - start);
  timing.start = start;
}

/** The same op with the same awaits and nothing recorded. */
async function phasesBare(): Promise<void> {
  await nothing();
}

async function recordedBlock(ops: number, timing: OpTiming, store: RecordStore): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) {
    await timedRecorded(timing);
    store.appendTiming(timing);
  }
  return Number(process.hrtime.bigint() - start) / ops;
}

async function bareBlock(ops: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await phasesBare();
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
  const timing = emptyTiming();
  const store = new RecordStore(corePhases(true, false), process.hrtime.bigint());
  // Warm-up: let both loops reach the optimising compiler before anything counts.
  for (let b = 0; b < 3; b++) {
    await recordedBlock(opsPerBlock, timing, store);
    await bareBlock(opsPerBlock);
  }
  const recorded = new Float64Array(blocks);
  const bare = new Float64Array(blocks);
  const added = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    if (b % 2 === 0) {
      recorded[b] = await recordedBlock(opsPerBlock, timing, store);
      bare[b] = await bareBlock(opsPerBlock);
    } else {
      bare[b] = await bareBlock(opsPerBlock);
      recorded[b] = await recordedBlock(opsPerBlock, timing, store);
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
